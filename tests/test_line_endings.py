"""Text saved through the admin as a browser sends it (CRLF) is stored as the wiki wrote it (LF)."""

from django.core.management import call_command
from django.urls import reverse

from episodes.models import Episode
from episodes.revisions import episode_versions
from tests.admin_forms import FormFields
from tests.wikijs_trees import run_import


def test_an_unchanged_save_with_crlf_line_breaks_changes_nothing(admin_client, tree, tmp_path):
    run_import(tree)
    episode = Episode.objects.get(legacy_path="business/51")
    source, warnings = episode.transcript.source, list(episode.warnings.values_list("text", flat=True))
    assert "\n" in source
    change = reverse("admin:episodes_episode_change", args=[episode.pk])
    revisions = episode_versions(episode).count()

    form = FormFields()
    form.feed(admin_client.get(change).content.decode())
    # Every line break of every text as browsers send a textarea's: CRLF.
    posted = {name: value.replace("\n", "\r\n") if value else value for name, value in form.fields}
    response = admin_client.post(change, {**posted, "_continue": "1"})

    assert response.status_code == 302, response.content.decode()[:2000]
    episode.refresh_from_db()
    assert episode.transcript.source == source
    assert list(episode.warnings.values_list("text", flat=True)) == warnings
    assert episode_versions(episode).count() == revisions
    call_command("export_wikijs", str(tmp_path / "out"))
    assert (tmp_path / "out" / "business/51.md").read_bytes() == (tree / "business/51.md").read_bytes()
