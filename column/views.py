from django.conf import settings
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import DetailView, TemplateView

from column.models import Column
from column.ranges import group_by_range


class SitePageView(TemplateView):
    """A site page of the wiki (`/status/`), found by the old-address fallback (wikijs/middleware.py)."""

    template_name = "column/page_detail.html"  # given the page as `page`


class ColumnDetailView(DetailView):
    """A column's episodes, one of its ranges at a time: the wiki's hundreds, or a dated column's years."""

    model = Column
    queryset = Column.objects.prefetch_related("notices")

    def get_context_data(self, **kwargs):
        navigation = self.object.navigation(range_key=self.request.GET.get("range"))
        current = navigation.current_range
        episodes = self.object.index_episodes().filter(current[3]) if current else []
        by_month = not self.object.numbers_its_episodes
        return super().get_context_data(
            column_navigation=navigation,
            episode_groups=group_by_range(episodes, by_month=by_month),
            **kwargs,
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
