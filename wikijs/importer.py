"""Importing a Wiki.js archive tree: columns, episodes, navigation and site pages.

The tree: a top-level `NAME.md` beside a folder `NAME/` is a column's page;
a top-level folder is a column, every page below it an episode, except a
page `X.md` beside a folder `X/` (or named as a range folder is, `601-700.md`),
which is a navigation page of the wiki.
Other top-level pages, and the editors' `template/` folder, are site pages.

Each file is imported in its own transaction, keyed by its path, so a
re-run changes nothing that did not change, and a failed file leaves
nothing behind.
"""

import hashlib
import re
from contextlib import contextmanager
from dataclasses import replace
from itertools import chain, count
from pathlib import Path

import reversion
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from taggit.models import Tag, TaggedItem

from column.models import Column, ColumnNotice, Page
from episodes import airdates, search
from episodes.models import Embed, Episode, Tab, Transcript, Warning
from episodes.models.parts import link_episodes_where_they_live
from markup.render import RenderRefused
from wikijs.history import HistoryImport, WikiHistory, is_git_root
from wikijs.links import dangling_links, known_paths
from wikijs.parser import WikiPageError, page_body, parse_page
from wikijs.report import ImportReport
from wikijs.tree import classify, is_range, navigation_order

BULK_LOAD = 100  # pages written in one run past which the database's statistics are refreshed


def import_tree(root, only=None, *, overwrite=False, dry_run=False, progress=None, history=True):
    """Import the pages of the tree at `root`, or those under `only` within it.

    When `root` is a git working tree (a clone of the wiki's repository) and
    `history` is on, each episode's commits not imported yet become its
    revisions first, in order, with their authors, times and messages.
    """
    root = Path(root).resolve()
    sources = classify(root, frozenset(Column.objects.values_list("slug", flat=True)))
    if only is not None:
        only = Path(only).resolve()
        sources = [s for s in sources if s.path.resolve() == only or only in s.path.resolve().parents]
    report = ImportReport()
    importer = _Importer(root, report, overwrite=overwrite)
    whole_tree = only is None or Path(only).resolve() == root
    wiki_history = WikiHistory(root, sources, deleted=whole_tree) if history and is_git_root(root) else None
    changed = []
    for number, source in enumerate(sources, start=1):
        try:
            with transaction.atomic():
                outcome = importer.import_history(source, wiki_history) if wiki_history else None
                # Each imported episode is added to its revision once, whole, by the importer.
                with reversion.create_revision(manage_manually=True), search.indexing_deferred():
                    reversion.set_comment(gettext("从 Wiki.js 导入 %(path)s") % {"path": source.legacy_path})
                    file_outcome = importer.import_file(source)
                outcome = file_outcome if outcome is None or file_outcome != "unchanged" else outcome
                if dry_run:
                    transaction.set_rollback(True)
        except WikiPageError as error:
            outcome = "failed"
            report.failures.append(f"{source.path.relative_to(root)}:{error.line}: {error.reason}")
        except RenderRefused as refusal:
            outcome = "failed"
            report.failures.append(f"{source.path.relative_to(root)}:1: cannot render the page: {refusal}")
        report.counts[outcome] += 1
        if outcome in {"imported", "updated"}:
            changed.append(source)
        if progress:
            progress(number, len(sources))
    if wiki_history:
        importer.import_deleted_pages(wiki_history, dry_run=dry_run)
    if not dry_run:
        _settle_links(changed)
        _report_dangling_links(root, changed, report)
        for column in Column.objects.filter(episode_title_pattern=""):
            column.fill_episode_title_pattern()
    if report.counts["imported"] + report.counts["updated"] >= BULK_LOAD and not dry_run:
        refresh_statistics()
    return report


def _settle_links(sources):
    """Once all pages are in, the transcripts just imported link straight to episodes that came after them."""
    paths = [source.legacy_path for source in sources if source.kind == "episode"]
    for transcript in Transcript.objects.filter(episode__legacy_path__in=paths).only("pk", "html"):
        html = link_episodes_where_they_live(transcript.html)
        if html != transcript.html:
            Transcript.objects.filter(pk=transcript.pk).update(html=html)


