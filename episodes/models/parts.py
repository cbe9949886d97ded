"""What an episode's page is made of: player tabs and their players, warnings, the transcript."""

import re
from collections import Counter
from functools import cached_property

from django.apps import apps
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from embed_video.backends import detect_backend

from column.models import Callout
from episodes.players import PlayerLinkField
from markup.render import (
    MAX_SOURCE_CHARACTERS,
    render_document,
    render_markdown,
    validate_renderable,
    validate_renderable_transcript,
)
from markup.sanitise import plain_text
from markup.transcripts import PARAGRAPH_KEY, source_paragraphs


class Tab(models.Model):
    episode = models.ForeignKey(
        "episodes.Episode", on_delete=models.CASCADE, related_name="tabs", verbose_name=_("节目")
    )
    label = models.CharField(
        pgettext_lazy("player tab", "标签"), max_length=40, help_text=_("如：B站、YouTube、西瓜视频、播客")
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    notice = models.TextField(
        _("提示"),
        blank=True,
        validators=[validate_renderable],
        help_text=_("显示在这个标签页的播放器上方，如：> 本期视频已被删除 换行 {.is-danger}"),
    )
    notice_html = models.TextField(editable=False, default="")
    wiki_markup = models.TextField(
        blank=True, editable=False, help_text="The tab's markup in the wiki, written back on export."
    )

    class Meta:
        verbose_name = _("播放器标签页")
        verbose_name_plural = pgettext_lazy("plural", "播放器标签页")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.render_notice()
        if self._state.adding and not self.position and self.episode_id:
            # A tab added to an episode that has tabs goes after them, whatever its form left as its order.
            last = Tab.objects.filter(episode_id=self.episode_id).aggregate(last=models.Max("position"))[
                "last"
            ]
            self.position = 0 if last is None else last + 1
        super().save(*args, **kwargs)

    def render_notice(self):
        self.notice_html = render_markdown(self.notice) if self.notice.strip() else ""

    @property
    def url(self):
        """The player's link, or an empty string while the tab waits for one."""
        return self.player.url if self.player else ""

    @property
    def player(self):
        """The tab's Embed, or None while the tab waits for its link."""
        try:
            return self.embed
        except Embed.DoesNotExist:
            return None


class Embed(models.Model):
    tab = models.OneToOneField(Tab, on_delete=models.CASCADE, related_name="embed", verbose_name=_("标签页"))
    url = PlayerLinkField(_("视频链接"))
    offset_seconds = models.IntegerField(
        _("时间偏移（秒）"),
        default=0,
        help_text=_("这个平台的视频比文稿的时间晚开始几秒（负数为早开始）；文稿里的时间点跳转时加上它。"),
    )

    class Meta:
        verbose_name = _("播放器")
        verbose_name_plural = pgettext_lazy("plural", "播放器")

    def __str__(self):
        return self.url

    @cached_property
    def backend(self):
        return detect_backend(self.url)

    @property
    def platform(self):
        return self.backend.platform

    @property
    def player_url(self):
        return self.backend.get_url()

    @property
    def page_url(self):
        return self.backend.page_url

    @property
    def seek_parameter(self):
        return self.backend.seek_parameter

    def start_at(self, transcript_seconds):
        """Where in this platform's cut a moment of the transcript falls."""
        return max(0, transcript_seconds + self.offset_seconds)

    def page_url_at(self, transcript_seconds):
        return self.backend.page_url_at(self.start_at(transcript_seconds))

    @property
    def is_audio(self):
        return self.backend.is_audio


class Warning(Callout):
    episode = models.ForeignKey(
        "episodes.Episode",
        on_delete=models.CASCADE,
        related_name="warnings",
        verbose_name=_("节目"),
    )

    class Meta(Callout.Meta):
        verbose_name = _("提示框")
        verbose_name_plural = pgettext_lazy("plural", "提示框")


class Transcript(models.Model):
    class Status(models.TextChoices):
        MACHINE = "machine", _("机器转录")
        PROOFREADING = "proofreading", _("校对中")
        PROOFREAD = "proofread", _("已校对")

    episode = models.OneToOneField(
        "episodes.Episode",
        on_delete=models.CASCADE,
        related_name="transcript",
        verbose_name=_("节目"),
    )
    source = models.TextField(
        _("文稿"),
        blank=True,
        max_length=MAX_SOURCE_CHARACTERS,
        validators=[validate_renderable_transcript],
        help_text=_("Markdown。单个换行即换行；说话人用 font 标签标出颜色，如 color=indigo。"),
    )
    html = models.TextField(editable=False, default="")
    headings = models.JSONField(editable=False, default=list, help_text="The transcript's table of contents.")
    status = models.CharField(_("校对状态"), max_length=15, choices=Status, default=Status.MACHINE)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("文稿")
        verbose_name_plural = pgettext_lazy("plural", "文稿")

    def __str__(self):
        return gettext("%(episode)s 的文稿") % {"episode": self.episode}

    def save(self, *args, update_fields=None, **kwargs):
        html, self.headings = render_document(self.source, wiki_path=self.episode.wiki_path, transcript=True)
        self.html = link_episodes_where_they_live(html)
        if update_fields is not None and "source" in (update_fields := set(update_fields)):
            # What is rendered goes with its source, as update_or_create() names only the source.
            update_fields |= {"html", "headings"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def contents(self):
        """The headings as a table of contents shows them: each with its depth below the highest level."""
        top = min((heading["level"] for heading in self.headings), default=1)
        return [{**heading, "depth": heading["level"] - top} for heading in self.headings]

    def correctable_paragraphs(self):
        """The paragraphs a reader may correct, by key: those the page shows with a link to do so.

        Only a paragraph the renderer marked (at the top level, from a block of
        the source that occurs once), and marked once: a key written into the
        text by hand could otherwise stand for another paragraph. And only one
        short enough for a proposal to hold.
        """
        marked = Counter(match["key"] for match in MARKED_PARAGRAPH.finditer(self.html))
        return {
            key: text
            for key, text in source_paragraphs(self.source).items()
            if marked[key] == 1 and len(text) <= PROPOSAL_MAX_CHARACTERS
        }

    def paragraph(self, key):
        """The source of the paragraph a reader may correct, named by its key; None if there is none."""
        return self.correctable_paragraphs().get(key)

    def html_with_correction_links(self):
        """The transcript as the public reads it: each paragraph that can be corrected ends with a link to do so.

        The link is named after its paragraph, for a screen reader announces it
        apart from it; a paragraph with no text (an image alone) has none.
        """
        correctable = self.correctable_paragraphs()
        numbered = 0

        def add_link(match):
            nonlocal numbered
            if match["key"] not in correctable or not plain_text(match["paragraph"]).strip():
                return match[0]
            numbered += 1
            link = format_html(
                '<a class="suggest-correction" href="correct/{}/" rel="nofollow" aria-label="{}">{}</a>',
                match["key"],
                gettext("纠错：第 %(number)d 段") % {"number": numbered},
                gettext("纠错"),
            )
            return f"{match['paragraph']} {link}</p>"

        return mark_safe(MARKED_PARAGRAPH.sub(add_link, self.html))


# A link the renderer resolved to a page of the wiki (`/main/201-300/201`), as the sanitiser writes it.
WIKI_LINK = re.compile(r'<a href="/(?P<path>[^"#?]+?)/?(?P<rest>[#?][^"]*)?"')


def link_episodes_where_they_live(html):
    """Links to an episode's wiki path lead to its page directly, not through the old address's redirect."""
    paths = {match["path"] for match in WIKI_LINK.finditer(html)}
    if not paths:
        return html
    episodes = (
        apps.get_model("episodes", "Episode").objects.filter(legacy_path__in=paths).select_related("column")
    )
    addresses = {episode.legacy_path: episode.get_absolute_url() for episode in episodes}

    def relink(match):
        address = addresses.get(match["path"])
        return f'<a href="{address}{match["rest"] or ""}"' if address else match[0]

    return WIKI_LINK.sub(relink, html)


# The sanitiser writes a marked paragraph's opening tag exactly so, and paragraphs do not nest.
MARKED_PARAGRAPH = re.compile(
    rf'(?P<paragraph><p data-paragraph="(?P<key>{PARAGRAPH_KEY})">.*?)</p>', re.DOTALL
)

PROPOSAL_MAX_CHARACTERS = 5_000
