"""Readable differences between two versions of a transcript.

Chinese has no spaces to split words on, so changed paragraphs are compared
character by character; unchanged paragraphs are shown once, folded.
"""

from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext


def paragraphs(text):
    return [block.strip("\n") for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def _marked_up(old, new, opcodes):
    parts = []
    for operation, a1, a2, b1, b2 in opcodes:
        if operation == "equal":
            parts.append(escape(old[a1:a2]))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(old[a1:a2])}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(new[b1:b2])}</ins>")
    return "".join(parts)


# difflib takes time in proportion to the product of the lengths it compares: past this, what
# differs is shown replaced whole, so that no pair of texts can hold a page for seconds.
COMPARED_CHARACTERS_PRODUCT = 1_000_000


class CharacterMatcher(SequenceMatcher):
    """difflib's matcher for two texts, character by character, in bounded time.

    A correction changes a few characters of a paragraph: the beginning and
    the end the texts share are set aside first, and only what lies between
    them is compared.
    """

    def __init__(self, old, new):
        super().__init__(None, old, new, autojunk=False)

    def get_opcodes(self):
        old, new = self.a, self.b
        start = _shared_start(old, new)
        end = _shared_start(old[start:][::-1], new[start:][::-1])
        old_end, new_end = len(old) - end, len(new) - end
        opcodes = [("equal", 0, start, 0, start)] if start else []
        if (old_end - start) * (new_end - start) > COMPARED_CHARACTERS_PRODUCT:
            opcodes.append(("replace", start, old_end, start, new_end))
        else:
            between = SequenceMatcher(None, old[start:old_end], new[start:new_end], autojunk=False)
            opcodes.extend(
                (operation, a1 + start, a2 + start, b1 + start, b2 + start)
                for operation, a1, a2, b1, b2 in between.get_opcodes()
            )
        if end:
            opcodes.append(("equal", old_end, len(old), new_end, len(new)))
        return opcodes


def _shared_start(first, second):
    for length, (one, other) in enumerate(zip(first, second, strict=False)):
        if one != other:
            return length
    return min(len(first), len(second))


def character_diff(old, new):
    """The whole of `new`, with what it removed from `old` struck out and what it added marked."""
    return mark_safe(_marked_up(old, new, CharacterMatcher(old, new).get_opcodes()))


def changed_fragments(old, new, context=8):
    """Only the changes from `old` to `new`, each with `context` characters around it, joined by ellipses."""
    groups = CharacterMatcher(old, new).get_grouped_opcodes(context)
    return mark_safe(" … ".join(_marked_up(old, new, group) for group in groups))


def transcript_diff(old, new):
    """Rows of (kind, html) for the paragraphs of two texts: same, changed, added or removed."""
    old_paragraphs, new_paragraphs = paragraphs(old), paragraphs(new)
    rows = []
    matcher = SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            rows.extend(("same", escape(paragraph)) for paragraph in old_paragraphs[a1:a2])
            continue
        old_block, new_block = old_paragraphs[a1:a2], new_paragraphs[b1:b2]
        for old_paragraph, new_paragraph in zip(old_block, new_block, strict=False):
            rows.append(("changed", character_diff(old_paragraph, new_paragraph)))
        paired = min(len(old_block), len(new_block))
        rows.extend(("removed", mark_safe(f"<del>{escape(p)}</del>")) for p in old_block[paired:])
        rows.extend(("added", mark_safe(f"<ins>{escape(p)}</ins>")) for p in new_block[paired:])
    return rows


def _folded_label(count):
    return ngettext("…… %(count)d 段未改动", "…… %(count)d 段未改动", count) % {"count": count}


def fold_unchanged(rows, context=1):
    """Keep `context` unchanged paragraphs around each change; fold the runs between."""
    changed = [index for index, (kind, _) in enumerate(rows) if kind != "same"]
    keep = {i for index in changed for i in range(index - context, index + context + 1)}
    folded, hidden = [], 0
    for index, row in enumerate(rows):
        if index in keep:
            if hidden:
                folded.append(("folded", _folded_label(hidden)))
                hidden = 0
            folded.append(row)
        else:
            hidden += 1
    if hidden:
        folded.append(("folded", _folded_label(hidden)))
    return folded
