"""The history page: only for records in the subtree, with the view_history permission."""

import datetime

import pytest
from django.urls import reverse

from dangjian.members import services as member_services
from dangjian.orgs import services as org_services

pytestmark = pytest.mark.django_db


def test_history_of_an_organization(client, county):
    org_services.update(county.village_a1, name="甲一社区党支部", actor=county.users["town_a"])
    client.force_login(county.users["county"])
    for kind in ("organization", "orgs.organization"):
        response = client.get(reverse("core:history", args=[kind, county.village_a1.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "甲一社区党支部" in html and "town_a" in html and "组织名称" in html


def test_history_of_a_member_masks_id_for_those_not_allowed(client, county):
    member = county.members["TA01"][1]
    member_services.update(member, category="retired")
    url = reverse("core:history", args=["member", member.pk])
    client.force_login(county.users["county"])
    html = client.get(url).content.decode()
    assert member.id_number in html and "人员类别" in html
    client.force_login(county.users["branch_a1"])
    html = client.get(url).content.decode()
    assert member.id_number not in html
    assert member.id_number[:6] + "************" in html
    assert str(member.birth_date) not in html


def test_history_is_404_outside_the_subtree_or_without_permission(client, county):
    member_b = county.members["TB01"][0]
    client.force_login(county.users["branch_a1"])
    for args in (
        ["member", member_b.pk],
        ["organization", county.village_b1.pk],
        ["organization", county.root.pk],
        ["nonsense", 1],
        ["member", "x"],
    ):
        assert client.get(reverse("core:history", args=args)).status_code == 404, args
    # A plain member sees their own page but not its history.
    client.force_login(county.users["member_a1"])
    own = county.members["TA01"][0]
    assert client.get(reverse("members:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("core:history", args=["member", own.pk])).status_code == 404


def test_history_of_an_officer(client, county):
    officer = org_services.appoint_officer(
        county.village_a1,
        county.members["TA01"][1],
        "secretary",
        term_start=datetime.date(2024, 1, 1),
    )
    client.force_login(county.users["branch_a1"])
    assert client.get(reverse("core:history", args=["officer", officer.pk])).status_code == 200
    client.force_login(county.users["branch_b1"])
    assert client.get(reverse("core:history", args=["officer", officer.pk])).status_code == 404


def test_history_with_a_change_named_after_a_reverse_relation(client, county):
    # The demo loader records {"organizations": n, "members": n} on the root: "members" is a
    # reverse relation of Organization, which has no verbose name (this page was a 500).
    from dangjian.core import audit

    audit.record(None, "load_demo", county.root, changes={"organizations": 7, "members": 9})
    client.force_login(county.users["county"])
    response = client.get(reverse("core:history", args=["organization", county.root.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # Named after the records it counts, like a field.
    assert "<td>党员</td><td>—</td><td>9</td>" in html
