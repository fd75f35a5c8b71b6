"""Test helpers: a small county built through the real services, and users holding roles.

Used by every app's tests (and available to benchmarks): the records are made exactly as
users make them, so roll-ups and audit events are real.
"""

import datetime
import itertools
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from dangjian.accounts.models import Role, RoleName
from dangjian.members import services as member_services
from dangjian.members.rules import make_id_number
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Organization

_seq = itertools.count(1)


def member_data(**overrides) -> dict:
    """Valid member fields; each call gives a new ID number."""
    n = next(_seq)
    gender = overrides.pop("gender", "m" if n % 3 else "f")
    birth = overrides.pop("birth_date", datetime.date(1960 + n % 40, 1 + n % 12, 1 + n % 28))
    data = {
        "name": f"党员{n}",
        "gender": gender,
        "ethnicity": "汉族",
        "birth_date": birth,
        "education": "secondary",
        "id_number": make_id_number("411423", birth, n, gender),
        "phone": f"139{n:08d}",
        "joined_on": datetime.date(birth.year + 25, 7, 1),
        "full_on": datetime.date(birth.year + 26, 7, 1),
        "status": "full",
        "category": "rural",
    }
    data.update(overrides)
    return data


def add_member(org, **overrides):
    return member_services.create(org, **member_data(**overrides))


def make_user(username, role=None, org=None, password="pass12345", **extra):
    user = get_user_model().objects.create_user(username=username, password=password, **extra)
    if role:
        Role.objects.create(user=user, organization=org, name=role)
    return user


@dataclass
class County:
    root: Organization
    town_a: Organization
    town_b: Organization
    village_a1: Organization
    village_a2: Organization
    group_a1: Organization
    village_b1: Organization
    users: dict = field(default_factory=dict)
    members: dict = field(default_factory=dict)


def build_county(members_per_branch: int = 3) -> County:
    """County → 2 townships → villages (+ a group), members in each village, one user per role."""
    root = org_services.create_root(code="T", name="中共测试县委", kind="committee", level="county")
    town_a = org_services.create_child(
        root, code="TA", name="甲镇党委", kind="committee", level="township", sector="rural"
    )
    town_b = org_services.create_child(
        root, code="TB", name="乙镇党委", kind="committee", level="township", sector="rural"
    )
    village_a1 = org_services.create_child(
        town_a, code="TA01", name="甲一村党支部", kind="branch", level="village", sector="rural"
    )
    village_a2 = org_services.create_child(
        town_a, code="TA02", name="甲二村党支部", kind="branch", level="village", sector="rural"
    )
    group_a1 = org_services.create_child(
        village_a1,
        code="TA0101",
        name="甲一村第一党小组",
        kind="group",
        level="village",
        sector="rural",
    )
    village_b1 = org_services.create_child(
        town_b, code="TB01", name="乙一村党支部", kind="branch", level="village", sector="rural"
    )
    county = County(root, town_a, town_b, village_a1, village_a2, group_a1, village_b1)
    for org in (village_a1, village_a2, village_b1):
        county.members[org.code] = [add_member(org) for _ in range(members_per_branch)]
    county.users = {
        "county": make_user("county", RoleName.COUNTY_ADMIN, root),
        "town_a": make_user("town_a", RoleName.TOWNSHIP_SECRETARY, town_a),
        "town_b": make_user("town_b", RoleName.TOWNSHIP_SECRETARY, town_b),
        "branch_a1": make_user("branch_a1", RoleName.BRANCH_SECRETARY, village_a1),
        "branch_b1": make_user("branch_b1", RoleName.BRANCH_SECRETARY, village_b1),
        "nobody": make_user("nobody"),
    }
    member_user = make_user("member_a1", RoleName.MEMBER, village_a1)
    own = county.members["TA01"][0]
    own.user = member_user
    own.save(update_fields=["user"])
    county.users["member_a1"] = member_user
    return county


def run_jobs(schedule=False) -> None:
    """Run the queued background jobs the way the worker does: `dangjian worker --batch`
    claims each task row of django-tasks' database backend and runs it, then returns. The
    daily work (settings.JOBS_DAILY) is left out unless `schedule`, so a test's jobs do not
    depend on the hour it runs at.

    Inside a test's transaction the library's worker must not recycle the connection between
    tasks (Django's test client skips that for requests too), so that one call is silenced.
    """
    from unittest import mock

    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    daily = settings.JOBS_DAILY if schedule else {}
    with (
        mock.patch(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        ),
        override_settings(JOBS_DAILY=daily),
    ):
        call_command("worker", batch=True)
