"""The editors' admin: episodes with their history, and the readers' corrections queue."""

from episodes.admin import corrections, episodes  # noqa: F401 - each registers its admin
