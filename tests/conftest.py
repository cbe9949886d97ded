import pytest

from tests.factories import make_column


@pytest.fixture
def column(db):
    return make_column(
        episode_title_pattern="【产经破壁机{number:03}】",
        default_warning="以下文本为音频转录结果，存在一定错误，校对正在进行中。",
    )
