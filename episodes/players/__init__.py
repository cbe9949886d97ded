"""Video and audio players: the platforms' backends, the links editors paste, and the fields that hold them.

Settings (EMBED_VIDEO_BACKENDS) and migrations name the backends and the
field here, at the package's top.
"""

from episodes.players.backends import AudioBackend, BilibiliBackend, XiguaBackend, YouTubeBackend
from episodes.players.fields import PlayerLinkField, PlayerLinkFormField
from episodes.players.links import normalise_player_link

__all__ = [
    "AudioBackend",
    "BilibiliBackend",
    "PlayerLinkField",
    "PlayerLinkFormField",
    "XiguaBackend",
    "YouTubeBackend",
    "normalise_player_link",
]
