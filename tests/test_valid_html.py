"""The public pages are valid HTML, as the W3C's Nu HTML Checker reads them (`make vnu` installs it)."""

import json
import subprocess
from pathlib import Path

import pytest

from column.models import Page
from episodes.models import Correction
from tests.factories import make_episode

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

VNU_JAR = Path(__file__).resolve().parent.parent / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar"

# What the archive writes that browsers forgive and the checker does not.
TRANSCRIPT = """# 1. 开头

<font color=indigo>主持人</font>：芯片。<font color=#1234ab>嘉宾</font>：<font size=3>是的</font>。

<center>居中的一句</center>

[一个带空格的地址](<https://example.org/a b>)

## 1.1 细节

| 年份 | 产量 |
|---|---|
| 2023 | 7988 / 77 |

![图](https://img.example.org/a.png)

# 2. 结尾

<font color=indigo>一段没有关上的颜色

延续到下一段

正文[^1]

[^1]: 注释
"""


def checker_errors(pages):
    """The checker's errors for each page, as `path: line: message`; none when all is valid."""
    if not VNU_JAR.exists():
        pytest.fail(f"The Nu HTML Checker is not installed at {VNU_JAR}: run `make vnu`.")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    return [f"{Path(m['url']).name}: {m.get('lastLine')}: {m['message']}" for m in messages]


def test_public_pages_are_valid_html(client, column, tmp_path):
    for number in (1, 2):
        episode = make_episode(
            column,
            number,
            tags=["芯片"],
            tabs=[
                ("B站", "BV1nezJYfEPc"),
                ("YouTube", "mxm7Vf6YPjo"),
                ("播客", "https://m.example.org/1.mp3"),
            ],
            transcript=TRANSCRIPT,
        )
    column.shows_corrections_log = True
    column.save()
    episode.corrections.create(
        paragraph_key="k", original="芯片", proposed="芯片。", status=Correction.Status.ACCEPTED
    )
    Correction.objects.update(reviewed_at=episode.published_at)
    Page.objects.create(path="status", title="当前进度", body="进度：[表格](https://example.org/x y)")
    pages = {
        "home": "/",
        "column": "/business/",
        "episode": "/business/1/",
        "tag": "/tags/芯片/",
        "search": "/search/?q=芯片",
        "search-nothing": "/search/?q=没有这个词",
        "site-page": "/status/",
        "404": "/no/such/page/",
    }
    files = []
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == (404 if name == "404" else 200), path
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)

    assert checker_errors(files) == []


def test_the_checker_catches_what_it_is_here_for(tmp_path):
    page = tmp_path / "invalid.html"
    page.write_text(
        '<!doctype html><html lang="zh"><title>x</title><p><font color="red">x</font>'
        '<time datetime="2026-12-03T10:00:00.123456+00:00">x</time>',
        encoding="utf-8",
    )

    errors = checker_errors([page])

    assert any("font" in error for error in errors) and any("datetime" in error for error in errors)
