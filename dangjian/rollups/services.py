"""Keeping the roll-up figures (rollups.Rollup) in step with the records.

Each record contributes to a few keys ("members", "members.category.rural", ...). When a
record is created, changed, moved or removed, the service that did it calls `adjust()` with
the difference, which is added to the organization and every ancestor in one statement.
`rebuild()` recomputes all figures from the records in SQL (after bulk imports, and to
check that the incremental figures never drift).
"""

import hashlib
import re
from collections import Counter

from django.db import connection, transaction

from .models import BuildMark, Rollup

TABLE = Rollup._meta.db_table


def _organizations():
    """The organization model, reached through the roll-up's own foreign key: the engine
    sits below the tree's app and does not import it."""
    return Rollup._meta.get_field("organization").related_model


def delta(old_keys, new_keys) -> Counter:
    d = Counter(new_keys)
    d.subtract(Counter(old_keys))
    return Counter({k: v for k, v in d.items() if v})


# One advisory lock guards the tree's paths against the roll-up. A subtree move holds it
# exclusively; every adjust holds it shared and then reads the organization's path afresh,
# so a figure is never added to the ancestors a concurrent move has just left. SQLite needs
# no lock: its transactions are IMMEDIATE, so writers already run one at a time.
TREE_LOCK = 0x64616E67  # "dang"


