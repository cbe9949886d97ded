import io
import zipfile

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from column.models import Column
from episodes.models import Episode
from tests.wikijs_trees import EPISODE_51, page

pytestmark = pytest.mark.django_db

URL = reverse("wikijs:import")


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def md(name, text):
    return SimpleUploadedFile(name, text.encode(), content_type="text/markdown")


def zipped(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return SimpleUploadedFile("wiki.zip", buffer.getvalue(), content_type="application/zip")


def test_changelist_links_to_the_import(editor_client):
    html = editor_client.get(reverse("admin:episodes_episode_changelist")).content.decode()

    assert URL in html


def test_uploading_pages_into_a_folder_imports_them_and_shows_the_report(editor_client):
    broken = md("7.md", "---\ntitle: x\n")

    response = editor_client.post(URL, {"files": [md("51.md", EPISODE_51), broken], "folder": "business"})

    html = response.content.decode()
    assert response.status_code == 200
    # The warnings: a tab with no playable video, and the two links to pages this upload does not hold.
    assert "imported 1, updated 0, unchanged 0, skipped 0, failed 1, warnings 3, not carried over 0" in html
    assert "business/51.md:33: the link to ./50.md leads to no page" in html
    assert "business/7.md:1: front matter is never closed" in html
    assert "&#x27;YouTube&#x27; has no playable video" in html
    assert Episode.objects.get().legacy_path == "business/51"


def test_uploading_a_zipped_tree(editor_client):
    archive = zipped(
        {
            "business.md": page("产经破壁机", description="分布式马督工"),
            "business/51.md": EPISODE_51,
            "status.md": page("当前进度", "进度表"),
            "business/notes.txt": "ignored",
        }
    )

    response = editor_client.post(URL, {"files": [archive]})

    assert "imported 3," in response.content.decode()
    assert Column.objects.get(slug="business").name == "产经破壁机"


def test_a_column_page_uploaded_alone_updates_its_column(editor_client):
    Column.objects.create(slug="business", name="旧名字")

    editor_client.post(URL, {"files": [md("business.md", page("产经破壁机"))]})

    assert Column.objects.get(slug="business").name == "产经破壁机"


def test_dry_run_changes_nothing(editor_client):
    response = editor_client.post(
        URL, {"files": [md("51.md", EPISODE_51)], "folder": "business", "dry_run": "on"}
    )

    assert "imported 1," in response.content.decode()
    assert not Episode.objects.exists()


@pytest.mark.parametrize("name", ["../evil.md", "/etc/evil.md"])
def test_zip_entries_outside_the_archive_are_refused(editor_client, name, tmp_path):
    response = editor_client.post(URL, {"files": [zipped({name: EPISODE_51})]})

    assert "指向压缩包之外" in response.content.decode()
    assert not Episode.objects.exists()


def test_other_file_types_are_refused(editor_client):
    response = editor_client.post(URL, {"files": [SimpleUploadedFile("a.exe", b"MZ")]})

    assert "只能上传 .md 或 .zip 文件" in response.content.decode()


def test_staff_without_add_and_change_rights_may_not_import(client):
    user = User.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_episode"))
    client.force_login(user)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"files": [md("51.md", EPISODE_51)], "folder": "business"}).status_code == 403
    assert not Episode.objects.exists()
