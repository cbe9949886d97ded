"""Readers' proposed corrections to a transcript's paragraphs, and how a proofreader settles them."""

from datetime import timedelta

import reversion
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from episodes.diff import changed_fragments
from episodes.models.parts import PROPOSAL_MAX_CHARACTERS, Transcript
from markup.transcripts import replace_paragraph


def as_stored(proposal):
    """A proposal as it is kept: each line break one character, and no blank lines around it.

    Only the blank lines go: indentation can mean something in markdown.
    """
    return proposal.replace("\r\n", "\n").strip("\n")


class CorrectionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Correction.Status.OPEN)

    def accepted(self):
        return self.filter(status=Correction.Status.ACCEPTED)

    def sent_within_the_hour(self, address_hash):
        """What one address sent in the last hour, counted after waiting for its other sends to finish.

        Called in a transaction: on PostgreSQL a lock per address holds the
        count until the transaction that asked ends, and on SQLite every
        writing transaction holds the database from its start; so two sends
        at once cannot both be let through under the limit.
        """
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(address_hash[:15], 16)])
        return self.filter(address_hash=address_hash, created_at__gt=timezone.now() - timedelta(hours=1))


class Correction(models.Model):
    """A reader's proposed change to one paragraph of a transcript, waiting for a proofreader."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        ACCEPTED = "accepted", _("已采纳")
        REJECTED = "rejected", _("未采纳")
        STALE = "stale", _("段落已改动")

    class AlreadySettled(Exception):
        """Someone settled the correction first (another proofreader, or a second click)."""

    episode = models.ForeignKey(
        "episodes.Episode", on_delete=models.CASCADE, related_name="corrections", verbose_name=_("节目")
    )
    paragraph_key = models.CharField(
        _("段落"), max_length=16, editable=False, help_text="A hash of the original paragraph's text."
    )
    original = models.TextField(_("原文"), editable=False)
    # Checked to render by the forms that write it, once they know the text is worth the render.
    proposed = models.TextField(_("建议改为"), max_length=PROPOSAL_MAX_CHARACTERS)
    note = models.TextField(_("说明"), max_length=500, blank=True, help_text=_("可选：为什么这样改。"))
    name = models.CharField(
        _("署名"), max_length=40, blank=True, help_text=_("可选：采纳后在修改记录中致谢。")
    )
    address_hash = models.CharField(
        max_length=64, editable=False, help_text="A keyed hash of the sender's address, for the rate limit."
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.OPEN)
    reply = models.TextField(
        _("回复"),
        max_length=1000,
        blank=True,
        help_text=_("可选：给读者的话，采纳后显示在公开的纠错记录里（栏目开启时）。"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("处理人"),
    )
    reviewed_at = models.DateTimeField(_("处理时间"), null=True, blank=True, editable=False)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("读者纠错")
        verbose_name_plural = pgettext_lazy("plural", "读者纠错")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["address_hash", "created_at"]),
        ]

    def __str__(self):
        return gettext("对“%(episode)s”的纠错") % {"episode": self.episode}

    def save(self, *args, **kwargs):
        self.proposed = as_stored(self.proposed)
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def changes(self):
        """What the proposal changes, in short, with a little of the text around each change."""
        return changed_fragments(self.original, self.proposed)

    def is_current(self):
        """Whether the paragraph still reads as it did when the reader saw it."""
        transcript = getattr(self.episode, "transcript", None)
        return transcript is not None and transcript.paragraph(self.paragraph_key) is not None

    def accept(self, reviewer):
        """Apply the proposal to the transcript, as a new revision credited to the reader.

        If the paragraph has changed since the reader saw it, nothing is
        applied: the suggestion is marked stale, and False is returned.
        Raises `AlreadySettled` if someone settled it first.
        """
        with transaction.atomic():
            transcript = (
                Transcript.objects.select_for_update()
                .select_related("episode__column")
                .get(episode_id=self.episode_id)
            )
            source = replace_paragraph(transcript.source, self.paragraph_key, self.proposed)
            if source is None:
                self._settle(self.Status.STALE, reviewer)
                return False
            self._settle(self.Status.ACCEPTED, reviewer)
            with reversion.create_revision():
                transcript.source = source
                transcript.save()
                episode = transcript.episode
                episode.save(update_fields=["updated_at"])
                reversion.add_to_revision(episode)
                reversion.set_user(reviewer)
                reversion.set_comment(
                    gettext("采纳读者纠错，感谢 %(name)s") % {"name": self.name or gettext("匿名读者")}
                )
        return True

    def reject(self, reviewer):
        """Close the suggestion unapplied; raises `AlreadySettled` if someone settled it first."""
        self._settle(self.Status.REJECTED, reviewer)

    def _settle(self, status, reviewer):
        # Only an open one changes: of two proofreaders settling it at once, the second is told.
        now = timezone.now()
        settled = (
            Correction.objects.open()
            .filter(pk=self.pk)
            .update(status=status, reviewed_by=reviewer, reviewed_at=now)
        )
        if not settled:
            raise self.AlreadySettled
        self.status, self.reviewed_by, self.reviewed_at = status, reviewer, now
