"""Who made a revision that no login of the site made: a volunteer of the wiki, by name."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Authorship(models.Model):
    """A revision's author as the wiki's history names them, and the commit it was read from.

    Volunteers are credited by name, never given an account: the archive's
    history has no e-mail addresses and the site keeps none.
    """

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, primary_key=True, related_name="authorship"
    )
    author = models.CharField(_("作者"), max_length=200)
    commit = models.CharField(
        _("提交"), max_length=40, blank=True, db_index=True, help_text="The wiki commit it was read from."
    )

    class Meta:
        verbose_name = _("署名")
        verbose_name_plural = pgettext_lazy("plural", "署名")

    def __str__(self):
        return self.author
