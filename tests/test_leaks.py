"""Nothing unpublished leaks: every URL the project has, walked as the public would walk it.

Draft, in-review, scheduled and withdrawn episodes sit beside public ones
in the same column, with the same tags, and each carries a secret word in
every field. Every URL pattern of the project is requested with every
value those episodes could fill it with, anonymously and as a logged-in
reader without staff rights: none of them may show a secret, and the
hidden episodes' own addresses answer 404.
"""

import itertools
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone

from episodes.models import Episode
from markup.transcripts import paragraph_key
from tests.factories import make_episode

pytestmark = pytest.mark.django_db

SECRET = "机密词"


def named_patterns(resolver=None, namespace=""):
    """(name, parameter names) of every named URL pattern, admin excepted."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.converters)


@pytest.fixture
def hidden_episodes(column):
    public = [make_episode(column, number, tags=["芯片"], transcript="芯片 公开") for number in (1, 3, 5)]
    now = timezone.now()
    states = {
        2: {"status": Episode.Status.DRAFT},
        4: {"status": Episode.Status.REVIEW},
        6: {"status": Episode.Status.PUBLISHED, "published_at": now + timedelta(days=1)},
        7: {"status": Episode.Status.DRAFT, "published_at": now - timedelta(days=3)},  # withdrawn
    }
    hidden = []
    for number, state in states.items():
        episode = make_episode(
            column,
            number,
            title=f"【产经破壁机{number:03}】{SECRET}{number}",
            description=f"{SECRET} 简介",
            tags=["芯片", f"{SECRET}标签"],
            transcript=f"# {SECRET}小标题\n\n芯片 {SECRET} 正文",
            legacy_path=f"business/{number}",
            **state,
        )
        episode.warnings.create(text=f"{SECRET} 提示")
        hidden.append(episode)
    return public, hidden


def every_url(column, episodes):
    values = {
        "slug": [column.slug, *(episode.slug for episode in episodes), "芯片", f"{SECRET}标签", "xinpian"],
        "column": [column.slug],
        "code": ["en", "zh-hans"],
        "legacy_path": [*(episode.legacy_path for episode in episodes if episode.legacy_path), "business"],
        "seconds": [0, 65],
        # The paragraphs of the hidden episodes' transcripts, and of the public ones.
        "key": [paragraph_key(f"芯片 {SECRET} 正文"), paragraph_key("芯片 公开")],
    }
    urls = set()
    for name, parameters in named_patterns():
        for combination in itertools.product(*(values.get(parameter, ["x"]) for parameter in parameters)):
            try:
                urls.add(reverse(name, kwargs=dict(zip(parameters, combination, strict=True))))
            except NoReverseMatch:
                continue
    # The old wiki's addresses, answered by the fallback for what no pattern finds.
    for legacy_path in values["legacy_path"]:
        urls.update({f"/{legacy_path}", f"/{legacy_path}/", f"/{legacy_path}.md", f"/zh/{legacy_path}"})
    for query in (SECRET, "芯片", f"{SECRET}标签"):
        urls.add(f"{reverse('episodes:search')}?q={query}")
        urls.add(f"{reverse('episodes:search')}?q={query}&column={column.slug}")
    return sorted(urls)


@pytest.mark.parametrize("reader", ["anonymous", "logged-in reader"])
def test_no_url_shows_an_unpublished_episode(client, column, hidden_episodes, reader):
    public, hidden = hidden_episodes
    if reader != "anonymous":
        client.force_login(User.objects.create_user("reader", password="x"))

    urls = every_url(column, [*hidden, *public])
    assert len(urls) > 30
    # A search page repeats its query; it must still show none of the hidden episodes' content.
    shown_only_if_leaked = [f"{SECRET} 简介", f"{SECRET} 正文", f"{SECRET} 提示", f"{SECRET}小标题"] + [
        episode.title for episode in hidden
    ]
    for url in urls:
        content = client.get(url, follow=True).content.decode()
        leaks = shown_only_if_leaked if "?q=" in url else [SECRET]
        assert not [leak for leak in leaks if leak in content], url
        for episode in hidden:
            assert f'href="{episode.get_absolute_url()}"' not in content, url
    for episode in hidden:
        assert client.get(episode.get_absolute_url()).status_code == 404
        assert client.get(f"/{episode.legacy_path}", follow=True).status_code == 404
        assert (
            client.get(
                f"{episode.get_absolute_url()}correct/{paragraph_key(f'芯片 {SECRET} 正文')}/"
            ).status_code
            == 404
        )
    # The walk reaches the readers' correction form, which shows a public paragraph.
    assert f"{public[0].get_absolute_url()}correct/{paragraph_key('芯片 公开')}/" in urls
    # The public neighbours link past the hidden ones.
    page = client.get(public[0].get_absolute_url()).content.decode()
    assert public[1].get_absolute_url() in page and "/business/2/" not in page
