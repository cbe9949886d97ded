from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from column.models import Column, Page
from episodes.models import Episode


class EpisodeSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Episode.objects.public()
            .select_related("column")
            .only("slug", "updated_at", "column__slug")
            .order_by("pk")
        )

    def lastmod(self, episode):
        return episode.updated_at


class ColumnSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        public = Q(episodes__status=Episode.Status.PUBLISHED, episodes__published_at__lte=timezone.now())
        return Column.objects.annotate(latest=Max("episodes__updated_at", filter=public)).order_by(
            "position", "pk"
        )

    def lastmod(self, column):
        return max(filter(None, [column.updated_at, column.latest]))


class TagSitemap(Sitemap):
    """Tags with at least one public episode, dated by the latest of them."""

    changefreq = "weekly"

    def items(self):
        latest = (
            Episode.objects.public()
            .filter(tags=OuterRef("pk"))
            .order_by("-updated_at")
            .values("updated_at")[:1]
        )
        return Tag.objects.annotate(latest=Subquery(latest)).filter(latest__isnull=False).order_by("slug")

    def location(self, tag):
        return reverse("episodes:tag", kwargs={"slug": tag.slug})

    def lastmod(self, tag):
        return tag.latest


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.filter(is_published=True, column__isnull=True).order_by("path")

    def lastmod(self, page):
        return page.updated_at


SITEMAPS = {"episodes": EpisodeSitemap, "columns": ColumnSitemap, "tags": TagSitemap, "pages": PageSitemap}
