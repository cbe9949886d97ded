import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from reversion.admin import VersionAdmin
from taggit.forms import TagWidget
from taggit.managers import TaggableManager

from episodes.models import Embed, Episode, Tab, Transcript, Warning
from episodes.players import PlayerLinkFormField
from episodes.wikijs.importer import import_tree
from episodes.wikijs.uploads import WikiUploadForm

TAG_SUGGESTION_LIMIT = 2000


class TagSuggestionWidget(TagWidget):
    """taggit's comma-separated input, offering the tags episodes already use."""

    template_name = "episodes/widgets/tag_suggestions.html"

    class Media:
        js = ["episodes/tag-suggestions.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id", name)
        context["widget"]["attrs"].update(
            {"list": f"{widget_id}-suggestions", "data-tag-suggestions": "", "autocomplete": "off"}
        )
        context["widget"]["suggestions"] = [
            tag.name for tag in Episode.tags.most_common()[:TAG_SUGGESTION_LIMIT]
        ]
        return context


class TabForm(forms.ModelForm):
    """A tab and its player edited as one row: the label and the video link."""

    url = PlayerLinkFormField(label="视频链接", required=False)

    class Meta:
        model = Tab
        fields = ["label", "url", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("url", self.instance.url)

    @transaction.atomic
    def save(self, commit=True):
        tab = super().save(commit=commit)
        if commit:
            self.save_player(tab)
        return tab

    def save_player(self, tab):
        url = self.cleaned_data.get("url")
        if url:
            Embed.objects.update_or_create(tab=tab, defaults={"url": url})
        else:
            Embed.objects.filter(tab=tab).delete()


class TabInline(admin.TabularInline):
    model = Tab
    form = TabForm
    extra = 0


class WarningInline(admin.TabularInline):
    model = Warning
    extra = 0
    fields = ["kind", "text", "position"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class TranscriptInline(admin.StackedInline):
    model = Transcript
    can_delete = False
    min_num = 1
    max_num = 1
    fields = ["status", "source"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "source":
            kwargs["widget"] = forms.Textarea(
                attrs={"rows": 30, "class": "vLargeTextField transcript-source"}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class EpisodeStateFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "草稿"), ("review", "待审"), ("scheduled", "已排期"), ("live", "已公开")]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Episode.Status.PUBLISHED)
        return {
            "draft": queryset.filter(status=Episode.Status.DRAFT),
            "review": queryset.filter(status=Episode.Status.REVIEW),
            "scheduled": published.filter(published_at__gt=now),
            "live": published.filter(published_at__lte=now),
        }.get(self.value(), queryset)


@admin.register(Episode)
class EpisodeAdmin(VersionAdmin):
    change_list_template = "admin/episodes/episode/change_list.html"
    list_display = [
        "title",
        "column",
        "number",
        "state",
        "published_at",
        "proofreading_status",
        "updated_at",
    ]
    list_display_links = ["title"]
    list_filter = ["column", EpisodeStateFilter, "transcript__status", "tags"]
    list_select_related = ["column", "transcript"]
    search_fields = ["title", "description", "legacy_path", "transcript__source"]
    date_hierarchy = "published_at"
    inlines = [TabInline, WarningInline, TranscriptInline]
    formfield_overrides = {TaggableManager: {"widget": TagSuggestionWidget(attrs={"size": 60})}}
    actions = ["submit_for_review", "publish_selected", "unpublish_selected", "mark_proofread"]
    fieldsets = [
        (None, {"fields": ["column", ("number", "slug"), "title", "description", "tags"]}),
        ("发布", {"fields": ["status", "published_at"]}),
        ("记录", {"classes": ["collapse"], "fields": ["legacy_path", "created_at", "updated_at"]}),
    ]

    # Roles. Editors change an episode's details; proofreaders reach the
    # form for its transcript alone; publishing needs its own permission.
    def has_edit_permission(self, request):
        return request.user.has_perm("episodes.change_episode")

    def has_publish_permission(self, request):
        return request.user.has_perm("episodes.publish_episode")

    def has_proofread_permission(self, request):
        return request.user.has_perm("episodes.change_transcript")

    def has_change_permission(self, request, obj=None):
        return self.has_edit_permission(request) or self.has_proofread_permission(request)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["legacy_path", "created_at", "updated_at"]
        if not self.has_edit_permission(request):
            return [
                *readonly,
                "column",
                "number",
                "slug",
                "title",
                "description",
                "tags",
                "status",
                "published_at",
            ]
        if not self.has_publish_permission(request):
            readonly.append("published_at")
            if obj is not None and obj.status == Episode.Status.PUBLISHED:
                readonly.append("status")
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["number"]} if self.has_edit_permission(request) else {}

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.has_publish_permission(request):
            kwargs["choices"] = [
                (value, label) for value, label in Episode.Status.choices if value != Episode.Status.PUBLISHED
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """Save the details; publication changes only through `publish()` and `unpublish()`."""
        wanted_status, wanted_time = obj.status, obj.published_at
        stored = (
            Episode.objects.filter(pk=obj.pk).values("status", "published_at").first()
            if change
            else {"status": Episode.Status.DRAFT, "published_at": None}
        )
        obj.status, obj.published_at = stored["status"], stored["published_at"]
        if Episode.Status.PUBLISHED not in (wanted_status, stored["status"]):
            obj.status = wanted_status
        super().save_model(request, obj, form, change)
        if wanted_status == Episode.Status.PUBLISHED:
            if stored["status"] != Episode.Status.PUBLISHED or wanted_time != stored["published_at"]:
                obj.publish(at=wanted_time)
        elif stored["status"] == Episode.Status.PUBLISHED:
            obj.unpublish()

    @admin.display(description="状态", ordering="status")
    def state(self, episode):
        if episode.is_scheduled:
            return f"已排期：{timezone.localtime(episode.published_at):%Y-%m-%d %H:%M}"
        return episode.state_label

    @admin.action(description="提交审核", permissions=["edit"])
    def submit_for_review(self, request, queryset):
        episodes = list(queryset.filter(status=Episode.Status.DRAFT))
        for episode in episodes:
            episode.submit_for_review()
        self.message_user(request, f"{len(episodes)} 期已提交审核。")

    @admin.action(description="立即发布", permissions=["publish"])
    def publish_selected(self, request, queryset):
        episodes = list(queryset.exclude(status=Episode.Status.PUBLISHED))
        for episode in episodes:
            episode.publish()
        self.message_user(request, f"{len(episodes)} 期已发布。")

    @admin.action(description="撤回为草稿", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        episodes = list(queryset.filter(status=Episode.Status.PUBLISHED))
        for episode in episodes:
            episode.unpublish()
        self.message_user(request, f"{len(episodes)} 期已撤回为草稿。")

    @admin.action(description="标记为已校对", permissions=["proofread"])
    def mark_proofread(self, request, queryset):
        updated = 0
        for transcript in Transcript.objects.filter(episode__in=queryset).exclude(
            status=Transcript.Status.PROOFREAD
        ):
            transcript.status = Transcript.Status.PROOFREAD
            transcript.save(update_fields=["status", "updated_at"])
            updated += 1
        self.message_user(request, f"{updated} 期文稿已标记为已校对。")

    def get_urls(self):
        return [
            path(
                "import-wikijs/",
                self.admin_site.admin_view(self.import_wikijs_view),
                name="episodes_episode_import_wikijs",
            ),
            *super().get_urls(),
        ]

    def import_wikijs_view(self, request):
        """Upload pages or a zipped tree of the wiki and import them, as `import_wikijs` does."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = WikiUploadForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            with tempfile.TemporaryDirectory(prefix="wikijs-upload-") as workdir:
                try:
                    form.write_tree(Path(workdir))
                except ValidationError as error:
                    form.add_error("files", error)
                else:
                    report = import_tree(
                        workdir,
                        overwrite=form.cleaned_data["overwrite"],
                        dry_run=form.cleaned_data["dry_run"],
                    )
        context = {
            **self.admin_site.each_context(request),
            "title": "从 Wiki.js 导入",
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "dry_run": form.is_bound and form.is_valid() and form.cleaned_data["dry_run"],
        }
        return TemplateResponse(request, "admin/episodes/episode/import_wikijs.html", context)

    @admin.display(description="校对状态", ordering="transcript__status")
    def proofreading_status(self, episode):
        transcript = getattr(episode, "transcript", None)
        return transcript.get_status_display() if transcript else "—"
