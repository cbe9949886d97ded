"""The proofreaders' queue of readers' corrections."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from episodes.admin.forms import CorrectionReviewForm
from episodes.diff import character_diff
from episodes.models import Correction
from markup.forms import TEXT_AS_STORED


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    formfield_overrides = TEXT_AS_STORED
    """The proofreaders' queue of readers' corrections: read the change, then accept or reject it."""

    form = CorrectionReviewForm
    change_form_template = "admin/episodes/correction/change_form.html"
    list_display = ["changes", "episode", "name", "created_at", "status"]
    list_display_links = ["changes"]
    list_filter = ["status", ("episode__column", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["episode"]
    search_fields = ["proposed", "original", "note", "name", "episode__title"]
    fields = [
        "episode_links",
        "difference",
        "original",
        "proposed",
        "note",
        "name",
        "created_at",
        "reply",
        "status",
        "reviewed_by",
        "reviewed_at",
    ]
    readonly_fields = [
        "episode_links",
        "difference",
        "original",
        "note",
        "created_at",
        "status",
        "reviewed_by",
        "reviewed_at",
    ]
    actions = ["reject_selected"]

    class Media:
        css = {"all": ["episodes/admin-pages.css"]}

    def has_add_permission(self, request):
        return False  # readers send them from the episode page

    def has_change_permission(self, request, correction=None):
        # Accepting one edits the transcript; a settled one stays as it was settled.
        return (
            super().has_change_permission(request, correction)
            and request.user.has_perm("episodes.change_transcript")
            and (correction is None or correction.is_open)
        )

    def has_delete_permission(self, request, correction=None):
        # An accepted one is part of the transcript's history and of the column's public log.
        return super().has_delete_permission(request, correction) and (
            correction is None or correction.status != Correction.Status.ACCEPTED
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        # It would not spare the accepted ones; rejecting is how the queue is cleared.
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("改动"))
    def changes(self, correction):
        return format_html('<span class="character-diff">{}</span>', correction.changes())

    @admin.display(description=_("节目"))
    def episode_links(self, correction):
        episode = correction.episode
        return format_html(
            '<a href="{}">{}</a> · <a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("admin:episodes_episode_change", args=[episode.pk]),
            episode.title,
            episode.get_absolute_url(),
            gettext("查看节目页"),
        )

    @admin.display(description=_("逐字对比"))
    def difference(self, correction):
        stale = ""
        if correction.is_open and not correction.is_current():
            stale = format_html(
                '<p class="errornote">{}</p>',
                gettext("这一段在读者提交之后已经改动，无法直接采纳。"),
            )
        return format_html(
            '{}<div class="character-diff">{}</div>',
            stale,
            character_diff(correction.original, correction.proposed),
        )

    def save_model(self, request, correction, form, change):
        # Only what the form edits: the status is the business of accept() and reject() alone.
        if form.changed_data:
            correction.save(update_fields=form.changed_data)

    def response_change(self, request, correction):
        if "_accept" not in request.POST and "_reject" not in request.POST:
            return super().response_change(request, correction)
        try:
            if "_reject" in request.POST:
                correction.reject(request.user)
                self.message_user(request, gettext("已标记为未采纳。"), messages.SUCCESS)
            elif correction.accept(request.user):
                self.message_user(request, gettext("已采纳，文稿已更新。"), messages.SUCCESS)
            else:
                self.message_user(
                    request,
                    gettext("这一段在读者提交之后已经改动，建议没有应用，已标记为“段落已改动”。"),
                    messages.WARNING,
                )
        except Correction.AlreadySettled:
            self.message_user(request, gettext("这条建议刚刚已由别人处理，没有再改动。"), messages.WARNING)
        return redirect(f"{reverse('admin:episodes_correction_changelist')}?status__exact=open")

    @admin.action(description=_("不采纳所选建议"), permissions=["change"])
    def reject_selected(self, request, queryset):
        rejected = 0
        for correction in queryset.open():
            try:
                correction.reject(request.user)
                rejected += 1
            except Correction.AlreadySettled:
                continue  # settled by someone else since the list was shown
        self.message_user(
            request,
            ngettext("%(count)d 条建议已标记为未采纳。", "%(count)d 条建议已标记为未采纳。", rejected)
            % {"count": rejected},
        )
