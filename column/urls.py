from django.urls import path

from column import views

app_name = "column"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("<slug:slug>/", views.ColumnDetailView.as_view(), name="detail"),
]
