"""Supervision at province scale (not a test): the ledger page, the daily overdue job, and
an inspection's notice PDF.

    .venv/bin/python bench/supervision.py [--items 100000] [--runs 5] [--keep]

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench,
with province-scale data (`dangjian demo --orgs 100000 --members 2000000`); without it the
script says so and exits cleanly. Only the supervision app's migrations are applied to it
(the other apps' are the lead's). Made here, and deleted at the end unless --keep:
`--items` rectification items (one an organization, a third of them past their deadline),
a province administrator and a county administrator, one inspection of 150 findings.

Measures:
1. the ledger page (/supervision/, first page of 30) for the root's administrator and a
   county's, all items and ?status=overdue — median of `--runs`, and the query count;
2. the daily job (services.issue_overdue_orders) over the items: a red order for each of
   the ~1/3 overdue, then again the same day (idempotent: none made) — seconds;
3. closing an inspection with 150 findings (the notice issued) and its PDF rendered by
   notices.pdf as the PDF view does — target < 3 s.
The load average is printed with the figures: other work on the 2 cores slows every one.
"""

import argparse
import datetime
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
os.environ.setdefault("DANGJIAN_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.utils import OperationalError, ProgrammingError  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

MIN_ORGS = 50_000
USERS = ("bench_sup_root", "bench_sup_county")
REF = "bench-supervision"
PDF_TARGET_S = 3.0


def data_ready() -> bool:
    try:
        from dangjian.orgs.models import Organization

        n = Organization.objects.count()
    except (OperationalError, ProgrammingError) as exc:
        print(f"No benchmark database ({exc.__class__.__name__}: {str(exc).strip()[:120]}).")
        return False
    if n < MIN_ORGS:
        print(
            f"{connection.settings_dict['NAME']} holds {n} organizations: generate province-scale"
            " data first (`dangjian demo --orgs 100000 --members 2000000`)."
        )
        return False
    call_command("migrate", "supervision", interactive=False, verbosity=0)
    return True


def make_users():
    from dangjian.accounts.models import Role, RoleName
    from dangjian.orgs.models import Level, Organization

    User = get_user_model()
    root = Organization.objects.get(depth=1)
    county = Organization.objects.filter(level=Level.COUNTY).order_by("path").first() or root
    out = []
    for name, org in zip(USERS, (root, county), strict=True):
        user, _ = User.objects.get_or_create(username=name)
        Role.objects.get_or_create(user=user, organization=org, name=RoleName.COUNTY_ADMIN)
        out.append((User.objects.get(pk=user.pk), org))
    return out


def make_items(n: int, today):
    """One item an organization (below the root), a third past their deadline: bulk rows."""
    from dangjian.orgs.models import Organization
    from dangjian.supervision.models import RectificationItem

    ids = list(
        Organization.objects.filter(depth__gte=2, dissolved_on__isnull=True)
        .order_by("path")
        .values_list("pk", flat=True)[:n]
    )
    rows = []
    for i, oid in enumerate(ids):
        late = i % 3 == 0
        deadline = (
            today - datetime.timedelta(days=1 + i % 60)
            if late
            else today + (datetime.timedelta(days=1 + i % 90))
        )
        rows.append(
            RectificationItem(
                organization_id=oid,
                source="hand",
                source_ref=REF,
                problem=f"组织生活不正常，第{i}号整改事项",
                measure_kind=("pairing", "leader_pilot", "department_help", "other")[i % 4],
                owner_name="张书记",
                opened_on=today - datetime.timedelta(days=90),
                deadline=deadline,
                status="in_progress" if i % 2 else "open",
            )
        )
    start = time.perf_counter()
    RectificationItem.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE supervision_rectificationitem")
    return len(rows), time.perf_counter() - start


def page_times(user, url, runs):
    client = Client()
    client.force_login(user)

    def get():
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        return elapsed, len(ctx.captured_queries)

    first, _ = get()
    times, queries = [], 0
    for _ in range(runs):
        t, queries = get()
        times.append(t)
    return first, statistics.median(times), queries


def notice_pdf(user, org, today):
    """An inspection of 150 findings closed (its notice issued), and the notice's PDF."""
    from dangjian.notices import pdf
    from dangjian.orgs.models import Organization
    from dangjian.supervision import services

    plan = services.create_plan(
        user,
        org,
        kind="inspection",
        title="基准测试季度督查",
        starts_on=today - datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=5),
    )
    record = services.record_inspection(user, plan, held_on=today, inspectors="基准督查组")
    targets = list(
        Organization.objects.filter(path__startswith=org.path, depth__gt=org.depth).order_by(
            "path"
        )[:150]
    )
    for i, target in enumerate(targets):
        services.add_finding(
            user,
            record,
            organization=target,
            problem="三会一课记录不全，党课未按季度开展" if i % 2 else "主题党日未按月开展",
            owner_name="李书记",
        )
    start = time.perf_counter()
    notice = services.close_inspection(user, record)
    closed = time.perf_counter() - start
    pdf.render(notice)  # fonts and stylesheet loaded once a process
    start = time.perf_counter()
    data = pdf.render(notice)
    rendered = time.perf_counter() - start
    return plan, notice, len(targets), closed, rendered, len(data)


