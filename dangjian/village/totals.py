"""Money summed over subtrees (MoneyRollup), kept incrementally and rebuilt from the rows.

    village.pay.2026                confirmed pay sheets of the year, fen
    village.office.2026 / village.service.2026   the year's funds, fen
    village.works_cost.2026.county  works' cost of the year by funding source, fen

`adjust(org, {key: amount})` adds to the organization and every ancestor in one statement
(the tree lock held shared, as rollups.adjust does); `rebuild()` recomputes every key from
the rows in SQL (after bulk writes: the demo, the bench), summing where the roll-up engine
counts."""

from django.db import connection, transaction

from dangjian.orgs.models import Organization
from dangjian.rollups import services as rollups

from .models import MoneyRollup, PaySheet, SheetStatus, VenueFunds, VenueWork

TABLE = MoneyRollup._meta.db_table

# (table, amount column, key expression over r, where)
SOURCES = [
    (
        PaySheet._meta.db_table,
        "total_fen",
        "'village.pay.' || r.year",
        f"r.status = '{SheetStatus.CONFIRMED}'",
    ),
    (VenueFunds._meta.db_table, "office_fen", "'village.office.' || r.year", "1=1"),
    (VenueFunds._meta.db_table, "service_fen", "'village.service.' || r.year", "1=1"),
    (
        VenueWork._meta.db_table,
        "cost_fen",
        "'village.works_cost.' || r.year || '.' || r.funding",
        "1=1",
    ),
]


def adjust(org, changes: dict) -> None:
    changes = {k: v for k, v in changes.items() if v}
    if not changes:
        return
    rollups.lock_tree(exclusive=False)
    org_id = getattr(org, "pk", org)
    path = Organization.objects.values_list("path", flat=True).get(pk=org_id)
    step = Organization.steplen
    paths = [path[:i] for i in range(step, len(path) + 1, step)]
    ids = list(Organization.objects.filter(path__in=paths).values_list("id", flat=True))
    rows = [(oid, key, amount) for oid in ids for key, amount in changes.items()]
    marks = ", ".join(["(%s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (organization_id, key, value) VALUES {marks} "
            f"ON CONFLICT (organization_id, key) DO UPDATE SET value = {TABLE}.value + excluded.value",
            [v for row in rows for v in row],
        )


def values(org, keys) -> dict[str, int]:
    return dict(
        MoneyRollup.objects.filter(organization=org, key__in=list(keys)).values_list("key", "value")
    )


def of_many(orgs, keys) -> dict[int, dict[str, int]]:
    out = {getattr(o, "id", o): {} for o in orgs}
    for oid, key, value in MoneyRollup.objects.filter(
        organization_id__in=list(out), key__in=list(keys)
    ).values_list("organization_id", "key", "value"):
        out[oid][key] = value
    return out


@transaction.atomic
def rebuild() -> None:
    """Recompute every sum from the rows, in SQL (the same ancestor join as the roll-ups)."""
    rollups.lock_tree(exclusive=True)
    MoneyRollup.objects.all().delete()
    org_table = Organization._meta.db_table
    step = Organization.steplen
    max_depth = Organization.objects.order_by("-depth").values_list("depth", flat=True).first()
    if not max_depth:
        return
    depths = " UNION ALL ".join(f"SELECT {n} AS n" for n in range(1, max_depth + 1))
    with connection.cursor() as cursor:
        for table, column, key, where in SOURCES:
            cursor.execute(
                f"INSERT INTO {TABLE} (organization_id, key, value) "
                f"SELECT anc.id, c.k, SUM(c.n) FROM ("
                f"SELECT r.organization_id AS oid, {key} AS k, SUM(r.{column}) AS n "
                f"FROM {table} r WHERE {where} GROUP BY 1, 2"
                f") c JOIN {org_table} o ON o.id = c.oid "
                f"JOIN ({depths}) d ON d.n <= o.depth "
                f"JOIN {org_table} anc ON anc.path = SUBSTR(o.path, 1, d.n * {step}) "
                f"GROUP BY 1, 2"
            )


def rebuild_if_empty(**kwargs) -> None:
    """After migrate: sums of a database whose rows came before this table are computed."""
    if MoneyRollup.objects.exists():
        return
    if PaySheet.objects.exists() or VenueFunds.objects.exists() or VenueWork.objects.exists():
        rebuild()
