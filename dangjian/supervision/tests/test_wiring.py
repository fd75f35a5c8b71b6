"""Supervision in the shared places: `dangjian stats` keys summed over the children plus
the organization's own records, and the desk items of a branch and of the levels above."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from dangjian.desk import registry
from dangjian.reports.stats import stats_for
from dangjian.supervision import services
from dangjian.supervision.models import RectificationItem

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def make(county, org, deadline, user="county"):
    return services.create_rectification_item(
        county.users[user], organization=org, problem=f"{org.name}的问题", deadline=deadline
    )


def test_stats_keys_sum_over_children_plus_own(county):
    late = make(county, county.village_a1, TODAY + DAY)
    RectificationItem.objects.filter(pk=late.pk).update(deadline=TODAY - DAY)
    make(county, county.village_a2, TODAY + 5 * DAY)
    make(county, county.village_b1, TODAY + 5 * DAY)
    make(county, county.town_a, TODAY + 5 * DAY)  # the township's own item
    services.issue_overdue_orders(TODAY)
    out = io.StringIO()
    call_command("stats", "T", "--json", stdout=out)
    root = json.loads(out.getvalue())
    for key in ("rectification_items", "inspections", "supervision_orders", "interviews"):
        assert key in root, key
    assert root["rectification_items"] == {
        "open": 3,
        "in_progress": 0,
        "overdue": 1,
        "rectified": 0,
    }
    assert root["supervision_orders"] == 1
    town = stats_for(county.town_a)
    children = [stats_for(c) for c in county.town_a.children()]
    for status, own in (("open", 1), ("overdue", 0)):
        assert town["rectification_items"][status] == (
            sum(c["rectification_items"][status] for c in children) + own
        )
    parts = [stats_for(c) for c in county.root.children()]
    for status in root["rectification_items"]:
        assert root["rectification_items"][status] == sum(
            p["rectification_items"][status] for p in parts
        )
    assert root["supervision_orders"] == sum(p["supervision_orders"] for p in parts)


def titles(user, today=TODAY):
    return {
        item.title: item for section in registry.sections(user, today) for item in section["items"]
    }


def test_desk_items_for_a_branch_and_the_levels_above(county):
    late = make(county, county.village_a1, TODAY + DAY)
    RectificationItem.objects.filter(pk=late.pk).update(deadline=TODAY - 3 * DAY)
    make(county, county.village_a1, TODAY + 5 * DAY)
    make(county, county.village_a1, TODAY + 60 * DAY)  # not due yet: not on the desk
    make(county, county.village_b1, TODAY - DAY + DAY)
    services.issue_overdue_orders(TODAY)
    branch = titles(county.users["branch_a1"])
    mine = branch["本组织的整改事项"]
    assert [line.badge for line in mine.lines] == ["late", "due"]
    assert "甲一村党支部" in mine.lines[0].text
    assert len(branch["红色督办单"].lines) == 1
    town = titles(county.users["town_a"])
    below = town["下级逾期的整改事项"]
    assert below.count == 1 and "甲一村党支部" in below.lines[0].text
    assert town["已下发未反馈的督办单"].count == 1
    assert titles(county.users["town_b"])["下级逾期的整改事项"].count == 0
