import pytest
from django.core.management import call_command

from episodes.models import Embed, Episode

pytestmark = pytest.mark.django_db


def test_demo_content_loads_idempotently_and_keeps_its_draft_private(client):
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)

    assert Episode.objects.count() == 3
    assert Embed.objects.count() == 4
    assert sorted(Episode.objects.public().values_list("number", flat=True)) == [1, 2]

    page = client.get("/demo/1/").content.decode()
    assert 'role="tablist"' in page
    assert "<iframe" in page
    assert '<blockquote class="is-warning">' in page
    assert '<span class="ink-indigo">' in page and "<table>" in page and "<img" in page
    assert client.get("/demo/3/").status_code == 404
    assert "尚未发布的一期" not in client.get("/demo/").content.decode()


def test_demo_has_a_correction_applied_and_one_waiting(client):
    from django.contrib.auth.models import User

    from episodes.models import Correction

    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)

    page = client.get("/demo/1/").content.decode()
    log = page[page.index("读者纠错记录") :]
    assert "房<del>子</del><ins>租</ins>" in log
    waiting = Correction.objects.open().get()
    assert waiting.is_current()
    assert waiting.accept(User.objects.create_user("proofreader"))
    assert "县城主街上就开了十几家" in client.get("/demo/1/").content.decode()
