"""Writing a generated dataset into the database, fast.

Generated records bypass the per-record services on purpose: 19,000 members through
`members.services.create` would take minutes, two million would take hours. Instead rows go
in with one multi-row INSERT per batch on SQLite and with COPY on PostgreSQL, with the
treebeard paths computed by the generator; then `rollups.services.rebuild()` computes every
roll-up in SQL and one audit event records that the demo was loaded. The rows are the same
ones the services would accept (tests check them with `members.services.clean`).
"""

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from dangjian.accounts.models import Role, RoleName
from dangjian.core import audit
from dangjian.core.models import AuditEvent
from dangjian.life.models import Attendance, Meeting, Talk
from dangjian.members.models import Member, Tag
from dangjian.orgs.models import Officer, Organization
from dangjian.rollups import services as rollups
from dangjian.rollups.models import Rollup
from dangjian.tasks.models import ReportBack

from .generator import (
    MEMBER_COLUMNS,
    OFFICER_COLUMNS,
    ORG_COLUMNS,
    TAG_LINK_COLUMNS,
    TAGS,
    Dataset,
)

PASSWORD = "dangjian2026"
# The year's changes to the roll (events.generate) go through the services one by one: for
# a county, not for a province's millions of members.
EVENTS_MAX_MEMBERS = 100_000
ACTION = "load_demo"


@dataclass
class Login:
    username: str
    role: str
    organization: str


@dataclass
class Result:
    label: str
    organizations: int
    members: int
    officers: int
    seconds: float
    logins: list[Login] = field(default_factory=list)
    # Rows of generated activity by table (activity.generate), empty when none was made.
    activity: dict = field(default_factory=dict)


class TableWriter:
    """Appends rows of the given columns to a model's table; every other column gets its
    default (timestamps: now), so a column added to the model later does not break the
    loader as long as it has a default or allows NULL."""

    def __init__(self, model, columns, now):
        self.model = model
        self.table = model._meta.db_table
        by_column = {f.column: f for f in model._meta.concrete_fields}
        missing = set(columns) - set(by_column)
        if missing:
            raise LookupError(f"{self.table} has no column {', '.join(sorted(missing))}")
        self.extra_columns, extra = [], []
        for column, f in by_column.items():
            if column in columns:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            else:
                value = f.get_default()
            self.extra_columns.append(column)
            extra.append(f.get_db_prep_save(value, connection))
        self.extra = tuple(extra)
        self.columns = tuple(columns) + tuple(self.extra_columns)
        self.rows = 0

    def write(self, rows) -> None:
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in self.columns)
        extra = self.extra
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(self.table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + extra)
                        self.rows += 1
                return
            # SQLite (and others): multi-row INSERTs within the variable limit.
            width = len(self.columns)
            per_statement = max(1, min(500, 32766 // width))
            batch: list = []
            for row in rows:
                batch.append(row + extra)
                if len(batch) == per_statement:
                    self._insert(cursor, names, batch)
                    batch = []
            if batch:
                self._insert(cursor, names, batch)

    def _insert(self, cursor, names, batch):
        one = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(self.table)} ({names}) VALUES "
            + ", ".join([one] * len(batch)),
            [v for row in batch for v in row],
        )
        self.rows += len(batch)


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def loaded_event() -> AuditEvent | None:
    """The audit event of the demo data in the database, if any."""
    return AuditEvent.objects.filter(action=ACTION).order_by("-at", "-id").first()


def has_data() -> bool:
    return Organization.objects.exists()


def data_models() -> list[type[models.Model]]:
    """Every table `--reset` empties: all of dangjian's models, users and their sessions."""
    user = get_user_model()
    chosen = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_config.name.startswith("dangjian.")
    ]
    chosen += [user, user.groups.through, user.user_permissions.through, LogEntry, Session]
    return [m for m in chosen if m._meta.managed and not m._meta.proxy]


def wipe() -> None:
    """Empty the data tables (what `dangjian demo --reset` does first)."""
    tables = sorted({m._meta.db_table for m in data_models()})
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # TRUNCATE refuses tables with deferred foreign-key checks pending from earlier in the
        # same transaction: run those checks now, then defer again as Django expects.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        connection.ops.execute_sql_flush(statements)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    connection.ops.execute_sql_flush(statements)


