"""What an import did, page by page: the counts, and each failure, conflict and warning with its file and line."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ImportReport:
    counts: dict = field(
        default_factory=lambda: dict.fromkeys(["imported", "updated", "unchanged", "skipped", "failed"], 0)
    )
    failures: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    # What the site cannot show of the pages, counted by kind ("frame", "raw html", "tab text").
    not_carried_over: Counter = field(default_factory=Counter)

    @property
    def summary(self):
        counts = ", ".join(f"{name} {number}" for name, number in self.counts.items())
        lost = ", ".join(f"{kind} {number}" for kind, number in sorted(self.not_carried_over.items()))
        total = sum(self.not_carried_over.values())
        return f"{counts}, warnings {len(self.warnings)}, not carried over {total}" + (
            f" ({lost})" if lost else ""
        )
