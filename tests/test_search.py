from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from episodes import search
from episodes.models import Episode, Transcript
from tests.factories import episode_form, make_column, make_episode

pytestmark = pytest.mark.django_db


def found(query, queryset=None):
    return [episode.number for episode in (queryset or Episode.objects.public()).search(query)]


@pytest.fixture
def archive(column):
    make_episode(column, 1, title="【产经破壁机001】芯片产业的下一步", transcript="光刻机很重要。")
    make_episode(
        column, 2, title="【产经破壁机002】商汤科技怎么了", transcript="商汤科技裁员了。AI芯片和大模型。"
    )
    make_episode(
        column, 3, title="【产经破壁机003】光伏", transcript="DeepSeek 让大模型变便宜了。芯片厂也在扩产。"
    )
    make_episode(
        column,
        4,
        title="【产经破壁机004】独角兽",
        transcript="这家独角兽公司很有名。",
        description="芯片 芯片",
    )
    return column


def test_two_character_words_match_where_they_occur(archive):
    assert set(found("芯片")) == {1, 2, 3, 4}
    assert found("商汤") == [2]
    assert found("光刻机") == [1]


def test_mixed_chinese_and_latin_queries(archive):
    assert found("AI芯片") == [2]
    assert found("deepseek") == [3]
    assert found("DeepSeek 大模型") == [3]


def test_a_word_inside_a_longer_word_still_matches(archive):
    assert found("独角") == [4]
    assert set(found("大模型")) == {2, 3}


def test_title_ranks_above_description_above_transcript(archive):
    ranked = found("芯片")
    assert ranked.index(1) < ranked.index(4) < ranked.index(3)


def test_more_occurrences_rank_higher(column):
    make_episode(column, 1, transcript="光伏。")
    make_episode(column, 2, transcript="光伏光伏，光伏。光伏！")

    assert found("光伏") == [2, 1]


def test_empty_or_punctuation_only_queries_find_nothing(archive):
    assert found("") == []
    assert found("！！。，") == []
    assert found("   ") == []


def test_drafts_scheduled_and_unpublished_are_never_found(column):
    from datetime import timedelta

    from django.utils import timezone

    make_episode(column, 1, transcript="芯片")
    make_episode(column, 2, transcript="芯片", status=Episode.Status.DRAFT)
    make_episode(column, 3, transcript="芯片", published_at=timezone.now() + timedelta(days=1))
    make_episode(column, 4, transcript="芯片").unpublish()

    assert found("芯片") == [1]


def test_index_follows_saves_of_transcripts_titles_and_tags(column):
    episode = make_episode(column, 1, transcript="原来的文字")
    assert found("光伏") == []

    transcript = Transcript.objects.get(episode=episode)
    transcript.source = "现在讲光伏"
    transcript.save()
    assert found("光伏") == [1]

    episode.title = "【产经破壁机001】锂电池"
    episode.save()
    assert found("锂电池") == [1]

    episode.tags.add("储能")
    assert found("储能") == [1]

    episode.delete()
    assert found("光伏") == []


def test_a_phrase_is_found_in_what_the_transcripts_say_now(column):
    first = make_episode(column, 1, transcript="原来的说法是这样。")
    transcript = Transcript.objects.get(episode=first)
    transcript.source = "现在的说法是那样。"
    transcript.save()
    make_episode(column, 2, transcript="原来的说法是这样。")

    assert found('"现在的说法"') == [1]
    assert found('"原来的说法"') == [2]
    Episode.objects.filter(number=2).delete()
    assert found('"原来的说法"') == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # FTS5 checks its trigram index against the transcripts it indexes: it raises on a mismatch.
            cursor.execute(
                "INSERT INTO episodes_transcript_trigrams (episodes_transcript_trigrams, rank) VALUES ('integrity-check', 1)"
            )


def test_rebuild_command_restores_a_lost_index(archive):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM episodes_search")
    assert found("商汤") == []

    call_command("rebuild_search_index", stdout=None)

    assert found("商汤") == [2]


