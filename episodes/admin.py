import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path
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
        if self.instance.pk and self.instance.player:
            self.initial.setdefault("url", self.instance.player.url)

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


@admin.register(Episode)
class EpisodeAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "column",
        "number",
        "status",
        "published_at",
        "proofreading_status",
        "updated_at",
    ]
    list_display_links = ["title"]
    list_filter = ["column", "status", "transcript__status", "tags"]
    list_select_related = ["column", "transcript"]
    search_fields = ["title", "description", "legacy_path", "transcript__source"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["number"]}
    inlines = [TabInline, WarningInline, TranscriptInline]
    readonly_fields = ["legacy_path", "created_at", "updated_at"]
    formfield_overrides = {TaggableManager: {"widget": TagSuggestionWidget(attrs={"size": 60})}}
    fieldsets = [
        (None, {"fields": ["column", ("number", "slug"), "title", "description", "tags"]}),
        ("发布", {"fields": ["status", "published_at"]}),
        ("记录", {"classes": ["collapse"], "fields": ["legacy_path", "created_at", "updated_at"]}),
    ]

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
