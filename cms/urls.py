from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from cms.health import healthz, livez
from column.sitemaps import ColumnSitemap, PageSitemap
from column.views import switch_language
from episodes import feeds
from episodes.sitemaps import EpisodeSitemap, TagSitemap

SITEMAPS = {"episodes": EpisodeSitemap, "columns": ColumnSitemap, "tags": TagSitemap, "pages": PageSitemap}

# An address that nothing here answers gets a second look as an address of the old wiki
# (a site page, or a redirect to where a page lives now): wikijs/middleware.py.
urlpatterns = [
    path(settings.ADMIN_URL, include("wikijs.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("language/<str:code>/", switch_language, name="switch-language"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("feeds/rss/", feeds.EpisodeFeed(), name="feed-rss"),
    path("feeds/atom/", feeds.AtomEpisodeFeed(), name="feed-atom"),
    path("feeds/columns/<slug:slug>/rss/", feeds.ColumnFeed(), name="column-feed-rss"),
    path("feeds/columns/<slug:slug>/atom/", feeds.AtomColumnFeed(), name="column-feed-atom"),
    path("feeds/tags/<str:slug>/rss/", feeds.TagFeed(), name="tag-feed-rss"),
    path("feeds/tags/<str:slug>/atom/", feeds.AtomTagFeed(), name="tag-feed-atom"),
    path("", include("episodes.urls")),
    path("", include("column.urls")),
]

# A refusal says why: in the admin, which role the action needs (episodes/forbidden.py).
handler403 = "episodes.forbidden.permission_denied"
handler404 = "episodes.forbidden.page_not_found"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
