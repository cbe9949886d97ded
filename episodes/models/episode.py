import re
from datetime import datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from column.models import Column, ImportedFromWiki
from episodes import airdates, search
from episodes.models.parts import Tab, Transcript

TITLE_PREFIX = re.compile(r"^\s*【[^】]*】\s*")


def format_episode_number(number):
    """13 for 13.0, 13.5 for 13.5; empty for no number."""
    if number is None:
        return ""
    return str(int(number)) if number == int(number) else f"{number.normalize():f}"


class EpisodeQuerySet(models.QuerySet):
    def public(self, now=None):
        """What the public may see: published, and its publication time has come (`Episode.public_at`)."""
        return self.filter(Episode.public_at(now or timezone.now()))

    def scheduled(self, now=None):
        """Published, with a publication time still ahead."""
        return self.filter(Episode.scheduled_at(now or timezone.now()))

    def latest_broadcast_first(self):
        """Newest broadcast first; an episode without an air date after those with one."""
        return self.order_by(F("aired_on").desc(nulls_last=True), "-published_at", "-pk")

    def publication_moments_passed(self, now):
        """When each public episode became public, latest first: the page cache follows these."""
        return self.public(now).order_by("-published_at").values("published_at")

    def tag_cloud(self, size=40):
        """The tags most used by these episodes, each with `num_times`; all of them when `size` is None."""
        tags = Episode.tags.most_common(
            min_count=1, extra_filters={"taggit_taggeditem_items__object_id__in": self.values("pk")}
        )
        return tags if size is None else tags[:size]

    def search(self, query):
        """Episodes matching every word of `query`, best first, with `search_score`.

        A query with no words (empty, or punctuation only) matches nothing.
        """
        return search.matching(self, query)

    def for_listing(self):
        return self.select_related("column").defer("wiki_metadata")

    def for_search_results(self):
        """What a search result shows: the title and address, the column, the broadcast date, and the
        transcript's text its passage is taken from."""
        return self.select_related("column", "transcript").only(
            "title", "slug", "aired_on", "column__slug", "column__name", "transcript__html"
        )

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
    number = models.DecimalField(
        _("期数"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("可以为 0、负数（如视频号特别篇 -1）或 13.5 这样的番外；没有期数的留空。"),
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

    class AirDateSource(models.TextChoices):
        PATH = "path", _("路径中的日期")
        TRANSCRIPT = "transcript", _("文稿开头的日期")
        GUESSED = "guessed", _("推测：页面的创建或发布日期")
        EDITOR = "editor", _("编辑填写")

    aired_on = models.DateField(
        _("播出日期"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("节目播出的日期，列表和订阅按它排序。"),
    )
    aired_on_source = models.CharField(
        _("播出日期来源"), max_length=10, choices=AirDateSource, blank=True, editable=False
    )

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
    def number_label(self):
        """The number as the column writes it: 13, 13.5."""
        return format_episode_number(self.number)

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
        if self.aired_on is None:
            # Until an editor says otherwise, an episode was broadcast when it is published.
            self.aired_on, self.aired_on_source = (
                timezone.localdate(self.published_at),
                self.AirDateSource.GUESSED,
            )
        self.save(update_fields=["status", "published_at", "aired_on", "aired_on_source", "updated_at"])

    def date_the_broadcast(self, transcript_source, fallback):
        """Set the air date from the best evidence: the path, the transcript's opening, else `fallback`.

        An air date an editor set is kept.
        """
        if self.aired_on_source == self.AirDateSource.EDITOR:
            return
        evidence = [
            (airdates.from_path(self.legacy_path), self.AirDateSource.PATH),
            (airdates.from_transcript(transcript_source), self.AirDateSource.TRANSCRIPT),
            (fallback, self.AirDateSource.GUESSED),
        ]
        self.aired_on, self.aired_on_source = next(
            ((found, source) for found, source in evidence if found), (None, "")
        )

    @property
    def aired_at(self):
        """The air date as a moment, for feeds; else the publication.

        Noon of that day in the site's time: the date then reads the same in any reader's zone.
        """
        if self.aired_on is None:
            return self.published_at
        return timezone.make_aware(datetime.combine(self.aired_on, time(12)))

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
            self.slug = self.number_label
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def playable_tabs(self):
        """Tabs that have a player."""
        return [tab for tab in self.tabs.all() if tab.player]

    def shown_tabs(self):
        """The tabs a reader sees: those with a player or a notice (`本期视频已被删除`); not one still empty."""
        return [tab for tab in self.tabs.all() if tab.player or tab.notice_html]

    def corrections_log(self, size=20):
        """The latest readers' corrections that were applied, newest first, as the public log lists them."""
        return self.corrections.accepted().order_by("-reviewed_at")[:size]

    def _public_neighbours(self):
        return Episode.objects.public().filter(column_id=self.column_id).exclude(pk=self.pk)

    def previous_episode(self):
        """The one before in the column: by number where it has one, else by air date."""
        if self.number is not None:
            return self._public_neighbours().filter(number__lt=self.number).order_by("-number").first()
        if self.aired_on is not None:
            earlier = self._public_neighbours().filter(number__isnull=True, aired_on__lt=self.aired_on)
            return earlier.order_by("-aired_on", "-pk").first()
        return None

    def next_episode(self):
        if self.number is not None:
            return self._public_neighbours().filter(number__gt=self.number).order_by("number").first()
        if self.aired_on is not None:
            later = self._public_neighbours().filter(number__isnull=True, aired_on__gt=self.aired_on)
            return later.order_by("aired_on", "pk").first()
        return None
