"""The forms of the episode admin: a tab with its player, the episode with its edit-conflict guard."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagWidget

from episodes.models import Correction, Embed, Episode, Tab
from episodes.players import PlayerLinkFormField
from episodes.revisions import latest_revision
from markup.render import validate_renderable_transcript

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

    url = PlayerLinkFormField(label=_("视频链接"), required=False)
    offset_seconds = forms.IntegerField(
        label=_("时间偏移（秒）"),
        required=False,
        min_value=-86400,
        max_value=86400,
        help_text=Embed._meta.get_field("offset_seconds").help_text,
    )

    class Meta:
        model = Tab
        fields = ["label", "url", "offset_seconds", "notice", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("url", self.instance.url)
            player = self.instance.player
            self.initial.setdefault("offset_seconds", player.offset_seconds if player else 0)

    @transaction.atomic
    def save(self, commit=True):
        tab = super().save(commit=commit)
        if commit:
            self.save_player(tab)
        return tab

    def save_player(self, tab):
        url = self.cleaned_data.get("url")
        if url:
            offset = self.cleaned_data.get("offset_seconds") or 0
            Embed.objects.update_or_create(tab=tab, defaults={"url": url, "offset_seconds": offset})
        else:
            Embed.objects.filter(tab=tab).delete()


class EpisodeForm(forms.ModelForm):
    """The episode's details, plus what keeps two editors from overwriting each other."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    revision_comment = forms.CharField(
        label=_("修改说明"),
        required=False,
        max_length=200,
        help_text=_("可选：这次改了什么，会记在历史里。"),
    )

    class Meta:
        model = Episode
        fields = [
            "column",
            "number",
            "slug",
            "title",
            "description",
            "tags",
            "status",
            "published_at",
            "aired_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()

    @property
    def changed_data(self):
        """What the editor changed: the version the form was loaded from and the comment are not changes."""
        return [name for name in super().changed_data if name not in {"loaded_version", "revision_comment"}]

    # Set by the admin when an editor's re-applied edit overlaps the other person's (see conflicts.py).
    reapply_overlaps = ()

    def clean(self):
        cleaned_data = super().clean()
        if self.reapply_overlaps:
            raise ValidationError(self.overlap_message(), code="reapply_overlap")
        loaded = cleaned_data.get("loaded_version")
        if self.instance.pk and loaded:
            current = Episode.objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True).first()
            if current is not None and current.isoformat() != loaded:
                raise ValidationError(self.conflict_message(), code="edit_conflict")
        return cleaned_data

    def conflict_message(self):
        revision = latest_revision(self.instance)
        who = revision.user.get_username() if revision and revision.user else gettext("其他人")
        return gettext(
            "保存失败：你打开这期节目之后，%(user)s 已经保存了新的修改。"
            "对方的改动列在上面，你的修改还在表单里：可以一键在对方的版本上重新应用你的修改。"
        ) % {"user": who}

    def overlap_message(self):
        return gettext(
            "你和对方改了同一处：%(parts)s。其余的修改已经应用到对方的版本上；"
            "这几处表单里仍是你的文字，请对照上面对方的改动核对，再保存（保存后以表单为准）。"
        ) % {"parts": gettext("、").join(self.reapply_overlaps)}


class WarningFormSet(forms.BaseInlineFormSet):
    """An episode's own warnings; the column's standard one is shown for it, so a copy is refused."""

    def clean(self):
        super().clean()
        column = self.instance.column if self.instance.column_id else None
        # Compared without whitespace: a copy from the wiki differs in its line breaks, if at all.
        standard = "".join(column.default_warning.split()) if column else ""
        if not standard:
            return
        for form in self.forms:
            text = form.cleaned_data.get("text", "") if form.has_changed() else ""
            if "".join(text.split()) == standard and not self._should_delete_form(form):
                form.add_error(
                    "text",
                    gettext(
                        "这是栏目的标准校对提示：文稿校对完成之前它会自动显示，不必手动添加，"
                        "否则读者会看到两遍。请删除这一行。"
                    ),
                )


class CorrectionReviewForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["proposed", "name", "reply"]

    def clean_proposed(self):
        validate_renderable_transcript(self.cleaned_data["proposed"])
        return self.cleaned_data["proposed"]
