"""The parts of an episode's form: its players' tabs, its warnings and its transcript with the editor."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from column.models import Column
from episodes.admin.forms import TabForm, WarningFormSet
from episodes.models import Tab, Transcript, Warning
from markup.forms import TEXT_AS_STORED


def column_for_new_episode(request):
    """The column a new episode starts from: the one asked for, or the only one there is."""
    column_id = request.GET.get("column")
    if column_id and column_id.isdigit():
        return Column.objects.filter(pk=column_id).first()
    columns = list(Column.objects.all()[:2])
    return columns[0] if len(columns) == 1 else None


class TabInline(admin.TabularInline):
    model = Tab
    formfield_overrides = TEXT_AS_STORED
    form = TabForm
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        column = column_for_new_episode(request) if obj is None and request.method == "GET" else None
        return len(column.tab_labels()) if column else 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "notice":
            # Narrow enough that a row with its whole link fits the form at 1440 px.
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 24})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # The player's link and offset as those who may not change them read them.
    @admin.display(description=_("视频链接"))
    def url(self, tab):
        return tab.url or self.get_empty_value_display()

    @admin.display(description=_("时间偏移（秒）"))
    def offset_seconds(self, tab):
        return tab.player.offset_seconds if tab.player else self.get_empty_value_display()


class WarningInline(admin.TabularInline):
    model = Warning
    formset = WarningFormSet
    template = "admin/episodes/episode/warnings_inline.html"
    formfield_overrides = TEXT_AS_STORED
    extra = 0
    fields = ["kind", "text", "position"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class TranscriptInline(admin.StackedInline):
    model = Transcript
    formfield_overrides = TEXT_AS_STORED
    can_delete = False
    min_num = 1
    max_num = 1
    fields = ["status", "source"]

    class Media:
        css = {"all": ["css/callouts.css", "css/inks.css", "episodes/admin.css"]}
        js = ["episodes/transcript-editor.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "source":
            kwargs["widget"] = forms.Textarea(
                attrs={
                    "rows": 30,
                    "class": "vLargeTextField transcript-source",
                    "data-preview-url": reverse("admin:episodes_episode_preview_markdown"),
                    "data-preview-label": gettext("文稿预览"),
                    "data-preview-toggle": gettext("显示预览"),
                    "data-preview-unavailable": gettext("预览暂时不可用。"),
                    "data-count-template": gettext("正文字数（不计标记和空白）：%(count)s"),
                }
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
