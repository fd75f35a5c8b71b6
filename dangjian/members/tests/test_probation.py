"""Probation (Development Rules 2014, steps 21–23): a year before conversion, reminders and
the organization page's list of members due for conversion."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.core import reminders
from dangjian.core.models import Reminder
from dangjian.members import services
from dangjian.members.rules import conversion_status, probation_ends
from dangjian.testing import add_member

pytestmark = pytest.mark.django_db


def test_probation_ends_one_year_after_admission():
    assert probation_ends(datetime.date(2025, 7, 1)) == datetime.date(2026, 7, 1)
    assert probation_ends(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)
    today = datetime.date(2026, 6, 1)
    assert conversion_status(datetime.date(2025, 7, 1), today) == "due"
    assert conversion_status(datetime.date(2025, 7, 2), today) is None
    assert conversion_status(datetime.date(2025, 6, 1), today) == "overdue"
    assert conversion_status(datetime.date(2025, 8, 1), today) is None


def test_a_probationary_member_cannot_be_made_full_before_a_year(county):
    today = timezone.localdate()
    joined = today - datetime.timedelta(days=200)
    member = add_member(county.village_a1, status="probationary", joined_on=joined, full_on=None)
    with pytest.raises(ValidationError) as e:
        services.update(member, status="full", full_on=today)
    message = e.value.message_dict["full_on"][0]
    assert "转正日期" in message and probation_ends(joined).isoformat() in message
    member.refresh_from_db()
    assert member.status == "probationary"
    # A year on, the conversion is accepted.
    old = add_member(
        county.village_a1,
        status="probationary",
        joined_on=today - datetime.timedelta(days=400),
        full_on=None,
    )
    services.update(old, status="full", full_on=probation_ends(old.joined_on))
    old.refresh_from_db()
    assert old.status == "full"


def _due_members(county, today):
    due = add_member(
        county.village_a1,
        status="probationary",
        joined_on=today - datetime.timedelta(days=350),
        full_on=None,
    )
    overdue = add_member(
        county.group_a1,
        status="probationary",
        joined_on=today - datetime.timedelta(days=400),
        full_on=None,
    )
    later = add_member(
        county.village_a1,
        status="probationary",
        joined_on=today - datetime.timedelta(days=100),
        full_on=None,
    )
    return due, overdue, later


def test_members_due_for_conversion_are_listed_on_the_branch_page(client, county):
    today = timezone.localdate()
    due, overdue, later = _due_members(county, today)
    client.force_login(county.users["branch_a1"])
    response = client.get(reverse("orgs:detail", args=["TA01"]))
    html = response.content.decode()
    assert "预备党员转正提醒" in html
    panel = next(p for p in response.context["panels"] if "conversions" in p["template"])
    assert [(m.pk, m.conversion) for m in panel["members"]] == [
        (overdue.pk, "overdue"),
        (due.pk, "due"),
    ]
    assert later.name not in html
    assert probation_ends(due.joined_on).isoformat() in html
    # A committee's page does not list its whole subtree's probationary members.
    client.force_login(county.users["county"])
    response = client.get(reverse("orgs:detail", args=["T"]))
    assert "预备党员转正提醒" not in response.content.decode()


def test_conversion_reminders_go_to_the_branch(county):
    today = timezone.localdate()
    due, overdue, later = _due_members(county, today)
    reminders.make(today)
    rows = {
        r.organization_id: (r.due_on, r.text)
        for r in Reminder.objects.filter(key__startswith="members:conversion:")
    }
    assert set(rows) == {due.organization_id, overdue.organization_id}
    assert rows[due.organization_id][0] == probation_ends(due.joined_on)
    assert due.name in rows[due.organization_id][1]
    # Made once: a second run adds nothing.
    reminders.make(today)
    assert Reminder.objects.filter(key__startswith="members:conversion:").count() == 2
