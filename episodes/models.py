import re
from collections import Counter
from datetime import timedelta
from functools import cached_property

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from embed_video.backends import detect_backend
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from column.models import Callout, Column, ImportedFromWiki
from episodes import search
from episodes.diff import changed_fragments
from episodes.players import PlayerLinkField
from markup.render import MAX_SOURCE_CHARACTERS, render_document, validate_renderable_transcript
from markup.transcripts import PARAGRAPH_KEY, replace_paragraph, source_paragraphs

TITLE_PREFIX = re.compile(r"^\s*【[^】]*】\s*")


class SearchDocumentField(models.Field):
    """The search index's document: FTS5's columns on SQLite, a `tsvector` on PostgreSQL."""

    def db_type(self, connection):
        return None  # the table is made by a migration of its own


@SearchDocumentField.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        _, params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            lhs, lhs_params = self.process_lhs(compiler, connection)
            return f"{lhs} @@ plainto_tsquery('simple', %s)", [*lhs_params, *params]
        # FTS5 matches against its hidden column named after the table.
        table = self.lhs.target.model._meta.db_table
        return (
            f"{compiler.quote_name_unless_alias(self.lhs.alias)}.{connection.ops.quote_name(table)} MATCH %s",
            params,
        )


class SearchScore(models.Func):
    """How well an episode matches: higher is better on both databases."""

    output_field = models.FloatField()

    def __init__(self, document, match):
        super().__init__(document, models.Value(match))

    def as_sql(self, compiler, connection, **extra):
        document, match = self.source_expressions
        if connection.vendor == "postgresql":
            column, params = compiler.compile(document)
            return f"ts_rank('{search.POSTGRES_WEIGHTS}', {column}, plainto_tsquery('simple', %s))", [
                *params,
                match.value,
            ]
        table = compiler.quote_name_unless_alias(document.alias)
        return f"-bm25({table}, {search.SQLITE_WEIGHTS})", []


class EpisodeQuerySet(models.QuerySet):
    def public(self, now=None):
        """What the public may see: published, and its publication time has come (`Episode.public_at`)."""
        return self.filter(Episode.public_at(now or timezone.now()))

    def scheduled(self, now=None):
        """Published, with a publication time still ahead."""
        return self.filter(Episode.scheduled_at(now or timezone.now()))

    def publication_moments_passed(self, now):
        """When each public episode became public, latest first: the page cache follows these."""
        return self.public(now).order_by("-published_at").values("published_at")

    def tag_cloud(self, size=40):
        """The tags most used by these episodes, each with `num_times`."""
        return Episode.tags.most_common(
            min_count=1, extra_filters={"taggit_taggeditem_items__object_id__in": self.values("pk")}
        )[:size]

    def search(self, query):
        """Episodes matching every word of `query`, best first, with `search_score`.

        A query with no words (empty, or punctuation only) matches nothing.
        """
        terms = search.query_terms(query)
        if not terms:
            return self.none()
        match = search.match_expression(terms)
        episodes = self.filter(search_entry__document__match=match)
        if connection.vendor == "sqlite":
            # Given the matches as a list too, SQLite starts from its index rather than from the episodes.
            episodes = episodes.filter(
                pk__in=SearchEntry.objects.filter(document__match=match).values("episode_id")
            )
        return episodes.annotate(search_score=SearchScore(F("search_entry__document"), match)).order_by(
            "-search_score", "-published_at"
        )

    def for_listing(self):
        return self.select_related("column").defer("wiki_metadata")

    def for_page(self):
        return self.with_players().select_related("column", "transcript").prefetch_related("tags", "warnings")

    def with_players(self):
        return self.prefetch_related(models.Prefetch("tabs", Tab.objects.select_related("embed")))


