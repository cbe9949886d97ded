"""The episodes app's models: an episode, what its page is made of, readers' corrections, the search
index, and the authors of revisions that came from the wiki's history."""

import reversion
from taggit.models import TaggedItem

from episodes.models.authorship import Authorship
from episodes.models.corrections import Correction, as_stored
from episodes.models.episode import Episode, EpisodeQuerySet
from episodes.models.parts import PROPOSAL_MAX_CHARACTERS, Embed, Tab, Transcript, Warning
from episodes.search import SearchEntry

__all__ = [
    "PROPOSAL_MAX_CHARACTERS",
    "Authorship",
    "Correction",
    "Embed",
    "Episode",
    "EpisodeQuerySet",
    "SearchEntry",
    "Tab",
    "Transcript",
    "Warning",
    "as_stored",
]

# An episode's revision holds the whole page: its tabs and players, warnings,
# transcript and tags, so that restoring it restores all of them together.
reversion.register(Embed)
reversion.register(Tab, follow=["embed"])
reversion.register(Warning)
reversion.register(Transcript)
reversion.register(TaggedItem)
reversion.register(Episode, follow=["tabs_with_players", "warnings", "transcript", "taggings"])
