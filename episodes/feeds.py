"""RSS 2.0 and Atom feeds of public episodes: the whole site, a column, a tag."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from taggit.models import Tag

from column.models import Column
from episodes.models import Episode

FEED_LENGTH = 30
AUDIO_TYPES = {"mp3": "audio/mpeg", "m4a": "audio/mp4"}


# Characters XML 1.0 cannot carry; a stray one pasted into a title must not break the feed.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value):
    if isinstance(value, str):
        return XML_INVALID.sub("", value)
    if isinstance(value, (list, tuple)):
        return [xml_safe(item) for item in value]
    return value


class XmlSafeFeedMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*xml_safe(args), **{name: xml_safe(value) for name, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_safe(args), **{name: xml_safe(value) for name, value in kwargs.items()})


class RssFeed(XmlSafeFeedMixin, Rss201rev2Feed):
    pass


class AtomFeed(XmlSafeFeedMixin, Atom1Feed):
    pass


class EpisodeFeed(Feed):
    feed_type = RssFeed

    def title(self, obj=None):
        return settings.SITE_NAME

    def link(self, obj=None):
        return reverse("episodes:home")

    def description(self, obj=None):
        return f"{settings.SITE_NAME}：{_('节目视频与完整文稿')}"

    def items(self, obj=None):
        return (
            self.episodes(obj)
            .for_listing()
            .prefetch_related("tags", "tabs__embed")
            .latest_broadcast_first()[:FEED_LENGTH]
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
        return episode.aired_at

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
    feed_type = AtomFeed

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
        # A tag only unpublished episodes carry is not announced, as its page is not.
        return get_object_or_404(
            Tag.objects.filter(pk__in=Episode.objects.public().values("tags")).distinct(), slug=slug
        )

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