class Episode(ImportedFromWiki):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEW = "review", _("待审")
        PUBLISHED = "published", _("已发布")

    column = models.ForeignKey(
        Column,
        on_delete=models.PROTECT,
        related_name="episodes",
        verbose_name=pgettext_lazy("singular", "栏目"),
    )
    number = models.IntegerField(
        _("期数"),
        null=True,
        blank=True,
        help_text=_("可以为 0 或负数（如视频号特别篇 -1）；没有期数的留空。"),
    )
    slug = models.SlugField(
        _("网址名"),
        max_length=100,
        allow_unicode=True,
        help_text=_("在栏目内唯一，出现在网址中。留空则使用期数。"),
        blank=True,
    )
    title = models.CharField(
        _("标题"),
        max_length=200,
        help_text=_("完整标题，如：【产经破壁机051】从“不差钱”到大换血，商汤科技怎么了？"),
    )
    description = models.TextField(_("简介"), blank=True)
    tags = TaggableManager(pgettext_lazy("plural", "标签"), blank=True, help_text=_("用逗号分隔多个标签。"))

    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("发布时间"),
        null=True,
        blank=True,
        help_text=_("发布后以此时间公开；填将来的时间即定时发布。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("节目")
        verbose_name_plural = pgettext_lazy("plural", "节目")
        ordering = [F("number").desc(nulls_last=True), "-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["column", "slug"], name="episode_slug_unique_in_column"),
            models.UniqueConstraint(
                fields=["legacy_path"], condition=~Q(legacy_path=""), name="episode_legacy_path_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_episode_has_time",
                violation_error_message=_("已发布的节目必须有发布时间。"),
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="episode_slug_not_empty",
                violation_error_message=_("没有期数的节目必须填写网址名。"),
            ),
        ]
        indexes = [models.Index(fields=["status", "published_at"])]
        permissions = [("publish_episode", "可以发布、定时发布和撤回节目")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("episodes:detail", kwargs={"column": self.column.slug, "slug": self.slug})

    @classmethod
    def public_at(cls, now, through=""):
        """The one rule of what the public may see, as a condition: published, its time come by `now`.

        `through` reaches episodes from another model (`"episodes__"` from a column).
        """
        return Q(**{f"{through}status": cls.Status.PUBLISHED, f"{through}published_at__lte": now})

    @classmethod
    def scheduled_at(cls, now, through=""):
        """Published, with a publication time after `now`."""
        return Q(**{f"{through}status": cls.Status.PUBLISHED, f"{through}published_at__gt": now})

    @property
    def taggings(self):
        """taggit's rows for this episode, which revisions keep with it."""
        # Loaded with their tags and episode, as a revision names each row by both.
        return (
            TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(Episode), object_id=self.pk
            )
            .select_related("tag")
            .prefetch_related("content_object")
        )

    @property
    def tabs_with_players(self):
        """The tabs with their players loaded, as a revision stores them."""
        return self.tabs.select_related("embed")

    def social_image(self):
        """A picture for link previews known without asking the platforms: a YouTube cover, else the column's."""
        for tab in self.playable_tabs():
            thumbnail = tab.player.backend.get_thumbnail_url()
            if thumbnail:
                return thumbnail
        return self.column.social_image()

    def structured_data(self, request):
        """schema.org VideoObject for each player, for search engines."""
        page = request.build_absolute_uri(self.get_absolute_url())
        image = self.social_image()
        return [
            {
                "@context": "https://schema.org",
                "@type": "VideoObject",
                "name": f"{self.title}（{tab.label}）",
                "description": self.description or self.title,
                "uploadDate": self.published_at.isoformat() if self.published_at else None,
                "embedUrl": tab.player.player_url,
                "url": page,
                **({"thumbnailUrl": request.build_absolute_uri(image)} if image else {}),
            }
            for tab in self.playable_tabs()
        ]

    @property
    def wiki_path(self):
        """The page's path in the Wiki.js tree: where it came from, or where it would go."""
        return self.legacy_path or f"{self.column.slug}/{self.slug}"

    @property
    def headline(self):
        """The title without its 【column and number】 prefix, as index pages list it."""
        return TITLE_PREFIX.sub("", self.title) or self.title

    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and not self.is_public()

    @property
    def state_label(self):
        """The state as editors speak of it: a published episode whose time is ahead is scheduled."""
        if self.is_scheduled:
            return gettext("已排期")
        return self.get_status_display()

    def shows_proofreading_warning(self):
        """The column's standard warning stands above a transcript until it is proofread."""
        transcript = getattr(self, "transcript", None)
        return bool(self.column.default_warning) and (
            transcript is None or transcript.status != Transcript.Status.PROOFREAD
        )

    def submit_for_review(self):
        """Hand a draft to the publishers; a published episode stays as it is."""
        if self.status == self.Status.DRAFT:
            self.status = self.Status.REVIEW
            self.save(update_fields=["status", "updated_at"])

    def publish(self, at=None):
        """Publish now, or at a future moment when `at` lies ahead."""
        self.status = self.Status.PUBLISHED
        self.published_at = at or timezone.now()
        self.save(update_fields=["status", "published_at", "updated_at"])

    def unpublish(self):
        self.status = self.Status.DRAFT
        self.published_at = None
        self.save(update_fields=["status", "published_at", "updated_at"])

    def set_publication(self, status, at=None):
        """Put the episode in the state an editor chose, the one way its publication changes.

        Publishing takes `at` (now when empty; ahead, it schedules); a published
        episode set to any other state is withdrawn to a draft; a draft and a
        review change into each other.
        """
        if status == self.Status.PUBLISHED:
            if self.status != self.Status.PUBLISHED or at != self.published_at:
                self.publish(at=at)
        elif self.status == self.Status.PUBLISHED:
            self.unpublish()
        elif status != self.status:
            self.status = status
            self.save(update_fields=["status", "updated_at"])

    def clean(self):
        if not self.slug and self.number is not None:
            self.slug = str(self.number)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def playable_tabs(self):
        """Tabs that have a player; a tab still waiting for its link is not shown."""
        return [tab for tab in self.tabs.all() if tab.player]

    def corrections_log(self, size=20):
        """The latest readers' corrections that were applied, newest first, as the public log lists them."""
        return self.corrections.accepted().order_by("-reviewed_at")[:size]

    def _public_neighbours(self):
        return Episode.objects.public().filter(column_id=self.column_id).exclude(pk=self.pk)

    def previous_episode(self):
        if self.number is None:
            return None
        return self._public_neighbours().filter(number__lt=self.number).order_by("-number").first()

    def next_episode(self):
        if self.number is None:
            return None
        return self._public_neighbours().filter(number__gt=self.number).order_by("number").first()


class Tab(models.Model):
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="tabs", verbose_name=_("节目")
    )
    label = models.CharField(
        pgettext_lazy("player tab", "标签"), max_length=40, help_text=_("如：B站、YouTube、西瓜视频、播客")
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    wiki_markup = models.TextField(
        blank=True, editable=False, help_text="The tab's markup in the wiki, written back on export."
    )

    class Meta:
        verbose_name = _("播放器标签页")
        verbose_name_plural = pgettext_lazy("plural", "播放器标签页")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

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
        Episode,
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
        Episode,
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
        self.html, self.headings = render_document(
            self.source, wiki_path=self.episode.wiki_path, transcript=True
        )
        if update_fields is not None and "source" in (update_fields := set(update_fields)):
            # What is rendered goes with its source, as update_or_create() names only the source.
            update_fields |= {"html", "headings"}
        super().save(*args, update_fields=update_fields, **kwargs)

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
        """The transcript as the public reads it: each paragraph that can be corrected ends with a link to do so."""
        correctable = self.correctable_paragraphs()
        label, description = gettext("纠错"), gettext("对这一段提出修改")

        def add_link(match):
            if match["key"] not in correctable:
                return match[0]
            link = format_html(
                '<a class="suggest-correction" href="correct/{}/" rel="nofollow" title="{}">{}</a>',
                match["key"],
                description,
                label,
            )
            return f"{match['paragraph']} {link}</p>"

        return mark_safe(MARKED_PARAGRAPH.sub(add_link, self.html))


# The sanitiser writes a marked paragraph's opening tag exactly so, and paragraphs do not nest.
MARKED_PARAGRAPH = re.compile(
    rf'(?P<paragraph><p data-paragraph="(?P<key>{PARAGRAPH_KEY})">.*?)</p>', re.DOTALL
)

PROPOSAL_MAX_CHARACTERS = 5_000


def as_stored(proposal):
    """A proposal as it is kept: each line break one character, and no blank lines around it.

    Only the blank lines go: indentation can mean something in markdown.
    """
    return proposal.replace("\r\n", "\n").strip("\n")


class CorrectionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Correction.Status.OPEN)

    def accepted(self):
        return self.filter(status=Correction.Status.ACCEPTED)

    def sent_within_the_hour(self, address_hash):
        """What one address sent in the last hour, counted after waiting for its other sends to finish.

        Called in a transaction: on PostgreSQL a lock per address holds the
        count until the transaction that asked ends, and on SQLite every
        writing transaction holds the database from its start; so two sends
        at once cannot both be let through under the limit.
        """
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(address_hash[:15], 16)])
        return self.filter(address_hash=address_hash, created_at__gt=timezone.now() - timedelta(hours=1))


