from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from column.views import wiki_page_response

admin.site.site_header = "栏目文稿管理"
admin.site.site_title = "栏目文稿管理"
admin.site.index_title = "内容管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("column.urls")),
    path("", include("episodes.urls")),
    path("<path:legacy_path>", wiki_page_response, name="wiki-page"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
