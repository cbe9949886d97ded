from django.contrib import admin
from django.urls import path

from wikijs import views

app_name = "wikijs"

# Included under the admin's address: the page is one of the editors' tools.
urlpatterns = [
    path("import-wikijs/", admin.site.admin_view(views.import_pages), name="import"),
]
