"""The admin's save of a long transcript, timed as an editor waits for it.

The episode's transcript is made as long as the archive's longest (about
35,000 characters); each save changes one character and posts the whole
form as a browser does (CRLF line breaks), then loads the form it leads
back to. Used by `make bench` (bench/serve_bench.py).
"""

import statistics
import time

from bench.import_bench import manage
from tests.admin_forms import FormFields
from tests.servers import admin_session

LONGEST_TRANSCRIPT = 35_000
SAVES = 7

LENGTHEN = """
from episodes.models import Episode, Transcript
column, slug = {address!r}.strip("/").split("/")
episode = Episode.objects.get(column__slug=column, slug=slug)
others = Transcript.objects.exclude(episode=episode).values_list("source", flat=True).iterator()
source = episode.transcript.source
while len(source) < {characters}:
    source += "\\n\\n" + next(others)
episode.transcript.source = source[:{characters}]
episode.transcript.save()
print(episode.pk)
"""


def admin_save_seconds(base, env, address):
    """The median and slowest of `SAVES` saves of the episode at `address` (/column/slug/), lengthened first."""
    lengthen = LENGTHEN.format(address=address, characters=LONGEST_TRANSCRIPT)
    _, episode_id = manage("shell", "-c", lengthen, env=env)
    manage(
        "createsuperuser", "--noinput", "--username", "chief", "--email", "chief@example.org",
        env={**env, "DJANGO_SUPERUSER_PASSWORD": "chief-password-1"},
    )  # fmt: skip
    opener, post = admin_session(base)
    change = f"/admin/episodes/episode/{episode_id}/change/"
    timings = []
    for _ in range(SAVES):
        form = FormFields()
        form.feed(opener.open(base + change, timeout=30).read().decode())
        fields = {name: value.replace("\n", "\r\n") if value else value for name, value in form.fields}
        source = fields["transcript-0-source"]
        fields["transcript-0-source"] = source[:-1] if source.endswith("。") else source + "。"
        fields["_continue"] = "1"
        started = time.perf_counter()
        post(change, fields).read()  # the redirect is followed: the reloaded form is part of the wait
        timings.append(time.perf_counter() - started)
    return {"median_s": round(statistics.median(timings), 3), "max_s": round(max(timings), 3)}
