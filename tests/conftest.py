import pytest
from django.core.cache import caches

from tests.factories import make_column
from tests.wikijs_trees import write_sample_tree


@pytest.fixture
def column(db):
    return make_column(
        episode_title_pattern="【产经破壁机{number:03}】",
        default_warning="以下文本为音频转录结果，存在一定错误，校对正在进行中。",
    )


@pytest.fixture
def tree(tmp_path):
    """A small archive with a page of each kind the format knows."""
    return write_sample_tree(tmp_path / "wiki")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached pages; the caches outlive a test's database."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()
