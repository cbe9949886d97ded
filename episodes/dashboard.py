"""What the editorial team has to do: the admin index's replacement for the wiki's status page."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from reversion.models import Version

from column.models import Column
from episodes.models import Correction, Episode, Transcript

OLDEST_WAITING = 10
LATEST_CHANGES = 10


def column_counts():
    """Per column, how many episodes are in each state and each proofreading status, and open corrections."""
    now = timezone.now()
    published = Q(episodes__status=Episode.Status.PUBLISHED)
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
        scheduled=Count("episodes", filter=published & Q(episodes__published_at__gt=now)),
        live=Count("episodes", filter=published & Q(episodes__published_at__lte=now)),
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
