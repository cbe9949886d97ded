from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from pagecache.version import install_version_triggers

        post_migrate.connect(
            install_version_triggers, sender=self, dispatch_uid="pagecache.install_version_triggers"
        )
