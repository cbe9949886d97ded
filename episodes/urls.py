from django.urls import path, register_converter

from episodes import views
from markup.transcripts import PARAGRAPH_KEY

app_name = "episodes"


class ParagraphKeyConverter:
    regex = PARAGRAPH_KEY

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ParagraphKeyConverter, "paragraph")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("search/suggestions/", views.search_suggestions, name="search_suggestions"),
    path("tags/", views.TagIndexView.as_view(), name="tags"),
    path("tags/<str:slug>/", views.TagView.as_view(), name="tag"),
    path("<slug:column>/<str:slug>/", views.EpisodeDetailView.as_view(), name="detail"),
    path("<slug:column>/<str:slug>/at/<int:seconds>/", views.EpisodeMomentView.as_view(), name="moment"),
    path("<slug:column>/<str:slug>/correct/<paragraph:key>/", views.CorrectionView.as_view(), name="correct"),
    path(
        "<slug:column>/<str:slug>/correct/sent/", views.CorrectionSentView.as_view(), name="correction-sent"
    ),
]
