"""The desk's "meetings missing below" item reads stored per-organization figures
(MissedMeetings): the same results as computing compliance over the subtree, a few queries
whatever its size, kept up to date when meetings are recorded, voided or approved."""

import datetime
import importlib
from collections import Counter

import pytest
from django.utils import timezone

from dangjian.life import desk as life_desk
from dangjian.life import rules, selectors
from dangjian.life import services as life_services
from dangjian.life.models import MissedMark, MissedMeetings
from dangjian.orgs.models import Organization

pytestmark = pytest.mark.django_db

compliance_module = importlib.import_module("dangjian.life.services.compliance")

TODAY = timezone.localdate()


def computed_the_old_way(user, org, today):
    """What the desk computed before: compliance over the subtree for both periods."""
    month, quarter = life_services.last_finished(today)
    visible = selectors.visible_org_ids(user, org)
    missing = Counter()
    for period in (month, quarter):
        result = life_services.compliance(org, period, today)
        for org_id, _kind, slot, status in result["rows"]:
            if status == rules.MISSING and slot == period and org_id != org.pk:
                missing[org_id] += 1
    orgs = sorted(
        Organization.objects.filter(pk__in=[i for i in missing if visible(i)]), key=lambda o: o.path
    )
    return [f"{o.name}：缺开{missing[o.pk]}次" for o in orgs]


def desk_lines(user, today=TODAY):
    [item] = life_desk.meetings_missing_below(user, today)
    assert item.count == len(item.lines)
    return [line.text for line in item.lines]


def test_the_desk_gives_what_the_old_computation_gave(county):
    for name, org in (
        ("county", county.root),
        ("town_a", county.town_a),
        ("town_b", county.town_b),
    ):
        user = county.users[name]
        old = computed_the_old_way(user, org, TODAY)
        assert old, name  # the built county misses meetings below every manager
        assert desk_lines(user) == old


def test_once_computed_the_desk_does_not_compute_compliance(
    county, monkeypatch, django_assert_max_num_queries
):
    desk_lines(county.users["county"])  # the period's first read computes it
    assert MissedMark.objects.count() == 2

    def refuse(*args, **kwargs):
        raise AssertionError("compliance computed over the subtree")

    monkeypatch.setattr(compliance_module, "compliance", refuse)
    monkeypatch.setattr(life_services, "compliance", refuse)
    with django_assert_max_num_queries(4):
        lines = desk_lines(county.users["county"])
    assert lines


def test_recording_voiding_and_approving_keep_the_figures(county):
    user = county.users["county"]
    desk_lines(user)
    month, _quarter = life_services.last_finished(TODAY)
    org = county.village_a1
    before = MissedMeetings.objects.get(organization=org, period=str(month)).missing
    meeting = life_services.record_meeting(
        org, kind="theme_day", held_on=month.end, topic="补开主题党日", today=TODAY
    )
    if meeting.late_entry:  # entered after the late-entry days: counts once approved
        assert desk_lines(user) == computed_the_old_way(user, county.root, TODAY)
        life_services.approve_late_entry(meeting, today=TODAY)
    after = MissedMeetings.objects.filter(organization=org, period=str(month)).first()
    assert (after.missing if after else 0) == before - 1
    assert desk_lines(user) == computed_the_old_way(user, county.root, TODAY)
    life_services.void_meeting(meeting, reason="登记错了")
    assert MissedMeetings.objects.get(organization=org, period=str(month)).missing == before
    assert desk_lines(user) == computed_the_old_way(user, county.root, TODAY)


def test_the_daily_job_recomputes_the_last_finished_periods(county):
    month, quarter = life_services.last_finished(TODAY)
    MissedMeetings.objects.create(organization=county.town_a, period=str(month), missing=99)
    MissedMark.objects.create(period=str(month), computed_on=TODAY - datetime.timedelta(days=3))
    life_services.daily_refresh_missed(lambda *a: None, TODAY.isoformat())
    assert not MissedMeetings.objects.filter(missing=99).exists()
    assert set(MissedMark.objects.values_list("period", flat=True)) == {str(month), str(quarter)}
    user = county.users["county"]
    assert desk_lines(user) == computed_the_old_way(user, county.root, TODAY)
