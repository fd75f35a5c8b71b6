"""The registry of points sources: the kinds of records already in the system that a
county's scheme may count. Nothing else can give points: there is no source for check-ins,
logins or time online, and the scheme form offers only what is registered here.

A source says whose records they are (`MEMBER` or `ORGANIZATION`) and gives two functions:

- `count(path, period)`: a queryset, one row per subject in the subtree at `path` (active
  members, organizations not dissolved) with the columns `subject` (its id) and `n` (how
  many of its records fall in `period`). It is compiled into the INSERT … SELECT of
  `services.compute_year`, so a year's points are aggregated by the database;
- `records(subject, period)`: the same records of one member or organization, as
  `Record`s in date order, for the pages that show the record behind each point.

Sources are registered by `dangjian.points.apps` from the modules of this package (one per
app whose records count: `life`, `tasks`, `service`); an app that comes later (service, training) gets
a module here, or calls `register` from its own AppConfig.ready if it sits above points.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

MEMBER, ORGANIZATION = "member", "organization"


@dataclass(frozen=True)
class Record:
    """One record behind a point: when, what, and where to see it."""

    day: datetime.date | None
    text: str
    url: str = ""


@dataclass(frozen=True)
class Source:
    key: str
    label: object  # lazy text: 参加主题党日
    subject: str  # MEMBER or ORGANIZATION
    count: Callable
    records: Callable
    unit: object = "次"
    help: object = ""
    order: int = 100
    # Sources of one family (the meeting kinds) are counted together in one pass over the
    # records (see `Family`); `family_key` is this source's value of the family's `key`.
    family: str = ""
    family_key: str = ""


@dataclass(frozen=True)
class Family:
    """Several sources counted by one query: `count(path, period)` gives rows with the
    columns `subject`, `key` (which source: a Source's `family_key`) and `n`; a (subject,
    key) may come in several rows, which are summed. Counting a year's attendance at every
    meeting kind at once reads the county's attendance once, not once a kind."""

    name: str
    count: Callable


SOURCES: dict[str, Source] = {}
FAMILIES: dict[str, Family] = {}


def register_family(family: Family) -> None:
    FAMILIES[family.name] = family


def register(source: Source) -> None:
    if source.subject not in (MEMBER, ORGANIZATION):
        raise ValueError(f"unknown points subject {source.subject!r}")
    SOURCES[source.key] = source


def get(key: str) -> Source | None:
    return SOURCES.get(key)


def all_sources(subject: str | None = None) -> list[Source]:
    out = [s for s in SOURCES.values() if subject is None or s.subject == subject]
    return sorted(out, key=lambda s: (s.order, s.key))


def labels() -> dict[str, str]:
    return {s.key: str(s.label) for s in all_sources()}


def register_all() -> None:
    from . import life, service, tasks, training

    life.register_all()
    tasks.register_all()
    service.register_all()
    training.register_all()
