from django.db import models


class ContentVersion(models.Model):
    """The content's version: one row whose stamp database triggers renew on every write to content.

    Written only by the triggers (`pagecache.version`), read once a request.
    """

    stamp = models.CharField(max_length=32)

    def __str__(self):
        return self.stamp