def _report_dangling_links(root, sources, report):
    """Name each link of the pages just imported that leads to no page, once all of them are in."""
    known = known_paths()
    for source in sources:
        text = source.path.read_text(encoding="utf-8", errors="replace")
        for line, target in dangling_links(text, source.legacy_path, known):
            report.warnings.append(
                f"{source.path.relative_to(root)}:{line}: the link to {target} leads to no page"
            )


def refresh_statistics():
    """After a bulk load, tell the query planner what the tables now hold.

    On PostgreSQL, VACUUM also marks the new rows visible to index-only
    scans, which the content version's counts use.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.get_autocommit():
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")


class _Importer(HistoryImport):
    def __init__(self, root, report, *, overwrite):
        self.root = root
        self.report = report
        self.overwrite = overwrite
        self.columns = {}
        self.tags = {}
        self.navigation = navigation_order(root)
        # One query for the whole run, so that unchanged files cost no query at all.
        self.imported_hashes = {
            model: dict(model.objects.exclude(legacy_path="").values_list("legacy_path", "source_hash"))
            for model in (Episode, Page)
        }

    def import_file(self, source, raw=None):
        """Import the page from its file, or from `raw`, an earlier version of it (dated by its commit)."""
        historical = raw is not None
        raw = source.path.read_bytes() if raw is None else raw
        digest = hashlib.sha256(raw).hexdigest()
        model = Episode if source.kind == "episode" else Page
        if self.imported_hashes[model].get(source.legacy_path) == digest:
            return "unchanged"
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise WikiPageError(line, "not UTF-8 text") from None
        if "\x00" in text:
            raise WikiPageError(text.count("\n", 0, text.index("\x00")) + 1, "a NUL byte: not a text page")
        _check_length(source.legacy_path, Episode, "legacy_path", 1, "the file's path")
        if source.kind == "site" and not text.lstrip("\ufeff").startswith("---"):
            # Wiki.js writes front matter on every page: a file beside the pages without it is
            # the repository's own, such as its README. Within a column it is a broken page.
            self._warn(source, 1, "no front matter, not a wiki page: skipped")
            return "skipped"
        page = parse_page(text)
        if source.kind == "navigation" and any(tab.url for tab in page.tabs):
            # Whatever its name, a page with players is an episode.
            source = replace(source, kind="episode")
        # What an earlier version lacked is no news: only the page as it is now is reported on.
        for note in page.notes if not historical else ():
            self.report.warnings.append(f"{source.path.relative_to(self.root)}:{note}")
        for kind, line, what in page.losses if not historical else ():
            self.report.not_carried_over[kind] += 1
            self._warn(source, line, f"not carried over: {what}")
        if source.kind == "episode" and not historical:
            # Without a history, the revision is dated when the page was last edited in the wiki.
            reversion.set_date_created(page.date or page.date_created or timezone.now())
        handler = {
            "column": self._column,
            "episode": self._episode,
            "navigation": self._page,
            "site": self._page,
        }[source.kind]
        return handler(source, page, digest)

    def _warn(self, source, line, text):
        self.report.warnings.append(f"{source.path.relative_to(self.root)}:{line}: {text}")

    def _existing(self, model, source, digest):
        """(record, outcome) when the stored copy decides the outcome, else (record, None)."""
        if source.legacy_path not in self.imported_hashes[model]:
            return None, None
        record = model.objects.filter(legacy_path=source.legacy_path).first()
        if record is None:
            return None, None
        if record.source_hash == digest:
            return record, "unchanged"
        if record.edited_since_import and not self.overwrite:
            self.report.conflicts.append(
                f"{source.path.relative_to(self.root)}: edited in the CMS since its import; "
                "kept the CMS version (use --overwrite to replace it)"
            )
            return record, "skipped"
        return record, None

    def _mark_imported(self, model, record, digest):
        model.objects.filter(pk=record.pk).update(source_hash=digest, imported_at=F("updated_at"))
        record.source_hash, record.imported_at = digest, record.updated_at
        # The next version of the same page, in the same transaction, finds this one.
        self.imported_hashes[model][record.legacy_path] = digest

    def column_for(self, slug, page=None):
        if slug in self.columns:
            return self.columns[slug]
        column_slug = slugify(slug)
        if not column_slug:
            raise WikiPageError(1, f"folder name '{slug}' cannot be a column address")
        _check_length(column_slug, Column, "slug", 1, f"the column address made of the folder name '{slug}'")
        column, _ = Column.objects.get_or_create(
            slug=column_slug,
            defaults={"name": page.title if page else slug, "position": self.navigation_position(slug)},
        )
        _remember_once_committed(self.columns, slug, column)
        return column

    def navigation_position(self, slug):
        """Where the wiki's home page lists the column; after those it lists when it does not."""
        return self.navigation.index(slug) + 1 if slug in self.navigation else len(self.navigation) + 1

    def _column(self, source, page, digest):
        _check_front_matter_length(page, "title", Column, "name")
        _check_front_matter_length(page, "description", Column, "description")
        column = self.column_for(source.column_slug, page)
        record, outcome = self._existing(Page, source, digest)
        if outcome:
            return outcome
        column.name = page.title
        column.description = page.description
        column.position = self.navigation_position(source.column_slug)
        column.save()
        column.notices.all().delete()
        with _refused_at(page.body_line, "a notice"):
            for position, (kind, text) in enumerate(page.callouts):
                ColumnNotice.objects.create(column=column, kind=kind, text=text, position=position)
        return self._page(source, page, digest, column=column, record=record, checked=True)

    def _page(self, source, page, digest, *, column=None, record=None, checked=False):
        if not checked:
            record, outcome = self._existing(Page, source, digest)
            if outcome:
                return outcome
        if source.kind == "navigation":
            column = self.column_for(source.column_slug)
        _check_front_matter_length(page, "description", Page, "description")
        # A column's callouts are its notices; a site page shows its callouts in place.
        body = page.body if source.kind == "column" else page_body(page)
        fields = {
            "path": source.legacy_path,
            "title": page.title,
            "description": page.description,
            "body": body,
            "is_published": page.published,
            "column": column,
            "wiki_metadata": {"layout": page.layout},
        }
        created = record is None
        if created:
            record = Page(legacy_path=source.legacy_path, **fields)
        else:
            for name, value in fields.items():
                setattr(record, name, value)
        with _refused_at(page.body_line, "the page"):
            record.save()
        self._mark_imported(Page, record, digest)
        return "imported" if created else "updated"

    def _episode(self, source, page, digest):
        column = self.column_for(source.column_slug)
        if source.legacy_path in self.imported_hashes[Page]:
            # A page an earlier import took for an index is this episode.
            Page.objects.filter(legacy_path=source.legacy_path).delete()
        episode, outcome = self._existing(Episode, source, digest)
        if outcome:
            return outcome
        created = episode is None
        if created:
            episode = Episode(legacy_path=source.legacy_path, column=column)
        episode.column = column
        episode.number = page.number if page.number is not None else _number_from_name(source)
        if page.number is None and airdates.from_path(source.legacy_path):
            episode.number = None  # `daily/2023/10/30`: a day of the month, not an episode's number
        self._warn_about_number(source, page, episode)
        episode.slug = episode.slug or self._slug(column, source)
        episode.title = page.title
        episode.description = page.description
        episode.wiki_metadata = {"layout": page.layout}
        page_made = page.date_created or page.date
        episode.date_the_broadcast(page.body, fallback=timezone.localdate(page_made) if page_made else None)
        if page.published:
            episode.status = Episode.Status.PUBLISHED
            episode.published_at = page.date_created or page.date or timezone.now()
        else:
            episode.status = Episode.Status.DRAFT
            episode.published_at = None
        episode.save()
        if not created:
            episode.tags.clear()
            episode.tabs.all().delete()
            episode.warnings.all().delete()
        TaggedItem.objects.bulk_create(
            TaggedItem(tag=self.tag_named(name), content_object=episode) for name in page.tags
        )

        for wiki_tab in page.tabs:
            _check_length(wiki_tab.label, Tab, "label", wiki_tab.line, f"tab label '{wiki_tab.label[:20]}…'")
        tabs = [
            Tab(
                episode=episode,
                label=wiki_tab.label,
                position=position,
                notice=wiki_tab.notice,
                wiki_markup=wiki_tab.content,
            )
            for position, wiki_tab in enumerate(page.tabs)
        ]
        for tab in tabs:
            tab.render_notice()
        tabs = Tab.objects.bulk_create(tabs)
        Embed.objects.bulk_create(
            Embed(tab=tab, url=wiki_tab.url)
            for tab, wiki_tab in zip(tabs, page.tabs, strict=True)
            if wiki_tab.url
        )
        callouts = list(page.callouts)
        standard = ("warning", column.default_warning.strip())
        # The column's standard warning is the transcript's proofreading state, not a callout.
        proofread = not column.default_warning or standard not in callouts
        if not proofread:
            callouts.remove(standard)
        for position, (kind, text) in enumerate(callouts):
            Warning.objects.create(episode=episode, kind=kind, text=text, position=position)
        status = Transcript.Status.PROOFREAD if proofread else Transcript.Status.MACHINE
        with _refused_at(page.body_line, "the transcript"):
            if created:
                Transcript(episode=episode, source=page.body, status=status).save()
            else:
                Transcript.objects.update_or_create(
                    episode=episode, defaults={"source": page.body, "status": status}
                )
        self._mark_imported(Episode, episode, digest)
        reversion.add_to_revision(episode)
        return "imported" if created else "updated"

    def tag_named(self, name):
        """The tag of that name, whatever its case, made when new; remembered for the run."""
        key = name.lower()
        if key in self.tags:
            return self.tags[key]
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        _remember_once_committed(self.tags, key, tag)
        return tag

    def _warn_about_number(self, source, page, episode):
        title_line = page.lines.get("title", 1)
        if episode.number is None:
            self._warn(source, title_line, "no episode number in the title or the file name")
            return
        other = (
            Episode.objects.filter(column=episode.column, number=episode.number)
            .exclude(legacy_path=source.legacy_path)
            .first()
        )
        if other:
            self._warn(
                source, title_line, f"episode number {episode.number} is also that of {_name_of(other)}"
            )

    def _slug(self, column, source):
        parts = source.legacy_path.split("/")[1:]
        candidate = parts[-1] if len(parts) == 1 or is_range(parts[-2]) else "-".join(parts)
        wanted = (
            slugify(candidate, allow_unicode=True) if not re.fullmatch(r"-?\d+", candidate) else candidate
        )
        if not wanted:
            raise WikiPageError(1, f"file name '{parts[-1]}' cannot be an address")
        others = Episode.objects.filter(column=column).exclude(legacy_path=source.legacy_path)
        slug = wanted
        if holder := others.filter(slug=wanted).first():
            whole_path = slugify("-".join(parts), allow_unicode=True)
            alternatives = chain([whole_path], (f"{whole_path}-{number}" for number in count(2)))
            slug = next(option for option in alternatives if not others.filter(slug=option).exists())
            self._warn(source, 1, f"address '{wanted}' is taken by {_name_of(holder)}: imported at '{slug}'")
        _check_length(slug, Episode, "slug", 1, f"the address '{slug[:20]}…' made of the file name")
        return slug


def _name_of(episode):
    """An episode as the report names it: its file, or its address when it was made in the CMS."""
    return f"{episode.legacy_path}.md" if episode.legacy_path else f"/{episode.column.slug}/{episode.slug}/"


def _check_length(value, model, field_name, line, what):
    """Refuse what the database cannot hold (PostgreSQL would fail mid-file; SQLite would keep it all)."""
    limit = model._meta.get_field(field_name).max_length
    if len(value) > limit:
        raise WikiPageError(line, f"{what} has {len(value)} characters; at most {limit} fit")


def _check_front_matter_length(page, key, model, field_name):
    _check_length(getattr(page, key), model, field_name, page.lines.get(key, 1), f"'{key}'")


def _remember_once_committed(cache, key, record):
    # A file that fails takes the rows it made with it: the next file must not be given them.
    transaction.on_commit(lambda: cache.setdefault(key, record))


@contextmanager
def _refused_at(line, what):
    """Report a text the renderer refuses at the line where it starts."""
    try:
        yield
    except RenderRefused as refusal:
        raise WikiPageError(line, f"{what} cannot be rendered: {refusal}") from None


def _number_from_name(source):
    stem = source.path.stem
    return int(stem) if re.fullmatch(r"-?\d+", stem) else None
