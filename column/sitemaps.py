from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from column.models import Column, Page


class ColumnSitemap(Sitemap):
    """Columns, dated by their own last change or their latest public episode's, whichever is later."""

    changefreq = "weekly"

    def items(self):
        return Column.objects.order_by("position", "pk")

    def lastmod(self, column):
        latest = column.episodes.public().aggregate(latest=Max("updated_at"))["latest"]
        return max(filter(None, [column.updated_at, latest]))


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.filter(is_published=True, column__isnull=True).order_by("path")

    def lastmod(self, page):
        return page.updated_at
