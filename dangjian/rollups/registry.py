"""What apps tell the engine about their figures, besides the SQL sources.

- bindings: a figure a report-back field (or any later form) may be filled from, so that a
  number the system already has is confirmed, never typed again. Registered by the app that
  owns the records; read by whoever binds to it, without importing that app.
- breakdowns: how a group of keys reads on an organization's page (a titled table of
  labelled rows, maybe a chart), in the order registered.
"""

from collections.abc import Callable
from dataclasses import dataclass

# ---- bindings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Binding:
    code: str
    label: str
    compute: Callable  # (organization, Period) -> int


BINDINGS: dict[str, Binding] = {}


def bind(code: str, label, compute: Callable) -> None:
    BINDINGS[code] = Binding(code, label, compute)


def binding_choices() -> list[tuple[str, str]]:
    return [(b.code, b.label) for b in BINDINGS.values()]


def compute_binding(code: str, org, period) -> int:
    return BINDINGS[code].compute(org, period)


# ---- breakdowns on the organization page ------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    id: str
    title: Callable  # (as_of_year) -> str, evaluated in the request's language
    rows: Callable  # (figures, as_of_year) -> [(label, value)]
    total_key: str
    chart: str = ""
    order: int = 100
    # (organization) -> {key: n}: what the organization itself adds to its subtree's keys,
    # left out when the breakdown counts only what lies below it (下属组织).
    own: Callable | None = None

    def figures_for(self, figs: dict, org) -> dict:
        if self.own is None or org is None:
            return figs
        out = dict(figs)
        for key, n in self.own(org).items():
            out[key] = max(0, out.get(key, 0) - n)
        return out


BREAKDOWNS: dict[str, Breakdown] = {}


def breakdown(id, title, rows, total_key, chart="", order=100, own=None) -> None:
    BREAKDOWNS[id] = Breakdown(id, title, rows, total_key, chart, order, own)


def breakdowns() -> list[Breakdown]:
    return sorted(BREAKDOWNS.values(), key=lambda b: b.order)


def choice_rows(prefix: str, choices) -> Callable:
    """Rows for keys "<prefix>.<value>", one per choice, labelled by the choice."""

    def rows(figs, as_of_year):
        return [(label, figs.get(f"{prefix}.{value}", 0)) for value, label in choices]

    return rows
