"""The episode admin: the list and its filters, the form by role, saving and publishing, conflicts, the preview."""

import html as html_module

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import JsonResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from taggit.managers import TaggableManager

from episodes import search
from episodes.admin.conflicts import INLINE_PARTS, EditConflict
from episodes.admin.forms import EpisodeForm, TagSuggestionWidget
from episodes.admin.history import EpisodeHistoryViews
from episodes.admin.inlines import TabInline, TranscriptInline, WarningInline, column_for_new_episode
from episodes.models import Episode, Transcript
from markup.forms import TEXT_AS_STORED
from markup.render import RenderRefused, render_markdown
from markup.transcripts import paragraph_starts


class EpisodeStateFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", gettext("草稿")),
            ("review", gettext("待审")),
            ("scheduled", gettext("已排期")),
            ("live", gettext("已公开")),
        ]

    def queryset(self, request, queryset):
        return {
            "draft": queryset.filter(status=Episode.Status.DRAFT),
            "review": queryset.filter(status=Episode.Status.REVIEW),
            "scheduled": queryset.scheduled(),
            "live": queryset.public(),
        }.get(self.value(), queryset)


class AirDateFilter(admin.SimpleListFilter):
    """Where the air date came from, so that editors can find and correct the guesses."""

    title = _("播出日期")
    parameter_name = "aired"

    def lookups(self, request, model_admin):
        return [
            ("guessed", gettext("推测的日期")),
            ("stated", gettext("有依据的日期")),
            ("none", gettext("没有日期")),
        ]

    def queryset(self, request, queryset):
        sources = Episode.AirDateSource
        return {
            "guessed": queryset.filter(aired_on_source=sources.GUESSED),
            "stated": queryset.exclude(aired_on_source__in=[sources.GUESSED, ""]).exclude(aired_on=None),
            "none": queryset.filter(aired_on=None),
        }.get(self.value(), queryset)


