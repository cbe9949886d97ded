from functools import cached_property

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import CreateView, DetailView, ListView, TemplateView
from taggit.models import Tag

from column.models import WIKI_HOME_PATH, Column, Page
from episodes import search, search_results
from episodes.forms import CorrectionForm, address_hash
from episodes.models import Correction, Episode
from episodes.revisions import page_credits

MAX_QUERY_LENGTH = 100
SUGGESTIONS = 8
LATEST_EPISODES_ON_HOME = 12


class HomeView(TemplateView):
    """The site's front page: the wiki's home page (its notices and links), the columns, the latest
    public episodes and the tags most used."""

    template_name = "episodes/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            wiki_home=Page.objects.filter(path=WIKI_HOME_PATH, is_published=True).first(),
            columns=Column.objects.in_navigation(),
            latest_episodes=Episode.objects.public()
            .for_listing()
            .latest_broadcast_first()[:LATEST_EPISODES_ON_HOME],
            tag_cloud=Episode.objects.public().tag_cloud(),
            **kwargs,
        )


class EpisodeDetailView(DetailView):
    """The episode page. Staff also see drafts and scheduled episodes here, as a preview."""

    def get_queryset(self):
        return self.visible_episodes().for_page()

    def visible_episodes(self):
        episodes = Episode.objects.filter(column__slug=self.kwargs["column"])
        if self.request.user.has_perm("episodes.view_episode"):
            return episodes
        return episodes.public()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if getattr(self, "object", None) is not None and not self.object.is_public():
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            is_preview=not self.object.is_public(),
            structured_data=self.object.structured_data(self.request),
            credits=page_credits(self.object),
            # Back from an episode to the part of its column that lists it.
            episode_range_url=self.object.column.range_url(self.object),
            column_navigation=self.object.column.navigation(episode=self.object),
            **kwargs,
        )


class EpisodeMomentView(EpisodeDetailView):
    """A transcript's timestamp without script: the first player's video page at that moment."""

    def get_queryset(self):
        return self.visible_episodes().with_players()

    def get(self, request, *args, **kwargs):
        episode = self.get_object()
        tab = next(iter(episode.playable_tabs()), None)
        if tab is None:
            return redirect(episode)
        return redirect(tab.player.page_url_at(self.kwargs["seconds"]))


class PublicEpisodeMixin:
    """A page about one public episode; drafts and scheduled episodes have none, even for staff."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.episode = get_object_or_404(
            Episode.objects.public().select_related("column", "transcript"),
            column__slug=kwargs["column"],
            slug=kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(episode=self.episode, **kwargs)


@method_decorator(never_cache, name="dispatch")
class CorrectionView(PublicEpisodeMixin, CreateView):
    """A reader proposes a change to one paragraph of a transcript; it works with or without script."""

    form_class = CorrectionForm
    template_name = "episodes/correction_form.html"

    def dispatch(self, request, *args, **kwargs):
        if self.original is None:
            return TemplateResponse(
                request, "episodes/correction_gone.html", {"episode": self.episode}, status=404
            )
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        # The hourly limit is counted and the correction stored in one transaction.
        with transaction.atomic():
            return super().post(request, *args, **kwargs)

    @cached_property
    def original(self):
        """The paragraph's source as it is now; None if the transcript no longer has it."""
        transcript = getattr(self.episode, "transcript", None)
        return transcript.paragraph(self.kwargs["key"]) if transcript else None

    def get_form_kwargs(self):
        instance = Correction(
            episode=self.episode,
            paragraph_key=self.kwargs["key"],
            original=self.original,
            address_hash=address_hash(self.request),
        )
        return super().get_form_kwargs() | {"instance": instance}

    def get_success_url(self):
        return reverse(
            "episodes:correction-sent", kwargs={"column": self.episode.column.slug, "slug": self.episode.slug}
        )


@method_decorator(never_cache, name="dispatch")
class CorrectionSentView(PublicEpisodeMixin, TemplateView):
    template_name = "episodes/correction_sent.html"


class TagIndexView(TemplateView):
    """Every tag of a public episode, with how many, most used first."""

    template_name = "episodes/tag_index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tags=Episode.objects.public().tag_cloud(size=None), **kwargs)


class TagView(ListView):
    template_name = "episodes/tag_detail.html"
    context_object_name = "episodes"
    allow_empty = False  # a tag with no public episode is not announced
    paginate_by = 50

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Episode.objects.public().for_listing().filter(tags=self.tag).latest_broadcast_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class SearchView(ListView):
    """Search public episodes, by relevance or by date, within a column or a year.

    An empty or punctuation-only query gets the search tips; one that finds
    nothing gets the episodes whose titles come closest.
    """

    template_name = "episodes/search.html"
    context_object_name = "episodes"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        try:
            with search.time_limit(settings.SEARCH_SECONDS):
                # Rendered inside the limit: the page's lists are queried as the template reads them.
                return super().get(request, *args, **kwargs).render()
        except search.TookTooLong:
            context = {"query": self.query, "too_long": True, "columns": Column.objects.all()}
            return TemplateResponse(request, self.template_name, context, status=503)

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        self.terms = search.query_terms(self.query)
        column = self.request.GET.get("column")
        self.column = Column.objects.filter(slug=column).first() if column else None
        year = self.request.GET.get("year", "")
        self.year = int(year) if year.isdigit() and len(year) == 4 else None
        self.by_date = self.request.GET.get("sort") == "date"
        if not self.terms:
            return Episode.objects.none()
        found = Episode.objects.public().search(self.query)
        ordered = found.latest_broadcast_first() if self.by_date else found
        # Only the page's episodes are fetched, by id, once the search has ordered them.
        self.matches = search_results.Matches(
            ordered, Episode.objects.for_search_results(), self.column, self.year
        )
        return self.matches

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.query,
            terms=self.terms,
            column=self.column,
            year=self.year,
            by_date=self.by_date,
            columns=Column.objects.all(),
            **kwargs,
        )
        if not self.terms:
            return context
        context["column_counts"] = self.matches.counts.by_column(context["columns"])
        context["year_counts"] = self.matches.counts.by_year()
        if context["paginator"].count == 0:
            context["closest"] = search_results.closest_titles(
                Episode.objects.public().for_listing(), self.query
            )
        for episode in context["episodes"]:
            transcript = getattr(episode, "transcript", None)
            episode.snippet = search_results.snippet(transcript.html if transcript else "", self.terms)
        return context


def search_suggestions(request):
    """The titles the search would put first for what a reader has typed so far, for the search box."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    try:
        with search.time_limit(settings.SEARCH_SECONDS):
            titles = list(
                Episode.objects.public().search(query).values_list("title", flat=True)[:SUGGESTIONS]
            )
    except search.TookTooLong:
        titles = []
    return JsonResponse({"titles": titles})