class Correction(models.Model):
    """A reader's proposed change to one paragraph of a transcript, waiting for a proofreader."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        ACCEPTED = "accepted", _("已采纳")
        REJECTED = "rejected", _("未采纳")
        STALE = "stale", _("段落已改动")

    class AlreadySettled(Exception):
        """Someone settled the correction first (another proofreader, or a second click)."""

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("节目")
    )
    paragraph_key = models.CharField(
        _("段落"), max_length=16, editable=False, help_text="A hash of the original paragraph's text."
    )
    original = models.TextField(_("原文"), editable=False)
    # Checked to render by the forms that write it, once they know the text is worth the render.
    proposed = models.TextField(_("建议改为"), max_length=PROPOSAL_MAX_CHARACTERS)
    note = models.TextField(_("说明"), max_length=500, blank=True, help_text=_("可选：为什么这样改。"))
    name = models.CharField(
        _("署名"), max_length=40, blank=True, help_text=_("可选：采纳后在修改记录中致谢。")
    )
    address_hash = models.CharField(
        max_length=64, editable=False, help_text="A keyed hash of the sender's address, for the rate limit."
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.OPEN)
    reply = models.TextField(
        _("回复"),
        max_length=1000,
        blank=True,
        help_text=_("可选：给读者的话，采纳后显示在公开的纠错记录里（栏目开启时）。"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("处理人"),
    )
    reviewed_at = models.DateTimeField(_("处理时间"), null=True, blank=True, editable=False)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("读者纠错")
        verbose_name_plural = pgettext_lazy("plural", "读者纠错")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["address_hash", "created_at"]),
        ]

    def __str__(self):
        return gettext("对“%(episode)s”的纠错") % {"episode": self.episode}

    def save(self, *args, **kwargs):
        self.proposed = as_stored(self.proposed)
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def changes(self):
        """What the proposal changes, in short, with a little of the text around each change."""
        return changed_fragments(self.original, self.proposed)

    def is_current(self):
        """Whether the paragraph still reads as it did when the reader saw it."""
        transcript = getattr(self.episode, "transcript", None)
        return transcript is not None and transcript.paragraph(self.paragraph_key) is not None

    def accept(self, reviewer):
        """Apply the proposal to the transcript, as a new revision credited to the reader.

        If the paragraph has changed since the reader saw it, nothing is
        applied: the suggestion is marked stale, and False is returned.
        Raises `AlreadySettled` if someone settled it first.
        """
        with transaction.atomic():
            transcript = (
                Transcript.objects.select_for_update()
                .select_related("episode__column")
                .get(episode_id=self.episode_id)
            )
            source = replace_paragraph(transcript.source, self.paragraph_key, self.proposed)
            if source is None:
                self._settle(self.Status.STALE, reviewer)
                return False
            self._settle(self.Status.ACCEPTED, reviewer)
            with reversion.create_revision():
                transcript.source = source
                transcript.save()
                episode = transcript.episode
                episode.save(update_fields=["updated_at"])
                reversion.add_to_revision(episode)
                reversion.set_user(reviewer)
                reversion.set_comment(
                    gettext("采纳读者纠错，感谢 %(name)s") % {"name": self.name or gettext("匿名读者")}
                )
        return True

    def reject(self, reviewer):
        """Close the suggestion unapplied; raises `AlreadySettled` if someone settled it first."""
        self._settle(self.Status.REJECTED, reviewer)

    def _settle(self, status, reviewer):
        # Only an open one changes: of two proofreaders settling it at once, the second is told.
        now = timezone.now()
        settled = (
            Correction.objects.open()
            .filter(pk=self.pk)
            .update(status=status, reviewed_by=reviewer, reviewed_at=now)
        )
        if not settled:
            raise self.AlreadySettled
        self.status, self.reviewed_by, self.reviewed_at = status, reviewer, now


class SearchEntry(models.Model):
    """An episode's row in the search index; written by `episodes.search`, read through `search()`."""

    episode = models.OneToOneField(
        Episode,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="search_entry",
    )
    document = SearchDocumentField()

    class Meta:
        # Made by its migration by hand: Django cannot describe either database's index table. Managed
        # all the same, so that a flush (and each test) empties it with the episodes it refers to.
        db_table = "episodes_search"

    def __str__(self):
        return f"search entry of episode {self.episode_id}"


# An episode's revision holds the whole page: its tabs and players, warnings,
# transcript and tags, so that restoring it restores all of them together.
reversion.register(Embed)
reversion.register(Tab, follow=["embed"])
reversion.register(Warning)
reversion.register(Transcript)
reversion.register(TaggedItem)
reversion.register(Episode, follow=["tabs_with_players", "warnings", "transcript", "taggings"])