@admin.register(Episode)
class EpisodeAdmin(EpisodeHistoryViews, VersionAdmin):
    form = EpisodeForm
    change_list_template = "admin/episodes/episode/change_list.html"
    object_history_template = "admin/episodes/episode/object_history.html"
    list_display = [
        "title",
        "column",
        "number_label",
        "state",
        "published_at",
        "proofreading_status",
        "updated_at",
    ]
    list_display_links = ["title"]
    list_filter = ["column", EpisodeStateFilter, AirDateFilter, "transcript__status", "tags"]
    list_select_related = ["column", "transcript"]
    search_fields = ["title"]  # the admin's search box runs the site's search; see get_search_results
    search_help_text = _("搜索标题、简介、标签和文稿，中文按词匹配。")
    date_hierarchy = "published_at"
    inlines = [TabInline, WarningInline, TranscriptInline]

    class Media:
        css = {"all": ["episodes/admin-pages.css"]}
        js = ["episodes/change-form.js"]

    formfield_overrides = {
        **TEXT_AS_STORED,
        TaggableManager: {"widget": TagSuggestionWidget(attrs={"size": 60})},
    }
    actions = ["submit_for_review", "publish_selected", "unpublish_selected", "mark_proofread"]
    fieldsets = [
        (None, {"fields": ["column", ("number", "slug"), "title", "description", "tags"]}),
        (_("发布"), {"fields": ["status", "published_at", "aired_on"]}),
        (_("记录"), {"classes": ["collapse"], "fields": ["legacy_path", "created_at", "updated_at"]}),
        (None, {"fields": ["revision_comment", "loaded_version"]}),
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
        if self.has_publish_permission(request):
            return readonly
        readonly.append("publication_time")
        if not self.has_edit_permission(request):
            # Proofreaders see the episode's details and change only its transcript.
            return [*readonly, *EpisodeForm.Meta.fields]
        if obj is not None and obj.status == Episode.Status.PUBLISHED:
            readonly.append("status")
        return readonly

    def get_fieldsets(self, request, obj=None):
        if self.has_publish_permission(request):
            return self.fieldsets
        # The others read when an episode goes out, and who sends it out.
        publication = {
            "fields": ["status", "publication_time", "aired_on"],
            "description": gettext(
                "发布、定时发布和撤回由主编操作。编辑写好之后，把状态改为“待审”交给主编。"
            ),
        }
        return [
            (name, publication if "published_at" in options["fields"] else options)
            for name, options in self.fieldsets
        ]

    @admin.display(description=_("发布时间"))
    def publication_time(self, episode):
        if episode.published_at is None:
            return self.get_empty_value_display()
        return formats.localize(timezone.localtime(episode.published_at))

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["number"]} if self.has_edit_permission(request) else {}

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.has_publish_permission(request):
            kwargs["choices"] = [
                (value, label) for value, label in Episode.Status.choices if value != Episode.Status.PUBLISHED
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """Saved with its players, warnings and transcript, in `save_related()`, if anything changed."""

    def save_related(self, request, form, formsets, change):
        if change and not form.changed_data and not any(formset.has_changed() for formset in formsets):
            # Nothing is written (not even the same tags again), so no revision is made.
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
            self.message_user(request, gettext("没有改动，所以没有保存新的版本。"), messages.INFO)
            return
        self._save_episode(form.instance, form, change)
        super().save_related(request, form, formsets, change)
        # The admin instance is shared between requests; the comment travels with this one.
        request.revision_comment = form.cleaned_data.get("revision_comment", "")

    def _save_episode(self, obj, form, change):
        """Save the details as they were; the state then changes through `Episode.set_publication()`."""
        if "aired_on" in form.changed_data:
            obj.aired_on_source = Episode.AirDateSource.EDITOR if obj.aired_on else ""
        wanted_status, wanted_time = obj.status, obj.published_at
        obj.status, obj.published_at = (
            Episode.objects.values_list("status", "published_at").get(pk=obj.pk)
            if change
            else (Episode.Status.DRAFT, None)
        )
        obj.save()
        obj.set_publication(wanted_status, wanted_time)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._comment_revision(request, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._comment_revision(request, entry)
        return entry

    def _comment_revision(self, request, entry):
        """The editor's own words first, then what the admin saw change."""
        comment = getattr(request, "revision_comment", "")
        if comment and reversion.is_active():
            reversion.set_comment(
                gettext("%(comment)s（%(changes)s）")
                % {"comment": comment, "changes": entry.get_change_message()}
            )

    @admin.display(description=_("期数"), ordering="number")
    def number_label(self, episode):
        return episode.number_label

    @admin.display(description=_("状态"), ordering="status")
    def state(self, episode):
        if episode.is_scheduled:
            return gettext("已排期：%(time)s") % {
                "time": f"{timezone.localtime(episode.published_at):%Y-%m-%d %H:%M}"
            }
        return episode.state_label

    def _change_each(self, request, episodes, change, message):
        """Apply `change` to each episode and report with `message`, a plural form keyed by `count`."""
        episodes = list(episodes)
        for episode in episodes:
            change(episode)
        self.message_user(request, message % {"count": len(episodes)})

    @admin.action(description=_("提交审核"), permissions=["edit"])
    def submit_for_review(self, request, queryset):
        drafts = queryset.filter(status=Episode.Status.DRAFT)
        message = ngettext_lazy("%(count)d 期已提交审核。", "%(count)d 期已提交审核。", "count")
        self._change_each(request, drafts, Episode.submit_for_review, message)

    @admin.action(description=_("立即发布"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        unpublished = queryset.exclude(status=Episode.Status.PUBLISHED)
        message = ngettext_lazy("%(count)d 期已发布。", "%(count)d 期已发布。", "count")
        self._change_each(request, unpublished, Episode.publish, message)

    @admin.action(description=_("撤回为草稿"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        published = queryset.filter(status=Episode.Status.PUBLISHED)
        message = ngettext_lazy("%(count)d 期已撤回为草稿。", "%(count)d 期已撤回为草稿。", "count")
        self._change_each(request, published, Episode.unpublish, message)

    @admin.action(description=_("标记为已校对"), permissions=["proofread"])
    def mark_proofread(self, request, queryset):
        updated = 0
        for transcript in Transcript.objects.filter(episode__in=queryset).exclude(
            status=Transcript.Status.PROOFREAD
        ):
            transcript.status = Transcript.Status.PROOFREAD
            transcript.save(update_fields=["status", "updated_at"])
            updated += 1
        self.message_user(
            request,
            ngettext("%(count)d 期文稿已标记为已校对。", "%(count)d 期文稿已标记为已校对。", updated)
            % {"count": updated},
        )

    def get_urls(self):
        return [
            path(
                "preview-markdown/",
                self.admin_site.admin_view(self.preview_markdown_view),
                name="episodes_episode_preview_markdown",
            ),
            *self.history_urls(),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_reapply" in request.POST and object_id:
            self._reapply_on_current_version(request, object_id)
        # One save touches the episode, its tags and its transcript: index it once, at the end.
        with search.indexing_deferred():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _reapply_on_current_version(self, request, object_id):
        """Lay the editor's posted edit onto the episode as it now is, before the admin saves it."""
        episode = self.get_object(request, unquote(object_id))
        loaded = request.POST.get("loaded_version", "")
        if episode is None or not self.has_change_permission(request, episode):
            return
        conflict = EditConflict(episode, loaded)
        if not conflict.can_reapply:
            return
        formsets = [
            (
                formset_class(instance=episode, prefix=formset_class.get_default_prefix()),
                inline.verbose_name_plural,
            )
            for formset_class, inline in self.get_formsets_with_inlines(request, episode)
            if formset_class.get_default_prefix() in INLINE_PARTS
        ]
        reapplied = conflict.reapply(request.POST, self.get_form(request, episode), formsets)
        request.POST = reapplied.data
        request.reapply_overlaps = reapplied.overlaps
        request.edit_conflict = conflict
        if not reapplied.overlaps:
            self.message_user(request, gettext("已在对方的版本上重新应用你的修改。"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        overlaps = getattr(request, "reapply_overlaps", ())
        return type(form.__name__, (form,), {"reapply_overlaps": overlaps}) if overlaps else form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        conflicted = form.has_error(NON_FIELD_ERRORS, "edit_conflict") or form.has_error(
            NON_FIELD_ERRORS, "reapply_overlap"
        )
        if obj is not None and conflicted:
            conflict = getattr(request, "edit_conflict", None) or EditConflict(
                obj, request.POST.get("loaded_version", "")
            )
            changes, transcript_rows = conflict.their_changes()
            context["edit_conflict"] = {
                "changes": changes,
                "transcript_rows": transcript_rows,
                "can_reapply": conflict.can_reapply
                and not form.has_error(NON_FIELD_ERRORS, "reapply_overlap"),
                "latest": conflict.latest,
                "base": conflict.base,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    def get_changeform_initial_data(self, request):
        """A new episode starts from its column: next number, title pattern, the usual tabs."""
        initial = super().get_changeform_initial_data(request)
        column = column_for_new_episode(request)
        if column is not None:
            number = column.next_episode_number()
            initial.setdefault("column", column.pk)
            initial.setdefault("number", number)
            if column.episode_title_pattern:
                initial.setdefault("title", column.format_episode_title(number))
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        column = column_for_new_episode(request) if obj.pk is None and request.method == "GET" else None
        if isinstance(inline, TabInline) and column is not None:
            kwargs["initial"] = [
                {"label": label, "position": i} for i, label in enumerate(column.tab_labels())
            ]
        return kwargs

    def preview_markdown_view(self, request):
        """The transcript as the public page will show it, for the editor's side-by-side preview."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        source = request.POST.get("source", "")
        try:
            html = render_markdown(source, transcript=True)
        except RenderRefused as refusal:
            # The editor's save will say why, on the field; the preview just stays empty.
            return JsonResponse({"error": str(refusal)}, status=422)
        readable = html_module.unescape(strip_tags(html))
        return JsonResponse(
            {
                "html": html,
                "characters": len("".join(readable.split())),
                "paragraphs": paragraph_starts(source),
            }
        )

    @admin.display(description=_("校对状态"), ordering="transcript__status")
    def proofreading_status(self, episode):
        transcript = getattr(episode, "transcript", None)
        return transcript.get_status_display() if transcript else "—"
