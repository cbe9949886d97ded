"""What the editorial team has to do: the admin index's replacement for the wiki's status page."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from column.models import Column
from episodes.models import Correction, Episode, Transcript

OLDEST_WAITING = 10
LATEST_CHANGES = 10


def column_counts():
    """Per column, how many episodes are in each state and each proofreading status, and open corrections."""
    now = timezone.now()
    # A subquery: joined beside the episodes, the corrections would multiply their counts.
    open_corrections = (
        Correction.objects.open()
        .filter(episode__column=OuterRef("pk"))
        .values("episode__column")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Column.objects.annotate(
        open_corrections=Coalesce(Subquery(open_corrections), 0),
        draft=Count("episodes", filter=Q(episodes__status=Episode.Status.DRAFT)),
        review=Count("episodes", filter=Q(episodes__status=Episode.Status.REVIEW)),
        scheduled=Count("episodes", filter=Episode.scheduled_at(now, through="episodes__")),
        live=Count("episodes", filter=Episode.public_at(now, through="episodes__")),
        machine=Count("episodes", filter=Q(episodes__transcript__status=Transcript.Status.MACHINE)),
        proofreading=Count("episodes", filter=Q(episodes__transcript__status=Transcript.Status.PROOFREADING)),
        proofread=Count("episodes", filter=Q(episodes__transcript__status=Transcript.Status.PROOFREAD)),
    )


def oldest_waiting_transcripts():
    """Transcripts not yet proofread that have waited longest since their last change."""
    return (
        Transcript.objects.exclude(status=Transcript.Status.PROOFREAD)
        .select_related("episode__column")
        .order_by("updated_at")[:OLDEST_WAITING]
    )


def latest_changes():
    """The latest saves of episodes, with who made them."""
    return (
        Version.objects.get_for_model(Episode)
        .select_related("revision__user")
        .order_by("-revision__date_created")[:LATEST_CHANGES]
    )


def dashboard():
    return {
        "columns": column_counts(),
        "waiting": oldest_waiting_transcripts(),
        "changes": latest_changes(),
    }


class EditorialAdminSite(admin.AdminSite):
    """The admin, opening on the editorial team's dashboard."""

    site_header = _("栏目文稿管理")
    site_title = _("栏目文稿管理")
    index_title = _("工作台")
    empty_value_display = "—"
    index_template = "admin/dashboard.html"

    def index(self, request, extra_context=None):
        context = {"dashboard": dashboard()} if request.user.has_perm("episodes.view_episode") else {}
        return super().index(request, {**context, **(extra_context or {})})
