from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from taggit.models import Tag

from episodes.models import Episode


class EpisodeSitemap(Sitemap):
    """Public episodes, the latest broadcast first; each dated by its last change, which is what
    a crawler needs to know (the air date is on the page)."""

    changefreq = "monthly"

    def items(self):
        return (
            Episode.objects.public()
            .select_related("column")
            .only("slug", "updated_at", "aired_on", "published_at", "column__slug")
            .latest_broadcast_first()
        )

    def lastmod(self, episode):
        return episode.updated_at


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
