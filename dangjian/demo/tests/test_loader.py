"""Loading generated data: the Ningling county in full, and a small province."""

from collections import Counter

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db.models import Count
from django.test import RequestFactory

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEvent
from dangjian.demo import generator, loader
from dangjian.members import services as member_services
from dangjian.members.models import Member
from dangjian.orgs.models import Kind, Officer, Organization
from dangjian.rollups import services as rollup_services
from dangjian.rollups.models import Rollup

pytestmark = pytest.mark.django_db


def rollups():
    return sorted(Rollup.objects.filter(value__gt=0).values_list("organization_id", "key", "value"))


def check_rollups_against_records():
    """Roll-ups equal both a fresh rebuild() and plain counts over each subtree."""
    loaded = rollups()
    rollup_services.rebuild()
    assert rollups() == loaded
    for org in Organization.objects.filter(depth__lte=2):
        figures = rollup_services.figures(org)
        members = Member.objects.filter(organization__path__startswith=org.path)
        assert figures.get("members", 0) == members.count()
        for status, n in members.order_by().values_list("status").annotate(n=Count("id")):
            assert figures[f"members.status.{status}"] == n
        for category, n in members.order_by().values_list("category").annotate(n=Count("id")):
            assert figures[f"members.category.{category}"] == n
        orgs = Organization.objects.filter(path__startswith=org.path)
        assert figures["organizations"] == orgs.count()
        for kind, n in orgs.order_by().values_list("kind").annotate(n=Count("id")):
            assert figures[f"organizations.kind.{kind}"] == n


def test_ningling_demo_county_loads_whole_and_clean():
    result = loader.load(generator.ningling())
    assert (result.organizations, result.members) == (842, 19000)
    assert Organization.objects.count() == 842
    assert Member.objects.count() == 19000
    root = Organization.objects.get(depth=1)
    assert (root.code, root.name) == ("NL", "中共宁陵县委")
    # Seed 004's 745 organizations are its grassroots organizations (基层党组织).
    figs = rollup_services.figures(root, ["organizations", "grassroots_organizations", "groups"])
    assert figs == {"organizations": 842, "grassroots_organizations": 745, "groups": 96}
    assert root.children().count() == 23

    # The tree is what treebeard would have built.
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    zhanggong = Organization.objects.get(name="中共张弓镇委员会")

    # Members pass the same rules as members entered by hand (a sample of them).
    for member in Member.objects.order_by("id")[::190]:
        data = {f: getattr(member, f) for f in member_services.FIELDS}
        member_services.clean(data, instance=member)
    assert (
        Member.objects.filter(
            organization__kind__in=[Kind.COMMITTEE, Kind.WORKING_COMMITTEE]
        ).count()
        == 0
    )
    assert Member.objects.filter(tags__name="双强").exists()

    # Every committee and branch has a secretary; large branches a committee of 3-5.
    without = Organization.objects.exclude(kind=Kind.GROUP).exclude(officers__role="secretary")
    assert not without.exists()
    seats = Counter(
        Officer.objects.filter(organization__kind=Kind.BRANCH).values_list(
            "organization_id", flat=True
        )
    )
    leaves = Organization.objects.filter(kind=Kind.BRANCH, numchild=0).annotate(
        size=Count("members")
    )
    for org in leaves.order_by().values("id", "size"):
        assert (3 <= seats[org["id"]] <= 5) if org["size"] >= 7 else seats[org["id"]] == 1, org

    check_rollups_against_records()

    # Demo users with their roles; the member user is a member of the branch.
    # (With a request: the login lockout, django-axes, counts attempts per address.)
    login = RequestFactory().post("/accounts/login/")
    assert authenticate(login, username="county", password=loader.PASSWORD) is not None
    roles = dict(Role.objects.values_list("user__username", "name"))
    assert roles == {
        "county": "county_admin",
        "township": "township_secretary",
        "branch": "branch_secretary",
        "member": "member",
    }
    branch = Role.objects.get(user__username="branch").organization
    assert branch.path.startswith(zhanggong.path)
    member = Member.objects.get(user__username="member")
    assert member.organization == branch
    assert Member.objects.get(user__username="branch").offices.filter(role="secretary").exists()
    assert [login.username for login in result.logins] == list(loader.DEMO_USERS)

    # One audit event for the whole load.
    event = AuditEvent.objects.get()
    assert (event.action, event.organization_id) == (loader.ACTION, root.id)
    assert loader.loaded_event() == event

    # treebeard goes on numbering children after the generated ones.
    new = Organization.objects.add_child(
        zhanggong, create_kwargs={"code": "NEW", "name": "新村党支部", "kind": "branch"}
    )
    assert new.path[:-4] == zhanggong.path and new.depth == zhanggong.depth + 1
    assert Organization.objects.find_problems(parent=zhanggong) == ([], [], [], [], [])


def test_small_province_loads_with_consistent_tree_and_rollups():
    loader.load(generator.province(150, 1500, seed=9))
    assert Organization.objects.count() == 150
    assert Member.objects.count() == 1500
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    check_rollups_against_records()
    # The ID sequences go on after the generated rows.
    org = Organization.objects.filter(kind=Kind.BRANCH).first()
    created = Member.objects.create(
        organization=org,
        **{
            **{f: getattr(org.members.first(), f) for f in member_services.FIELDS},
            "id_number": "11010519491231002X",
        },
    )
    assert created.pk > 1500


def test_load_refuses_a_tree_that_is_not_empty(county):
    with pytest.raises(RuntimeError):
        loader.load(generator.province(10, 10))


def test_wipe_empties_the_data_tables(county):
    loader.wipe()
    assert not Organization.objects.exists()
    assert not Member.objects.exists()
    assert not AuditEvent.objects.exists()
    assert not get_user_model().objects.exists()
