import re
from collections import Counter
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from column.ranges import ColumnNavigation, episode_range_key, range_label_and_condition, range_start
from markup.indexes import index_notes
from markup.render import MAX_SOURCE_CHARACTERS, render_markdown, validate_renderable

# The closing brackets a title may put after the episode's number, as in 【产经破壁机052】.
NUMBER_CLOSERS = "】]）)」』"
# How many of a column's latest episodes tell its title pattern.
TITLE_PATTERN_EXAMPLES = 50


def title_pattern_of(numbered_titles):
    """The title pattern most of `numbered_titles` follow, as `episode_title_pattern` writes it, or "".

    `numbered_titles` are (number, title) pairs. A title follows a pattern
    when its number appears in it: the text before the number and a closing
    bracket right after it make the pattern, and zeros before the number its
    width. Specials numbered with a fraction say nothing of the pattern.
    """
    patterns, widths, counted = Counter(), {}, 0
    for number, title in numbered_titles:
        if number is None or number != int(number):
            continue
        counted += 1
        written = next((m for m in re.finditer(r"\d+", title) if int(m.group()) == int(number)), None)
        if written is None:
            continue
        after = title[written.end() : written.end() + 1]
        key = (title[: written.start()], after if after and after in NUMBER_CLOSERS else "")
        patterns[key] += 1
        if written.group().startswith("0"):
            widths[key] = max(widths.get(key, 0), len(written.group()))
    if not patterns:
        return ""
    key, count = patterns.most_common(1)[0]
    if count * 2 <= counted:
        return ""
    prefix, closer = (part.replace("{", "{{").replace("}", "}}") for part in key)
    width = widths.get(key)
    return f"{prefix}{{number:0{width}}}{closer}" if width else f"{prefix}{{number}}{closer}"


# A warning or notice is a sentence or two; a page of them is a mistake.
CALLOUT_MAX_CHARACTERS = 20_000


class StoresRenderedMarkdown(models.Model):
    """Keeps the HTML of its markdown fields beside them, rendered on every save.

    `rendered_fields` maps each markdown field to the field that holds its HTML.
    """

    rendered_fields = {}

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        for source, html in self.rendered_fields.items():
            setattr(self, html, self.render_field(getattr(self, source)))
        if update_fields is not None:
            # What is rendered goes with its source: update_or_create(), say, names only the source.
            update_fields = set(update_fields)
            update_fields |= {
                html for source, html in self.rendered_fields.items() if source in update_fields
            }
        super().save(*args, update_fields=update_fields, **kwargs)

    def render_field(self, source):
        return render_markdown(source)


class Callout(StoresRenderedMarkdown):
    """A Wiki.js callout: a tinted box with a coloured bar and an icon."""

    rendered_fields = {"text": "text_html"}

    class Kind(models.TextChoices):
        INFO = "info", _("提示（蓝）")
        WARNING = "warning", _("注意（黄）")
        SUCCESS = "success", _("完成（绿）")
        DANGER = "danger", _("警告（红）")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind, default=Kind.WARNING)
    text = models.TextField(
        _("内容"),
        max_length=CALLOUT_MAX_CHARACTERS,
        validators=[validate_renderable],
        help_text=_("Markdown，与文稿写法相同。"),
    )
    text_html = models.TextField(editable=False, default="")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text[:40]


# First path segments the site itself uses; a column cannot take them.
RESERVED_SLUGS = frozenset(
    {"admin", "tags", "static", "media", "search", "feeds", "language", "healthz", "livez"}
)


def validate_column_slug(slug):
    admin_segment = settings.ADMIN_URL.split("/", 1)[0]
    if slug.lower() in RESERVED_SLUGS | {admin_segment.lower()}:
        raise ValidationError(gettext("“%(slug)s” 已被网站本身使用，请换一个网址名。") % {"slug": slug})


# The archive's standard warning above transcripts that are not yet proofread.
MACHINE_TRANSCRIPT_WARNING = "以下文本为音频转录结果，存在一定错误，校对正在进行中。"


class ImportedFromWiki(models.Model):
    """Where a record came from in the Wiki.js archive, for re-import and export."""

    legacy_path = models.CharField(
        _("原 Wiki 路径"),
        max_length=255,
        blank=True,
        help_text=_("从 Wiki.js 导入时的页面路径，如 business/51；新建的内容留空。"),
    )
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    wiki_metadata = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def edited_since_import(self):
        return self.imported_at is not None and self.updated_at > self.imported_at


