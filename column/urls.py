from django.urls import path

from column import views

app_name = "column"

urlpatterns = [
    path("<slug:slug>/", views.ColumnDetailView.as_view(), name="detail"),
]
