"""The editorial roles and what each may do.

Groups are created by a migration; their permissions are set from the table
below after every `migrate`, so a new model or permission reaches the roles
without a hand edit. Publishing is the permission `episodes.publish_episode`.
"""

from django.utils.translation import gettext_noop

EDITOR = "Editor"
PROOFREADER = "Proofreader"
PUBLISHER = "Publisher"

ROLE_LABELS = {
    EDITOR: gettext_noop("编辑"),
    PROOFREADER: gettext_noop("校对"),
    PUBLISHER: gettext_noop("主编"),
}

_CONTENT = ["tab", "embed", "warning", "transcript"]

ROLE_PERMISSIONS = {
    EDITOR: [
        "column.view_column",
        "episodes.add_episode",
        "episodes.change_episode",
        "episodes.view_episode",
        *(
            f"episodes.{action}_{model}"
            for model in _CONTENT
            for action in ("add", "change", "delete", "view")
        ),
        "episodes.view_correction",
    ],
    PROOFREADER: [
        "column.view_column",
        "episodes.view_episode",
        "episodes.change_transcript",
        *(f"episodes.view_{model}" for model in _CONTENT),
        # Readers' corrections: accepted or rejected (change), and one by one deleted when spam.
        *(f"episodes.{action}_correction" for action in ("change", "delete", "view")),
    ],
    PUBLISHER: [
        *(
            f"column.{action}_{model}"
            for model in ("column", "columnnotice", "page")
            for action in ("add", "change", "delete", "view")
        ),
        *(
            f"episodes.{action}_{model}"
            for model in ["episode", *_CONTENT]
            for action in ("add", "change", "delete", "view")
        ),
        *(f"episodes.{action}_correction" for action in ("change", "delete", "view")),
        "episodes.publish_episode",
    ],
}


def sync_role_permissions(**kwargs):
    """Give each role group exactly the permissions of its row above."""
    from django.contrib.auth.models import Group, Permission

    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = set()
        for name in names:
            app_label, codename = name.split(".")
            wanted.update(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
