"""Benchmark of transfers, mobile members and the mapped roster import on province-scale
data in PostgreSQL (not a test).

    .venv/bin/python bench/transfers.py [--transfers 200000] [--mobile 80000] [--rows 19000]

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench
(100,000 organizations, 2,000,000 members; apply the members and reports migrations first).
Everything is made inside one transaction that is rolled back at the end: the database is
left as it was.

Made: `--transfers` transfer letters over the province's members in bulk SQL (a tenth still
open, the rest confirmed, refused or cancelled) and `--mobile` mobile records. Measured
(median of repeated runs, the worst with it), for a county administrator:
1. the county's transfer ledger, pending first, first page (members.selectors.org_transfers);
2. the county's desk item "pending over a month" (members.desk.transfers_pending_below);
3. issuing and confirming one letter through the services (the move, the roll-ups);
4. the county's mobile members page query (members.selectors.org_mobile);
5. a `--rows` roster in the national system's columns: reading the headers, reading the
   rows through a mapping, and the whole import (validated and written, then rolled back).
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_bench"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from dangjian.accounts.models import Role, RoleName  # noqa: E402
from dangjian.members import desk, selectors, transfers  # noqa: E402
from dangjian.members.models import Member  # noqa: E402
from dangjian.members.rules import make_id_number  # noqa: E402
from dangjian.orgs.models import Organization  # noqa: E402
from dangjian.reports import mapping, mappings  # noqa: E402

TODAY = datetime.date(2026, 12, 1)


class Rollback(Exception):
    pass


def timed(fn, runs=5):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def report(label, fn, runs=5):
    median, worst = timed(fn, runs)
    print(f"{label}: median {median:.1f} ms, worst {worst:.1f} ms")


def make_transfers(n: int):
    """Bulk letters between random branches (SQL): 10% open, the rest closed."""
    with connection.cursor() as c:
        c.execute(
            """
            WITH m AS (
                SELECT id, organization_id, row_number() OVER (ORDER BY id) AS rn
                FROM members_member WHERE removed_on IS NULL ORDER BY id LIMIT %s
            ), b AS (
                SELECT id, row_number() OVER (ORDER BY id) AS rn FROM orgs_organization
                WHERE kind = 'branch' AND dissolved_on IS NULL
            ), nb AS (SELECT count(*) AS c FROM b)
            INSERT INTO members_transfer (member_id, direction, from_organization_id,
                to_organization_id, outside_name, letter_number, issued_on, valid_until,
                reason, status, refusal_reason, created_at, updated_at)
            SELECT m.id, 'inside', m.organization_id, b.id, '', 'B' || m.id,
                DATE %s - (m.rn %% 300)::int, DATE %s - (m.rn %% 300)::int + 90, 'BENCH',
                CASE WHEN m.rn %% 10 = 0 THEN 'issued' WHEN m.rn %% 10 = 1 THEN 'refused'
                     WHEN m.rn %% 10 = 2 THEN 'cancelled' ELSE 'confirmed' END,
                '', now(), now()
            FROM m, nb JOIN b ON true
            WHERE b.rn = 1 + (m.rn * 7919) %% nb.c AND b.id <> m.organization_id
            """,
            [n, TODAY, TODAY],
        )
        made = c.rowcount
        c.execute(
            """
            INSERT INTO members_mobilerecord (member_id, place, unit, since, expected_until,
                fixed_place, document, contact_name, contact_phone, end_reason, created_at,
                updated_at)
            SELECT id, '上海市', 'BENCH', DATE %s - (id %% 700)::int, NULL, true,
                'mobile_certificate', '联系人', '13900000000', '', now(), now()
            FROM members_member WHERE removed_on IS NULL ORDER BY id DESC LIMIT %s
            """,
            [TODAY, ARGS.mobile],
        )
        c.execute("ANALYZE members_transfer")
        c.execute("ANALYZE members_mobilerecord")
    return made


def national_file(org, rows: int) -> io.BytesIO:
    from openpyxl import Workbook

    headers = ["序号", "姓名", "性别", "公民身份号码", "出生年月", "学历", "人员类别",
               "党员类别", "入党时间", "转为正式党员时间", "手机号码", "所在党支部"]  # fmt: skip
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("党员")
    ws.append(["党员花名册"])
    ws.append(headers)
    for i in range(rows):
        birth = datetime.date(1960 + i % 25, 1 + i % 12, 1 + i % 28)
        ws.append(
            [
                i + 1,
                f"导入{i}",
                "男",
                make_id_number("999999", birth, i % 999, "m"),
                f"{birth.year}.{birth.month:02d}",
                "大专",
                "正式党员",
                "农牧渔民",
                "2010年7月",
                "2011.07",
                f"139{i:08d}",
                org.name,
            ]  # fmt: skip
        )
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf, headers


def main():
    county = Organization.objects.filter(level="county").order_by("path").first()
    user = get_user_model().objects.create_user("bench_transfers", password="x")
    Role.objects.create(user=user, organization=county, name=RoleName.COUNTY_ADMIN)
    start = time.perf_counter()
    made = make_transfers(ARGS.transfers)
    print(f"made {made} transfers and {ARGS.mobile} mobile records in "
          f"{time.perf_counter() - start:.1f} s")  # fmt: skip
    in_county = selectors.org_transfers(user, county)
    print(f"county {county.name}: {in_county.count()} transfers in or out")
    report("1. county transfer ledger, first 500 rows", lambda: list(in_county[:500]))
    report(
        "2. desk: pending over a month (county)", lambda: desk.transfers_pending_below(user, TODAY)
    )
    branches = list(
        Organization.objects.filter(path__startswith=county.path, kind="branch", depth=5).order_by(
            "path"
        )[:40]
    )
    movers = list(
        Member.objects.active()
        .filter(organization__in=branches[:20])
        .exclude(transfers__status__in=["issued", "received"])
        .order_by("id")[:5]
    )

    def issue_and_confirm(state={"i": 0}):  # noqa: B006
        m = movers[state["i"] % len(movers)]
        state["i"] += 1
        m.refresh_from_db()
        to = next(b for b in branches[20:] if b.pk != m.organization_id)
        t = transfers.issue(m, to=to, letter_number=f"BENCH{state['i']}", actor=user)
        transfers.confirm(t, actor=user)

    # Writes touch the roll-ups up to the root: each in a short transaction of its own,
    # rolled back at once, so that other work on the database is not kept waiting.
    def issue_and_confirm_undone():
        with transaction.atomic():
            sid = transaction.savepoint()
            issue_and_confirm()
            transaction.savepoint_rollback(sid)

    report("3. issue + confirm one letter (services)", issue_and_confirm_undone)
    report(
        "4. county mobile members, first 500",
        lambda: list(selectors.org_mobile(user, county)[:500]),
    )

    target = branches[0]
    f, headers = national_file(target, ARGS.rows)
    t0 = time.perf_counter()
    header_row, found, samples, _problem = mapping.read_headers(f)
    print(f"5a. read headers of a {ARGS.rows}-row file: {(time.perf_counter() - t0) * 1000:.0f} ms")
    record = mappings.save_mapping(
        user, county, name="BENCH", columns=mapping.suggest(found, samples), headers=found,
        header_row=header_row,
    )  # fmt: skip
    t0 = time.perf_counter()
    rows, _h, _p = mapping.read_mapped(
        f, record.mapping, header_row=header_row, default_org_code=target.code,
        org_codes=lambda names: {target.name: target.code},
    )  # fmt: skip
    print(f"5b. read {len(rows)} rows through the mapping: {time.perf_counter() - t0:.1f} s")
    f.seek(0)
    t0 = time.perf_counter()
    marks = {}

    def progress(done, total, message):
        if "写入" in message and "validated" not in marks:
            marks["validated"] = time.perf_counter() - t0

    sid = transaction.savepoint()
    result = mappings.import_with_mapping(
        f, record, actor=user, organization=county, progress=progress
    )
    transaction.savepoint_rollback(sid)
    print(f"    of which validation {marks.get('validated', 0):.1f} s")
    print(f"5c. whole mapped import of {ARGS.rows} rows: {time.perf_counter() - t0:.1f} s "
          f"({result.created} created, {len(result.errors)} errors)")  # fmt: skip
    for line in result.messages()[:3]:
        print("   ", line)
    print(f"load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--transfers", type=int, default=200_000)
    parser.add_argument("--mobile", type=int, default=80_000)
    parser.add_argument("--rows", type=int, default=19_000)
    ARGS = parser.parse_args()
    try:
        with transaction.atomic():
            main()
            raise Rollback
    except Rollback:
        print("rolled back: the bench database is as it was")
