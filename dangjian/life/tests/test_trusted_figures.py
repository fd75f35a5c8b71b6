"""Figures a county can trust (issue 11, section 2): an unfinished period shows progress
against its whole obligation, never a completion rate; the overview opens on the last
finished month; periods over before the county's records start are left out; a rate is
rounded once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core import config
from dangjian.core.periods import Period
from dangjian.core.toolkit import rate_text
from dangjian.life import rules, services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_MONTH = Period.month_of(TODAY.replace(day=1) - datetime.timedelta(days=1))


def test_a_rate_is_rounded_once():
    assert rate_text(rules.Tally(done=14, missing=3).rate) == "82.4%"
    assert rate_text(rules.attendance_rate(14, 0, 3)) == "82.4%"


def test_current_month_shows_progress_not_a_full_rate(client, county):
    # One theme day held early: of this month's 4 slots 1 counts as met, 3 are still open.
    services.record_meeting(county.village_a1, kind="theme_day", held_on=TODAY, topic="学习")
    client.force_login(county.users["county"])
    response = client.get(reverse("life:overview") + f"?period={Period.month_of(TODAY)}")
    html = response.content.decode()
    assert response.context["unfinished"] is True
    total = response.context["total"]
    assert (total["held"], total["required"], total["pending"]) == (1, 4, 3)
    assert total["progress_text"] == "25.0%"
    assert 'data-testid="total-rate"' not in html and "100.0%" not in html
    assert f"还有 3 次待开、截止 {Period.month_of(TODAY).end:%Y-%m-%d}" in html


def test_overview_opens_on_the_last_finished_month(client, county):
    client.force_login(county.users["county"])
    response = client.get(reverse("life:overview"))
    assert response.context["period"] == LAST_MONTH
    assert response.context["unfinished"] is False
    assert 'data-testid="total-rate"' in response.content.decode()


def test_periods_before_the_records_start_are_left_out(client, county):
    before = services.compliance(county.root, LAST_MONTH, TODAY)["total"]
    assert before.missing == 4
    config.set_rule(
        county.root,
        "life.records_from",
        Period.month_of(TODAY).start.isoformat(),
        actor=county.users["county"],
    )
    after = services.compliance(county.root, LAST_MONTH, TODAY)["total"]
    assert after.due == 0 and after.rate is None
    client.force_login(county.users["county"])
    html = client.get(reverse("life:overview")).content.decode()
    assert f"本系统自 {Period.month_of(TODAY).start:%Y-%m-%d} 起记录" in html


def test_records_from_must_be_a_date(county):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        config.set_rule(county.root, "life.records_from", "11月", actor=county.users["county"])
