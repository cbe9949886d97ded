from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.text import capfirst
from django.utils.translation import pgettext_lazy


class EpisodesConfig(AppConfig):
    name = "episodes"
    verbose_name = capfirst(pgettext_lazy("plural", "节目"))

    def ready(self):
        from cms.caching import install_version_triggers
        from episodes import signals  # noqa: F401 - connects the search index to saves
        from episodes.roles import sync_role_permissions

        post_migrate.connect(
            sync_role_permissions, sender=self, dispatch_uid="episodes.sync_role_permissions"
        )
        post_migrate.connect(
            install_version_triggers, sender=self, dispatch_uid="episodes.install_version_triggers"
        )
