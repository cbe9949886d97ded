"""RSS 2.0 and Atom feeds of public episodes: the whole site, a column, a tag."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from taggit.models import Tag

from column.models import Column
from episodes.models import Episode

FEED_LENGTH = 30
AUDIO_TYPES = {"mp3": "audio/mpeg", "m4a": "audio/mp4"}


class EpisodeFeed(Feed):
    def title(self, obj=None):
        return settings.SITE_NAME

    def link(self, obj=None):
        return reverse("column:home")

    def description(self, obj=None):
        return f"{settings.SITE_NAME}：{_('节目视频与完整文稿')}"

    def items(self, obj=None):
        return (
            self.episodes(obj)
            .for_listing()
            .prefetch_related("tags", "tabs__embed")
            .order_by("-published_at")[:FEED_LENGTH]
        )

    def episodes(self, obj):
        return Episode.objects.public()

    def item_title(self, episode):
        return episode.title

    def item_description(self, episode):
        players = format_html_join(
            "",
            '<li><a href="{}">{}</a></li>',
            ((tab.player.page_url, tab.label) for tab in episode.playable_tabs()),
        )
        return format_html("<p>{}</p><ul>{}</ul>", episode.description or episode.title, players)

    def item_pubdate(self, episode):
        return episode.published_at

    def item_updateddate(self, episode):
        return episode.updated_at

    def item_categories(self, episode):
        return [tag.name for tag in episode.tags.all()]

    def item_author_name(self, episode):
        return episode.column.name

    def item_enclosures(self, episode):
        """A podcast tab's audio, for podcast readers."""
        return [
            Enclosure(
                tab.player.page_url,
                "0",
                AUDIO_TYPES.get(tab.player.page_url.rsplit(".", 1)[-1].lower(), "audio/mpeg"),
            )
            for tab in episode.playable_tabs()
            if tab.player.is_audio
        ]


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj=None):
        return self.description(obj)


class ColumnFeed(EpisodeFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Column, slug=slug)

    def title(self, column):
        return f"{column.name} · {settings.SITE_NAME}"

    def link(self, column):
        return column.get_absolute_url()

    def description(self, column):
        return column.description or column.name

    def episodes(self, column):
        return Episode.objects.public().filter(column=column)


class TagFeed(EpisodeFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return f"#{tag.name} · {settings.SITE_NAME}"

    def link(self, tag):
        return reverse("episodes:tag", kwargs={"slug": tag.slug})

    def description(self, tag):
        return _("标签“%(name)s”下的节目") % {"name": tag.name}

    def episodes(self, tag):
        return Episode.objects.public().filter(tags=tag)


class AtomEpisodeFeed(AtomMixin, EpisodeFeed):
    pass


class AtomColumnFeed(AtomMixin, ColumnFeed):
    pass


class AtomTagFeed(AtomMixin, TagFeed):
    pass