def clean(plan=None, notice=None):
    from dangjian.core.models import AuditEvent
    from dangjian.supervision.models import (
        Inspection,
        InspectionPlan,
        RectificationItem,
        SupervisionOrder,
    )

    orders = SupervisionOrder.objects.filter(item__source_ref=REF)
    AuditEvent.objects.filter(
        target_type="supervision.supervisionorder",
        target_id__in=[str(pk) for pk in orders.values_list("pk", flat=True)],
    ).delete()
    orders.delete()
    RectificationItem.objects.filter(source_ref=REF).delete()
    if plan is not None:
        records = Inspection.objects.filter(plan=plan)
        RectificationItem.objects.filter(finding__inspection__in=records).delete()
        records.delete()
        InspectionPlan.objects.filter(pk=plan.pk).delete()
    if notice is not None:
        notice.delete()
    get_user_model().objects.filter(username__in=USERS).delete()
    with connection.cursor() as cursor:
        for table in ("supervision_rectificationitem", "supervision_supervisionorder"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args, _unknown = parser.parse_known_args()  # bench/run.py passes its own arguments on
    if not data_ready():
        return 0
    from dangjian.supervision import services

    today = timezone.localdate()
    print(f"Database {connection.settings_dict['NAME']}, load average {os.getloadavg()[0]:.2f}")
    clean()  # what an interrupted run left
    plan = notice = None
    try:
        (root_user, root), (county_user, county) = make_users()
        n, seconds = make_items(args.items, today)
        print(f"{n} rectification items written in {seconds:.1f} s (bulk, not measured)")

        print(f"{'ledger page':<44}{'first (s)':>10}{'median (s)':>12}{'queries':>9}")
        for label, user in (
            (f"root {root.name}", root_user),
            (f"county {county.name}", county_user),
        ):
            for query in ("", "?status=overdue"):
                first, median, queries = page_times(user, "/supervision/" + query, args.runs)
                name = f"{label[:30]} {query or 'all'}"
                print(f"{name:<44}{first:>10.3f}{median:>12.3f}{queries:>9}", flush=True)

        start = time.perf_counter()
        made = services.issue_overdue_orders(today)
        first_run = time.perf_counter() - start
        start = time.perf_counter()
        again = services.issue_overdue_orders(today)
        second_run = time.perf_counter() - start
        print(
            f"daily overdue job over {n} items: {made} red orders in {first_run:.1f} s; "
            f"again the same day: {again} in {second_run:.2f} s"
        )

        plan, notice, rows, closed, rendered, size = notice_pdf(root_user, county, today)
        verdict = "OK" if rendered < PDF_TARGET_S else "MISSED"
        print(
            f"inspection of {rows} findings closed (notice {notice.number}) in {closed:.2f} s; "
            f"its PDF {size // 1024} KB in {rendered:.2f} s (target < {PDF_TARGET_S:.0f} s: "
            f"{verdict})"
        )
    finally:
        if not args.keep:
            clean(plan, notice)
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
