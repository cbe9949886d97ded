from django.urls import path

from episodes import views

app_name = "episodes"

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("tags/<str:slug>/", views.TagView.as_view(), name="tag"),
    path("<slug:column>/<str:slug>/", views.EpisodeDetailView.as_view(), name="detail"),
    path("<slug:column>/<str:slug>/at/<int:seconds>/", views.EpisodeMomentView.as_view(), name="moment"),
]
