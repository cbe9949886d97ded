from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from column.views import wiki_page_response

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("episodes.urls")),
    path("", include("column.urls")),
    path("<path:legacy_path>", wiki_page_response, name="wiki-page"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
