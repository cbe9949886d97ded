"""An episode's history in the admin: every revision, the wiki's and the editors', compared and restored."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext

from episodes.diff import fold_unchanged, transcript_diff
from episodes.revisions import episode_versions, restore_revision, revision_snapshot, snapshot_changes


class EpisodeHistoryViews:
    """The episode admin's history page, comparison of any two revisions and restore."""

    def history_urls(self):
        return [
            path(
                "<path:object_id>/history/<int:version_id>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="episodes_episode_compare",
            ),
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_two_view),
                name="episodes_episode_compare_two",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="episodes_episode_restore",
            ),
        ]

    def history_view(self, request, object_id, extra_context=None):
        episode = self.get_object(request, unquote(object_id))
        versions = list(episode_versions(episode)) if episode else []
        return super().history_view(request, object_id, {"versions": versions, **(extra_context or {})})

    def _episode_and_version(self, request, object_id, version_id):
        episode = self.get_object(request, unquote(object_id))
        if episode is None or not self.has_view_or_change_permission(request, episode):
            raise PermissionDenied
        versions = list(episode_versions(episode))
        index = next((i for i, version in enumerate(versions) if version.pk == version_id), None)
        if index is None:
            raise Http404("No such revision of this episode.")
        against = request.GET.get("against")
        if against:
            # Any two revisions of the episode, as the history's form chose them.
            previous = next((version for version in versions if str(version.pk) == against), None)
            if previous is None:
                raise Http404("No such revision of this episode.")
            return episode, versions[index], previous
        return episode, versions[index], versions[index + 1] if index + 1 < len(versions) else None

    def compare_two_view(self, request, object_id):
        """The history's form: the two revisions chosen, the earlier one as the base."""
        try:
            chosen = sorted({int(request.GET["older"]), int(request.GET["newer"])})
        except (KeyError, ValueError):
            raise Http404("Choose two revisions to compare.") from None
        url = reverse("admin:episodes_episode_compare", args=[object_id, chosen[-1]])
        return redirect(f"{url}?against={chosen[0]}")

    def compare_view(self, request, object_id, version_id):
        """What one save changed: the revision against the one before it."""
        episode, version, previous = self._episode_and_version(request, object_id, version_id)
        after = revision_snapshot(version.revision)
        before = revision_snapshot(previous.revision) if previous else dict.fromkeys(after, "")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(episode)s 的修改") % {"episode": episode},
            "opts": self.model._meta,
            "original": episode,
            "version": version,
            "previous": previous,
            "changes": snapshot_changes(before, after),
            "transcript_rows": fold_unchanged(transcript_diff(before["transcript"], after["transcript"])),
            "can_restore": self.has_edit_permission(request),
        }
        return TemplateResponse(request, "admin/episodes/episode/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST" or not self.has_edit_permission(request):
            raise PermissionDenied
        episode, version, _previous = self._episode_and_version(request, object_id, version_id)
        restore_revision(episode, version, request.user)
        self.message_user(
            request,
            gettext("已恢复到 %(time)s 的版本。")
            % {"time": f"{timezone.localtime(version.revision.date_created):%Y-%m-%d %H:%M}"},
        )
        return redirect("admin:episodes_episode_change", episode.pk)