class ColumnQuerySet(models.QuerySet):
    def in_navigation(self):
        """The columns readers can go to: those with a public episode (a folder of drafts is none)."""
        episodes = Column.episodes.rel.related_model.objects.public()
        return self.filter(models.Exists(episodes.filter(column=models.OuterRef("pk"))))


class Column(StoresRenderedMarkdown):
    rendered_fields = {"about": "about_html", "default_warning": "default_warning_html"}

    slug = models.SlugField(
        _("网址名"),
        max_length=50,
        unique=True,
        validators=[validate_column_slug],
        help_text=_("出现在网址中，如 business → /business/。"),
    )
    name = models.CharField(_("栏目名"), max_length=100, help_text=_("如：产经破壁机"))
    description = models.CharField(_("简介"), max_length=300, blank=True)
    about = models.TextField(
        _("关于本栏目"),
        blank=True,
        max_length=MAX_SOURCE_CHARACTERS,
        validators=[validate_renderable],
        help_text=_("Markdown，显示在栏目页的节目列表之前。"),
    )
    about_html = models.TextField(editable=False, default="")
    position = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("数字小的排在前面。"))
    image = models.ImageField(
        _("栏目图片"),
        upload_to="columns/",
        blank=True,
        help_text=_("分享链接时的预览图（建议 1200×630）；视频封面无法得知时使用。"),
    )

    episode_title_pattern = models.CharField(
        _("新一期标题格式"),
        max_length=100,
        blank=True,
        help_text=_("新建一期时标题的开头，{number:03} 代表补零到三位的期数，如：【产经破壁机{number:03}】"),
    )
    default_tab_labels = models.CharField(
        _("默认播放器标签"),
        max_length=200,
        blank=True,
        default="B站, YouTube",
        help_text=_("新建一期时预先放好的标签页，用逗号分隔。"),
    )
    default_warning = models.TextField(
        _("校对提示"),
        blank=True,
        max_length=CALLOUT_MAX_CHARACTERS,
        validators=[validate_renderable],
        default=MACHINE_TRANSCRIPT_WARNING,
        help_text=_("文稿校对完成之前，节目页自动显示的提示（Markdown）；校对完成后自动消失。"),
    )
    default_warning_html = models.TextField(editable=False, default="")
    shows_corrections_log = models.BooleanField(
        _("公开纠错记录"),
        default=False,
        help_text=_("在节目页的文稿之后列出已采纳的读者纠错：日期和改动之处。"),
    )

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    objects = ColumnQuerySet.as_manager()

    class Meta:
        # Chinese names one column and many alike, so the English plural needs a context of its own;
        # so does the singular here, as the public pages already translate 栏目 alone as “Columns”.
        verbose_name = pgettext_lazy("singular", "栏目")
        verbose_name_plural = pgettext_lazy("plural", "栏目")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("column:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.episode_title_pattern:
            try:
                self.format_episode_title(1)
            except (KeyError, IndexError, ValueError) as error:
                message = gettext("格式无法使用（%(error)s），只能包含 {number} 或 {number:03}。") % {
                    "error": error
                }
                raise ValidationError({"episode_title_pattern": message}) from error

    def social_image(self):
        return self.image.url if self.image else ""

    def fill_episode_title_pattern(self):
        """Give a column without a title pattern (an imported one) the pattern its latest episodes follow."""
        if self.episode_title_pattern:
            return
        numbered = self.episodes.exclude(number=None).order_by("-number")
        pattern = title_pattern_of(numbered.values_list("number", "title")[:TITLE_PATTERN_EXAMPLES])
        if pattern:
            self.episode_title_pattern = pattern
            self.save(update_fields=["episode_title_pattern", "updated_at"])

    def format_episode_title(self, number):
        return self.episode_title_pattern.format(number=number)

    def next_episode_number(self):
        latest = self.episodes.aggregate(latest=models.Max("number"))["latest"]
        # After a special such as 13.5 comes 14.
        return 1 if latest is None or latest < 1 else int(latest) + 1

    def tab_labels(self):
        return [
            label.strip() for label in self.default_tab_labels.replace("，", ",").split(",") if label.strip()
        ]

    def range_notes(self):
        """The public navigation pages that say something besides their links, latest range first."""
        pages = self.navigation_pages.filter(is_published=True).exclude(notes_html="")
        return sorted(pages, key=lambda page: range_start(page.path), reverse=True)

    def episode_ranges(self):
        """The column's public episodes in the shelves the wiki kept them on, newest first.

        A column that numbers its episodes has its hundreds (`801-900`, as the
        wiki's range pages), then its specials (numbered 0 or below, or not at
        all); a dated one has its years. Each range is `(key, label, count,
        condition)`, empty ones left out.
        """
        counts = Counter(
            episode_range_key(self, number, aired_on)
            for number, aired_on in self.episodes.public().values_list("number", "aired_on")
        )
        ranges = []
        # Hundreds and years, latest first; the specials or the undated after them.
        for key in sorted(counts, key=lambda key: -int(key.split("-")[0]) if key[0].isdigit() else 0):
            label, condition = range_label_and_condition(key)
            ranges.append((key, label, counts[key], condition))
        return ranges

    def navigation(self, range_key=None, episode=None):
        """What the site's navigation shows of the column: its ranges, and the current one's episodes.

        The current range is the one named by `range_key`, else the one that
        lists `episode`, else the latest. Its episodes are listed only beside
        an episode, so that the reader can step to its neighbours; the column's
        own page lists them in its text.
        """
        ranges = self.episode_ranges()
        if episode is not None and range_key is None:
            range_key = episode_range_key(self, episode.number, episode.aired_on)
        current = next((r for r in ranges if r[0] == range_key), ranges[0] if ranges else None)
        episodes = []
        if episode is not None and current is not None:
            episodes = [
                (item, item.pk == episode.pk)
                for item in self.index_episodes()
                .filter(current[3])
                .only("column_id", "number", "slug", "title")
            ]
            for item, _ in episodes:
                item.column = self  # its address names the column: no query for each
        return ColumnNavigation(self, ranges, current, episodes)

    def range_url(self, episode):
        """The column page at the range that lists `episode` (see `episode_ranges`)."""
        return self.range_address(episode_range_key(self, episode.number, episode.aired_on))

    def range_address(self, key):
        """The column page at one of its ranges."""
        return f"{self.get_absolute_url()}?range={key}"

    @cached_property
    def numbers_its_episodes(self):
        """Whether the column's episodes have numbers; a dated column's (睡前每日新闻) go by their date."""
        return self.episodes.filter(number__gt=0).exists()

    def index_episodes(self):
        """Public episodes in the order of the wiki's index: newest number first, specials last.

        Specials numbered 0 or below, and episodes without a number, come after the numbered ones.
        """
        return self.episodes.public().order_by(
            models.Case(models.When(number__gt=0, then=0), default=1),
            models.F("number").desc(nulls_last=True),
            models.F("aired_on").desc(nulls_last=True),
            "-published_at",
        )


class ColumnNotice(Callout):
    column = models.ForeignKey(
        Column,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=pgettext_lazy("singular", "栏目"),
    )

    class Meta(Callout.Meta):
        verbose_name = _("栏目公告")
        verbose_name_plural = pgettext_lazy("plural", "栏目公告")


# The wiki's home page, whose notices and links the site's front page carries.
WIKI_HOME_PATH = "home"


class Page(StoresRenderedMarkdown, ImportedFromWiki):
    """A site-wide page of the wiki (`status`, `editing`, …), or a column's navigation page.

    A navigation page (such as `main/601-700`) belongs to a column; its old
    address leads to the column page, and its text is kept for export.
    """

    rendered_fields = {"body": "body_html"}

    path = models.CharField(_("路径"), max_length=255, unique=True, help_text=_("网址路径，如 status。"))
    title = models.CharField(_("标题"), max_length=200)
    description = models.CharField(_("简介"), max_length=500, blank=True)
    body = models.TextField(
        _("正文"),
        blank=True,
        max_length=MAX_SOURCE_CHARACTERS,
        validators=[validate_renderable],
        help_text=_("Markdown。"),
    )
    body_html = models.TextField(editable=False, default="")
    notes_html = models.TextField(
        editable=False, default="", help_text="What a navigation page says besides its lists of links."
    )
    is_published = models.BooleanField(_("公开"), default=True)
    column = models.ForeignKey(
        Column,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="navigation_pages",
        verbose_name=_("导航页所属栏目"),
        help_text=_("设置后，这是栏目的导航页：旧网址跳转到栏目页。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("站点页面")
        verbose_name_plural = pgettext_lazy("plural", "站点页面")
        ordering = ["path"]

    def __str__(self):
        return self.title

    def save(self, *args, update_fields=None, **kwargs):
        # A navigation page's notices and notes show on its column's page, without its lists of links.
        notes = index_notes(self.body) if self.column_id else ""
        self.notes_html = render_markdown(notes, wiki_path=self.path) if notes else ""
        if update_fields is not None and "body" in update_fields:
            update_fields = {*update_fields, "notes_html"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        if self.column_id:
            return self.column.get_absolute_url()
        return f"/{self.path}/"

    def render_field(self, source):
        return render_markdown(source, wiki_path=self.path)