def lock_tree(*, exclusive: bool) -> None:
    """Hold the tree lock until the end of the current transaction (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    call = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {call}(%s)", [TREE_LOCK])


def _ancestor_ids(org_id) -> list[int]:
    Organization = _organizations()
    path = Organization.objects.values_list("path", flat=True).get(pk=org_id)
    step = Organization.steplen
    paths = [path[:i] for i in range(step, len(path) + 1, step)]
    return list(Organization.objects.filter(path__in=paths).values_list("id", flat=True))


def adjust(org, changes) -> None:
    """Add `changes` ({key: amount}) to `org` and all its ancestors.

    The ancestors are those of the organization as stored now, not of the object passed in,
    which may have been read before a concurrent move."""
    changes = {k: v for k, v in changes.items() if v}
    if not changes:
        return
    lock_tree(exclusive=False)
    ancestor_ids = _ancestor_ids(getattr(org, "pk", org))
    rows = [(oid, key, amount) for oid in ancestor_ids for key, amount in changes.items()]
    placeholders = ", ".join(["(%s, %s, %s)"] * len(rows))
    params = [v for row in rows for v in row]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (organization_id, key, value) VALUES {placeholders} "
            f"ON CONFLICT (organization_id, key) DO UPDATE SET value = {TABLE}.value + excluded.value",
            params,
        )


def adjust_subtree_move(org, old_parent_paths: list[str], new_parent_paths: list[str]) -> None:
    """Shift a moved subtree's totals from its old ancestors to its new ones. The caller
    holds the tree lock exclusively (`lock_tree(exclusive=True)`) from before it read the
    paths it passes here."""
    totals = dict(Rollup.objects.filter(organization=org).values_list("key", "value"))
    if not totals:
        return
    with connection.cursor() as cursor:
        for paths, sign in ((old_parent_paths, -1), (new_parent_paths, 1)):
            ids = list(_organizations().objects.filter(path__in=paths).values_list("id", flat=True))
            rows = [(oid, key, sign * value) for oid in ids for key, value in totals.items()]
            if not rows:
                continue
            placeholders = ", ".join(["(%s, %s, %s)"] * len(rows))
            cursor.execute(
                f"INSERT INTO {TABLE} (organization_id, key, value) VALUES {placeholders} "
                f"ON CONFLICT (organization_id, key) DO UPDATE SET value = {TABLE}.value + excluded.value",
                [v for row in rows for v in row],
            )


class Source:
    """Records of one table that count in roll-up figures, for rebuild().

    `keys` are SQL expressions over the row alias `r` giving a figure's key; `where` limits
    the rows (e.g. not removed). Apps register theirs with `register()` in AppConfig.ready.
    The expressions may use {year:COLUMN} and {month:COLUMN} for a date's "2026" / "2026-03".
    """

    def __init__(self, table, org_column, keys, where="1=1"):
        self.table, self.org_column, self.keys, self.where = table, org_column, keys, where


SOURCES: list[Source] = []


def register(source: Source) -> None:
    """Add a source of figures (from an app's AppConfig.ready); the same one twice counts once."""
    if not any(vars(s) == vars(source) for s in SOURCES):
        SOURCES.append(source)


def _date_sql(text: str) -> str:
    """Expand {year:col} and {month:col} for the current database."""
    pg = connection.vendor == "postgresql"

    def year(m):
        return f"to_char({m[1]}, 'YYYY')" if pg else f"strftime('%Y', {m[1]})"

    def month(m):
        return f"to_char({m[1]}, 'YYYY-MM')" if pg else f"strftime('%Y-%m', {m[1]})"

    text = re.sub(r"\{year:([\w.]+)\}", year, text)
    return re.sub(r"\{month:([\w.]+)\}", month, text)


def _depths_sql(max_depth: int) -> str:
    return " UNION ALL ".join(f"SELECT {n} AS n" for n in range(1, max_depth + 1))


@transaction.atomic
def rebuild() -> None:
    """Recompute every figure from the records. Runs in SQL on both databases."""
    Organization = _organizations()
    org_table = Organization._meta.db_table
    step = Organization.steplen
    lock_tree(exclusive=True)
    max_depth = Organization.objects.order_by("-depth").values_list("depth", flat=True).first()
    Rollup.objects.all().delete()
    BuildMark.objects.all().delete()
    BuildMark.objects.create(sources=sources_fingerprint())
    if not max_depth:
        return
    # Each row is counted at every ancestor: anc.path is a prefix of the row's org path.
    ancestor_join = (
        f"JOIN ({_depths_sql(max_depth)}) d ON d.n <= o.depth "
        f"JOIN {org_table} anc ON anc.path = SUBSTR(o.path, 1, d.n * {step})"
    )
    with connection.cursor() as cursor:
        for source in SOURCES:
            for key_sql in source.keys:
                key_sql = _date_sql(key_sql)
                # Count per organization first, then add the counts up the ancestors: the
                # ancestor join then runs over organizations, not over every record.
                cursor.execute(
                    f"INSERT INTO {TABLE} (organization_id, key, value) "
                    f"SELECT anc.id, c.k, SUM(c.n) FROM ("
                    f"SELECT r.{source.org_column} AS oid, {key_sql} AS k, COUNT(*) AS n "
                    f"FROM {source.table} r WHERE {_date_sql(source.where)} GROUP BY 1, 2"
                    f") c JOIN {org_table} o ON o.id = c.oid {ancestor_join} GROUP BY 1, 2"
                )


def figures(org, keys=None) -> dict[str, int]:
    """The rolled-up figures of `org` as {key: value}, zeros left out: all of them, or only
    `keys` (an organization holds years of monthly keys; a report needs a few)."""
    rows = Rollup.objects.filter(organization=org)
    if keys is not None:
        rows = rows.filter(key__in=list(keys))
    return {k: v for k, v in rows.values_list("key", "value") if v}


def figures_of_many(orgs, keys) -> dict[int, dict[str, int]]:
    """{org id: {key: value}} for a few keys of many organizations (objects or ids)."""
    out: dict[int, dict[str, int]] = {getattr(o, "id", o): {} for o in orgs}
    for oid, key, value in Rollup.objects.filter(
        organization_id__in=list(out), key__in=list(keys)
    ).values_list("organization_id", "key", "value"):
        out[oid][key] = value
    return out


def sources_fingerprint() -> str:
    """A digest of the registered sources: it changes when an app adds or changes a key."""
    described = sorted(repr((s.table, s.org_column, s.keys, s.where)) for s in SOURCES)
    return hashlib.sha256("\n".join(described).encode()).hexdigest()


def rebuild_if_stale(**kwargs) -> None:
    """After migrate: figures of an existing tree are recomputed from the records when they
    were built from other sources than those registered now (a new key such as
    grassroots_organizations, or a database from before the engine had its own table).
    Figures are derived, so nothing is lost by recomputing them."""
    if not _organizations().objects.exists():
        return
    mark = BuildMark.objects.values_list("sources", flat=True).first()
    if mark != sources_fingerprint() or not Rollup.objects.exists():
        rebuild()