@contextmanager
def bulk_mode(models_):
    """On PostgreSQL, drop the foreign keys and the plain indexes of these tables, and put
    them back at the end.

    A foreign key checks each inserted row through a queued trigger, and each index takes
    every row in turn; for millions of rows that costs several times the COPY itself.
    Building an index afterwards sorts once, and adding a foreign key back validates all rows
    with one join, so the data ends up checked just the same. Primary keys and unique
    constraints stay (they are what other tables refer to). All within the load's
    transaction: nobody sees the tables without them.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models_]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) "
            "ORDER BY 1, 2",
            [tables],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")


def load(dataset: Dataset, *, progress=None, activity=False, today=None) -> Result:
    """Write `dataset` into an empty organization tree, with the roll-ups, the demo users
    and one audit event, in one transaction. With `activity`, add a year of organizational
    life and list-based tasks up to the day before `today` (activity.generate)."""
    started = time.monotonic()
    say = progress or (lambda message: None)
    now = timezone.now()
    with transaction.atomic():
        if has_data():
            raise RuntimeError("the organization tree is not empty; wipe() it first")
        first_org = _next_id(Organization)
        TableWriter(Organization, ORG_COLUMNS, now).write(dataset.org_rows(first_org))
        say(f"已写入 {dataset.n_orgs} 个党组织")
        tag_ids = {name: Tag.objects.get_or_create(name=name)[0].pk for name in TAGS}
        first_member = _next_id(Member)
        members = TableWriter(Member, MEMBER_COLUMNS, now)
        officers = TableWriter(Officer, OFFICER_COLUMNS, now)
        links = TableWriter(Member.tags.through, TAG_LINK_COLUMNS, now)
        with bulk_mode([Member, Officer, Member.tags.through, Rollup]):
            for chunk in dataset.chunks(
                first_org_id=first_org,
                first_member_id=first_member,
                first_officer_id=_next_id(Officer),
                first_link_id=_next_id(Member.tags.through),
                tag_ids=tag_ids,
            ):
                members.write(chunk.members)
                officers.write(chunk.officers)
                links.write(chunk.tag_links)
                if dataset.n_members >= 200_000:
                    say(f"已写入 {members.rows} / {dataset.n_members} 名党员")
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(
                    no_style(), [Organization, Member, Officer, Member.tags.through]
                ):
                    cursor.execute(sql)
            say("正在重算各级汇总数……")
            rollups.rebuild()
        _term_starts()
        root = Organization.objects.get(pk=first_org)
        _users(dataset, first_org, first_member)
        made = {}
        if activity:
            from . import activity as activity_module  # activity imports this module
            from . import events

            if dataset.n_members <= EVENTS_MAX_MEMBERS:
                say("正在生成一年的党员增减、组织关系转接和转正……")
                made = events.generate(seed=dataset.seed, today=today or timezone.localdate())
            say("正在生成一年的组织生活和清单式任务记录……")
            made |= activity_module.generate(seed=dataset.seed, today=today, progress=say)
            say("正在重算各级汇总数……")
            rollups.rebuild()
        result = Result(
            dataset.label,
            dataset.n_orgs,
            members.rows,
            officers.rows,
            0.0,
            current_logins(),
            made,
        )
        summary = f"载入{dataset.label}：{dataset.n_orgs}个党组织，{members.rows}名党员"
        if made:
            summary += (
                f"；一年的活动记录：会议{made.get('meetings', 0)}次，"
                f"晒账单{made.get('report_backs', 0)}份"
            )
        # One audit event for the whole load, generated activity included.
        audit.record(
            None,
            ACTION,
            root,
            organization=root,
            summary=summary,
            changes={
                "seed": dataset.seed,
                "organizations": dataset.n_orgs,
                "members": members.rows,
                "officers": officers.rows,
                "activity": made,
                "seconds": round(time.monotonic() - started, 1),
            },
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Fresh statistics, so that the planner knows the tables are large now.
            for model in (Organization, Member, Officer, Member.tags.through, Rollup):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            if made:
                for model in (Meeting, Attendance, Talk, ReportBack):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    result.seconds = time.monotonic() - started
    return result


def _term_starts() -> None:
    """Each organization's current term starts when its officers' terms do (the election
    board reads Organization.term_started_on)."""
    org, officer = Organization._meta.db_table, Officer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {org} SET term_started_on = t.start FROM ("
            f"SELECT organization_id, MIN(term_start) AS start FROM {officer} "
            f"WHERE ended_on IS NULL GROUP BY organization_id) t "
            f"WHERE {org}.id = t.organization_id"
        )


DEMO_USERS = ("county", "township", "branch", "member", "admin")


def _users(dataset: Dataset, first_org: int, first_member: int) -> None:
    """Demo logins, all with the password PASSWORD: county admin at the root, township
    secretary, branch secretary (who is the branch's secretary in the member roll) and a
    member of that branch, and a superuser. A user that already exists keeps its password."""
    User = get_user_model()
    password = make_password(PASSWORD)  # hashed once for all five
    township = dataset.named.get("township")
    branch = dataset.named.get("branch")

    def user(username, **extra):
        return User.objects.get_or_create(
            username=username, defaults={"password": password, **extra}
        )[0]

    def role(username, node, name):
        u = user(username)
        Role.objects.get_or_create(user=u, organization_id=first_org + node.index, name=name)
        return u

    role("county", dataset.nodes[0], RoleName.COUNTY_ADMIN)
    if township is not None:
        role("township", township, RoleName.TOWNSHIP_SECRETARY)
    if branch is not None:
        officers = dataset.officers_of.get(branch.index, [])
        others = [m for m in dataset.member_ids(branch, first_member) if m not in officers]
        for username, name, member_ids in (
            ("branch", RoleName.BRANCH_SECRETARY, officers[:1]),
            ("member", RoleName.MEMBER, others[-1:]),
        ):
            u = role(username, branch, name)
            if member_ids and not Member.objects.filter(user=u).exists():
                Member.objects.filter(pk=member_ids[0], user__isnull=True).update(user=u)
    user("admin", is_staff=True, is_superuser=True)


def current_logins() -> list[Login]:
    """The demo users present in the database, with the role each holds and where."""
    User = get_user_model()
    logins = []
    for user in User.objects.filter(username__in=DEMO_USERS):
        if user.is_superuser:
            logins.append(Login(user.username, "系统管理员（超级用户）", "全部数据"))
            continue
        role = user.roles.select_related("organization").order_by("id").first()
        if role is not None:
            logins.append(
                Login(user.username, str(role.get_name_display()), role.organization.name)
            )
    logins.sort(key=lambda login: DEMO_USERS.index(login.username))
    return logins
