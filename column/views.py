from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import DetailView, TemplateView

from column.models import Column, Page, group_by_range
from episodes.models import Episode

LATEST_EPISODES_ON_HOME = 12


def wiki_page_response(request, legacy_path):
    """Answer an address of the old wiki: a site page, or a redirect to where the page lives now.

    Old links may carry a trailing slash, a `.md` suffix or percent-encoding
    (Django has decoded the last already). Unpublished pages are not found.
    """
    path = legacy_path.strip("/").removesuffix(".md")
    page = Page.objects.filter(path=path).select_related("column").first()
    if page is not None and page.column_id:
        return redirect(page.column, permanent=True)
    if page is not None and page.is_published:
        if not request.path.endswith("/"):
            return redirect(page.get_absolute_url(), permanent=True)
        return render(request, "column/page_detail.html", {"page": page})
    episode = Episode.objects.public().filter(legacy_path=path).select_related("column").first()
    if episode is not None:
        return redirect(episode, permanent=True)
    column = Column.objects.filter(slug=path).first()
    if column is not None:
        return redirect(column, permanent=True)
    raise Http404("No page at this address.")


class WikiPathFallbackMixin:
    """A detail view whose address may also be an old wiki path (`/main/601-700/`, `/status/`)."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return wiki_page_response(request, request.path)


class HomeView(TemplateView):
    template_name = "column/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            columns=Column.objects.all(),
            latest_episodes=Episode.objects.public()
            .for_listing()
            .order_by("-published_at")[:LATEST_EPISODES_ON_HOME],
            tag_cloud=Episode.objects.public().tag_cloud(),
            **kwargs,
        )


class ColumnDetailView(WikiPathFallbackMixin, DetailView):
    model = Column
    queryset = Column.objects.prefetch_related("notices")
    episodes_per_page = 100

    def get_context_data(self, **kwargs):
        page = Paginator(self.object.index_episodes(), self.episodes_per_page).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            page_obj=page, episode_groups=group_by_range(page.object_list), **kwargs
        )


def switch_language(request, code):
    """Remember the reader's choice of interface language, then go back where they were."""
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    response = redirect(next_url)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
        )
    return response
