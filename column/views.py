from django.views.generic import DetailView, TemplateView

from column.models import Column
from episodes.models import Episode

LATEST_EPISODES_ON_HOME = 12


class HomeView(TemplateView):
    template_name = "column/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            columns=Column.objects.all(),
            latest_episodes=Episode.objects.public()
            .for_listing()
            .order_by("-published_at")[:LATEST_EPISODES_ON_HOME],
            **kwargs,
        )


class ColumnDetailView(DetailView):
    model = Column
    queryset = Column.objects.prefetch_related("notices")
