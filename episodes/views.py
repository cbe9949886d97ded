from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from column.views import WikiPathFallbackMixin
from episodes.models import Episode


class EpisodeDetailView(WikiPathFallbackMixin, DetailView):
    """The episode page. Staff also see drafts and scheduled episodes here, as a preview."""

    def get_queryset(self):
        episodes = Episode.objects.for_page().filter(column__slug=self.kwargs["column"])
        if self.request.user.has_perm("episodes.view_episode"):
            return episodes
        return episodes.public()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if getattr(self, "object", None) is not None and not self.object.is_public():
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=not self.object.is_public(), **kwargs)


class TagView(ListView):
    template_name = "episodes/tag_detail.html"
    context_object_name = "episodes"
    allow_empty = False  # a tag with no public episode is not announced

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Episode.objects.public().for_listing().filter(tags=self.tag).order_by("-published_at")

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)
