from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from column.views import WikiPathFallbackMixin
from episodes.models import Episode


class EpisodeDetailView(WikiPathFallbackMixin, DetailView):
    def get_queryset(self):
        return Episode.objects.public().for_page().filter(column__slug=self.kwargs["column"])


class TagView(ListView):
    template_name = "episodes/tag_detail.html"
    context_object_name = "episodes"
    allow_empty = False  # a tag with no public episode is not announced

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Episode.objects.public().for_listing().filter(tags=self.tag).order_by("-published_at")

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)
