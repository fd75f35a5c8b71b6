"""The roll-up keys of venues and pay sheets, kept by the services with each write and
rebuilt from the rows by `rollups.rebuild()` (registered in VillageConfig):

    village.venues                      venues recorded (a stock, not a year's)
    village.venues_five_haves           venues with all five haves
    village.venues_six_in_one           venues with all six functions
    village.sheets.2026.confirmed       pay sheets of the year, by status
    village.works.2026.new              works of the year, by kind

Amounts (pay, funds, works' costs) are sums, not counts: the roll-up table counts rows, so
they are summed in SQL over the subtree's path prefix (selectors)."""

from dangjian.rollups import services as rollups

from .models import FIVE_HAVES, SIX_IN_ONE, PaySheet, SheetStatus, Venue, VenueWork, WorkKind


def venue_keys(v: Venue) -> list[str]:
    keys = ["village.venues"]
    if v.five_haves:
        keys.append("village.venues_five_haves")
    if v.six_in_one:
        keys.append("village.venues_six_in_one")
    return keys


def sheet_keys(s: PaySheet) -> list[str]:
    return [f"village.sheets.{s.year}.{s.status}"]


def work_keys(w) -> list[str]:
    return [f"village.works.{w.year}.{w.kind}"]


def added(org, keys) -> None:
    rollups.adjust(org, {k: 1 for k in keys})


def removed(org, keys) -> None:
    rollups.adjust(org, {k: -1 for k in keys})


def changed(org, old, new) -> None:
    rollups.adjust(org, rollups.delta(old, new))


def _t(model):
    return model._meta.db_table


def _all(fields) -> str:
    return " AND ".join(f"r.{f}" for f in fields)


SOURCES = [
    rollups.Source(_t(Venue), "organization_id", ["'village.venues'"]),
    rollups.Source(_t(Venue), "organization_id", ["'village.venues_five_haves'"], _all(FIVE_HAVES)),
    rollups.Source(_t(Venue), "organization_id", ["'village.venues_six_in_one'"], _all(SIX_IN_ONE)),
    rollups.Source(
        _t(PaySheet), "organization_id", ["'village.sheets.' || r.year || '.' || r.status"]
    ),
    rollups.Source(
        _t(VenueWork), "organization_id", ["'village.works.' || r.year || '.' || r.kind"]
    ),
]

VENUE_KEYS = ["village.venues", "village.venues_five_haves", "village.venues_six_in_one"]


def year_keys(year: int) -> list[str]:
    return (
        VENUE_KEYS
        + [f"village.sheets.{year}.{s}" for s in SheetStatus.values]
        + [f"village.works.{year}.{k}" for k in WorkKind.values]
    )


def year_figures(org, year: int) -> dict:
    return rollups.figures(org, keys=year_keys(year))


def of_many(orgs, year: int) -> dict[int, dict]:
    return rollups.figures_of_many(orgs, year_keys(year))