def test_search_page_shows_ranked_results_with_highlighted_snippets(client, archive):
    response = client.get("/search/", {"q": "商汤"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "共找到 1 期节目" in html
    assert "<mark>商汤</mark>科技裁员了" in html
    assert 'href="/business/2/"' in html


def test_a_search_page_costs_the_same_queries_for_one_result_as_for_many(client, archive):
    def queries_for(query):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/search/", {"q": query})
        assert '<p class="search-meta">产经破壁机 · <time datetime="' in response.content.decode()
        return len(queries.captured_queries), len(response.context["episodes"])

    (one_result, shown), (many_results, shown_too) = queries_for("商汤"), queries_for("芯片")
    assert (shown, shown_too) == (1, 4)
    assert one_result == many_results


def test_search_page_filters_by_column_and_paginates_keeping_the_query(client, archive):
    other = make_column(slug="main", name="睡前消息")
    for number in range(1, 26):
        make_episode(other, number, transcript="芯片芯片")

    first = client.get("/search/", {"q": "芯片", "column": "main"}).content.decode()
    assert "共找到 25 期节目" in first
    assert "/business/" not in first.split("search-results", 1)[1]
    assert 'href="?q=%E8%8A%AF%E7%89%87&amp;column=main&amp;page=2"' in first

    second = client.get("/search/", {"q": "芯片", "column": "main", "page": 2})
    assert second.status_code == 200
    assert second.content.decode().count('class="search-result"') == 5


def test_search_page_without_a_query_explains_itself(client):
    for query, explanation in [("", "想找什么"), ("！？", "这个搜索词里没有可以查找的文字")]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert explanation in response.content.decode()
        assert "search-results" not in response.content.decode()


def test_hostile_query_is_only_text(client, archive):
    response = client.get("/search/", {"q": '"<script>alert(1)</script> OR * NEAR('})

    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_admin_search_box_uses_the_same_search(admin_client, archive):
    make_episode(archive, 5, title="【产经破壁机005】草稿里的商汤", status=Episode.Status.DRAFT)

    html = admin_client.get(reverse("admin:episodes_episode_changelist"), {"q": "商汤"}).content.decode()

    assert "商汤科技怎么了" in html and "草稿里的商汤" in html
    assert "光伏" not in html


def test_an_episode_saved_through_the_admin_is_found_by_what_it_now_says(admin_client, column):

    admin_client.post(
        reverse("admin:episodes_episode_add"), episode_form(column, **{"transcript-0-source": "储能电站"})
    )

    assert found("储能") == [51]
    assert found("人工智能") == [51]  # its tags


def test_search_counts_and_filters_by_column_and_year_and_sorts_by_date(client, column):
    other = make_column(slug="main", name="睡前消息")
    for number, aired in [(1, "2023-05-01"), (2, "2024-05-01"), (3, "2024-06-01")]:
        make_episode(column, number, title=f"【产经破壁机00{number}】光伏", aired_on=aired)
    make_episode(other, 4, title="【睡前消息4】光伏", aired_on="2024-07-01", transcript="光伏")
    search = reverse("episodes:search")

    html = client.get(search, {"q": "光伏"}).content.decode()
    assert (
        '产经破壁机 <span class="count">3</span>' in html and '睡前消息 <span class="count">1</span>' in html
    )
    assert '2024 <span class="count">3</span>' in html and '2023 <span class="count">1</span>' in html

    in_2024 = client.get(search, {"q": "光伏", "year": "2024"}).context["episodes"]
    assert sorted(episode.number for episode in in_2024) == [2, 3, 4]
    html = client.get(search, {"q": "光伏", "year": "2024"}).content.decode()
    assert '产经破壁机 <span class="count">2</span>' in html  # the column counts what the year leaves

    by_date = client.get(search, {"q": "光伏", "sort": "date", "column": "business"}).context["episodes"]
    assert [episode.number for episode in by_date] == [3, 2, 1]


def test_a_query_that_finds_nothing_offers_the_closest_titles(client, archive):
    response = client.get(reverse("episodes:search"), {"q": "商汤科级"})

    assert response.context["paginator"].count == 0
    assert [episode.number for episode in response.context["closest"]][:1] == [2]
    assert "标题相近的节目" in response.content.decode()


def test_suggestions_are_the_titles_search_puts_first_and_only_public_ones(client, archive, column):
    make_episode(column, 9, title="【产经破壁机009】芯片草稿", status=Episode.Status.DRAFT)

    titles = client.get(reverse("episodes:search_suggestions"), {"q": "芯片"}).json()["titles"]

    assert titles[0] == "【产经破壁机001】芯片产业的下一步"
    assert "【产经破壁机009】芯片草稿" not in titles
    assert client.get(reverse("episodes:search_suggestions"), {"q": ""}).json() == {"titles": []}


def test_a_query_of_many_words_asks_for_the_first_eight():
    assert len(search.query_terms(" ".join(f"词{index}" for index in range(20)))) == search.MAX_TERMS


def test_a_search_page_searches_once_for_its_results_counts_and_filters(client, archive):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("episodes:search"), {"q": "芯片", "sort": "date"})

    assert response.context["paginator"].count == 4
    searching = [query for query in queries.captured_queries if "episodes_search" in query["sql"]]
    assert len(searching) == 1


def test_a_phrase_typed_in_traditional_characters_is_found_in_a_traditional_transcript(column):
    make_episode(column, 1, title="【产经破壁机001】晶圆代工", transcript="台積電的先進製程領先。")
    make_episode(column, 2, title="【产经破壁机002】先进制程", transcript="先进制程很贵。")

    assert found('"先進製程"') == [2, 1]
    assert found('"先进制程"') == [2]  # as written, in simplified script


def test_short_phrases_and_phrases_with_like_wildcards_are_found_as_written(column):
    make_episode(column, 1, transcript="光刻机很重要。利润增长了100%。")
    make_episode(column, 2, transcript="光和刻都有。利润增长了100倍。")

    assert found('"光刻"') == [1]  # too short for a trigram
    assert found('"100%"') == [1]  # % is a character here, not LIKE's wildcard


def test_a_quoted_phrase_reads_the_transcripts_once_per_search(client, archive):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("episodes:search"), {"q": '"大模型变便宜"'})

    assert [episode.number for episode in response.context["episodes"]] == [3]
    assert response.context["paginator"].count == 1
    reading_transcripts = [
        query
        for query in queries.captured_queries
        if '"source"' in query["sql"] or "episodes_transcript_trigrams" in query["sql"]
    ]
    assert len(reading_transcripts) == 1


