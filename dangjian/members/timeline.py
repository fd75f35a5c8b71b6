"""A member's own history (党员个人纪实): meetings attended, reviews, talks, moves, … on one
page. members sits below the apps that hold those records, so they bring their entries here:
each registers a provider in its AppConfig.ready(); members never imports them.

A provider is `provider(user, member) -> iterable of Entry`, and reads through its own app's
selectors, so `user` sees only what that app lets them see (a member their own rows,
managers their subtree's)."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

_providers = []


@dataclass(frozen=True)
class Entry:
    on: datetime.date
    kind: str  # what happened, short: 参加会议, 民主评议, 谈心谈话, 组织关系转接 …
    text: str  # the record: a meeting's topic, a grade, a move's two organizations
    detail: str = ""  # status, reason
    url: str = ""  # the record's page, when the user may open it


def register(provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def moves(user, member):
    for move in member.moves.select_related("from_organization", "to_organization"):
        yield Entry(
            on=move.moved_on,
            kind=_("组织关系转接"),
            text=f"{move.from_organization.name} → {move.to_organization.name}",
            detail=move.reason,
        )


def timeline(user, member, year: int | None = None) -> list[Entry]:
    """Every entry about `member` that `user` may see, newest first (of one year if given)."""
    entries = [*moves(user, member)]
    for provider in _providers:
        entries.extend(provider(user, member))
    if year is not None:
        entries = [e for e in entries if e.on.year == year]
    return sorted(entries, key=lambda e: (e.on, e.kind), reverse=True)
