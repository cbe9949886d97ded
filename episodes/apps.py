from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.text import capfirst
from django.utils.translation import pgettext_lazy


class EpisodesConfig(AppConfig):
    name = "episodes"
    verbose_name = capfirst(pgettext_lazy("plural", "节目"))

    def ready(self):
        from episodes import signals  # noqa: F401 - connects the search index to saves
        from episodes.models import Episode
        from episodes.roles import sync_role_permissions
        from pagecache.version import follow_schedule

        post_migrate.connect(
            sync_role_permissions, sender=self, dispatch_uid="episodes.sync_role_permissions"
        )
        # A scheduled episode turns public with no write: its moment changes the cached pages.
        follow_schedule(Episode.objects.publication_moments_passed)


class EditorialAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site that opens on the editorial dashboard."""

    default = False
    default_site = "episodes.dashboard.EditorialAdminSite"