def test_each_database_can_look_a_phrase_up_in_its_trigram_index(client, archive):
    if connection.vendor == "postgresql":
        # Four transcripts are read faster than any index; told so, the planner shows that it can use it.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = Transcript.objects.filter(source__contains="大模型变便宜").explain()
        assert "episodes_transcript_source_trigrams" in plan
        return
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("episodes:search"), {"q": '"大模型变便宜"'})
    (phrase_lookup,) = [query["sql"] for query in queries.captured_queries if "trigrams" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {phrase_lookup}")
        plan = [row[3] for row in cursor.fetchall()]
    # L: FTS5 answers the LIKE from its index (without it, it would read every transcript).
    assert any("episodes_transcript_trigrams VIRTUAL TABLE INDEX 0:L" in step for step in plan)


def test_a_search_past_its_time_limit_stops_and_says_so(client, archive, settings, monkeypatch):
    settings.SEARCH_SECONDS = 0  # the deadline has passed before the first query

    if connection.vendor == "postgresql":
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("episodes:search"), {"q": "芯片"})
        # PostgreSQL stops the statement itself; what can be told without a slow query is that it was told to.
        assert any("statement_timeout" in query["sql"] for query in queries.captured_queries)
    else:
        # SQLite looks at the deadline every so many steps of its engine; the small archive's search takes fewer.
        monkeypatch.setattr(search, "SQLITE_STEPS_PER_CHECK", 1)
        response = client.get(reverse("episodes:search"), {"q": "芯片"})
        assert response.status_code == 503
        assert "这次搜索用时太长" in response.content.decode()
    assert client.get(reverse("episodes:search_suggestions"), {"q": "芯片"}).status_code == 200


def test_postgresql_matches_a_common_word_through_its_index_and_ranks_documents_kept_in_place(column):
    if connection.vendor != "postgresql":
        pytest.skip("how PostgreSQL plans a search and stores its documents")
    yesterday = timezone.now() - timedelta(days=1)
    episodes = Episode.objects.bulk_create(
        Episode(
            column=column,
            number=number,
            slug=str(number),
            title=f"第{number}期",
            status="published",
            published_at=yesterday,
        )
        for number in range(1, 2001)
    )
    ids = [episode.pk for episode in episodes]
    # Each entry holds 芯片 among 300 words of its own, a short transcript's worth (about 5 KB): what a
    # common word meets on a real archive.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO episodes_search (rowid, document) SELECT entry, to_tsvector('simple', '芯片 ' ||"
            " (SELECT string_agg('词' || entry || '_' || word, ' ') FROM generate_series(1, 300) word))"
            " FROM unnest(%s::bigint[]) entry",
            [ids],
        )
        # As autovacuum would have by now: the new entries merged into the index, the statistics gathered.
        cursor.execute("SELECT gin_clean_pending_list('episodes_search_document'::regclass)")
        cursor.execute("ANALYZE episodes_episode, episodes_search")
        # The chunks of documents stored out of line that this test can see: those of its own entries
        # (earlier tests' rolled-back chunks still take space, but are not visible).
        cursor.execute("SELECT reltoastrelid::regclass FROM pg_class WHERE relname = 'episodes_search'")
        (toast_table,) = cursor.fetchone()
        cursor.execute(f"SELECT count(*) FROM {toast_table}")
        (out_of_line,) = cursor.fetchone()

    # Told by statistics that the word is everywhere, the planner would read and match every document.
    plan = Episode.objects.public().search("芯片").explain()
    with connection.cursor() as cursor:
        # ANALYZE's row counts outlive the test's rollback: counted again without its rows, for the tests after.
        cursor.execute("DELETE FROM episodes_search WHERE rowid = ANY(%s)", [ids])
        cursor.execute("DELETE FROM episodes_episode WHERE id = ANY(%s)", [ids])
        cursor.execute("ANALYZE episodes_episode, episodes_search")
    assert "Bitmap Index Scan on episodes_search_document" in plan
    # Ranking then reads each match's document from its own row, not from out-of-line storage.
    assert out_of_line == 0
