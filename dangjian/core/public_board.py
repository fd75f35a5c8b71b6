"""Sections that other apps add to a village's public board (/v/CODE/, governance).

The board belongs to village governance, but some of what it shows is recorded elsewhere
(the branch's pledges to the public, the village work team's contacts). Apps of the same
layer may not import each other, so such an app registers a section here: a template, the
context it renders with, and a stamp that changes whenever that context can change (it goes
into the board's ETag, so a browser's revalidation never rebuilds the page needlessly).

A section shows nothing personal beyond names, posts and work phone numbers.
"""

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class Section:
    key: str
    template: str
    # (org, today) -> dict for the template, or None when the section has nothing to show.
    context: Callable
    # (org, today) -> str: a short text that changes when the context can change.
    stamp: Callable
    order: int = 100


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def rendered(org, today) -> list[tuple[Section, dict]]:
    """(section, context) of every section with something to show."""
    out = []
    for section in sections():
        context = section.context(org, today)
        if context is not None:
            out.append((section, context))
    return out


def stamp(org, today) -> str:
    return "|".join(f"{s.key}={s.stamp(org, today)}" for s in sections())
