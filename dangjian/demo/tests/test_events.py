"""The demo county's year of changes to the roll (issue 9): deaths and other removals,
transfers out of and into the county, moves within it, the 七一 cohort, conversions on time,
a few vacant secretary posts; deterministic, through the services, and consistent with the
elections and the roll-ups."""

import datetime

import pytest

from dangjian.core.models import AuditEvent
from dangjian.demo import activity, events, generator, loader
from dangjian.health.models import Election
from dangjian.members.models import Member, MemberMove
from dangjian.members.rules import probation_ends
from dangjian.orgs.models import Officer, Organization
from dangjian.reports.stats import stats_for
from dangjian.rollups import services as rollup_services
from dangjian.rollups.models import Rollup

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
LAST = TODAY - datetime.timedelta(days=1)
TRANSFERRED_OUT = "组织关系转出"


def roll() -> list:
    """The roll and its history in natural keys (ID numbers, organization codes)."""
    return sorted(
        Member.objects.values_list(
            "id_number",
            "organization__code",
            "status",
            "full_on",
            "removed_on",
            "removed_reason",
            "occupation",
        )
    ) + sorted(
        MemberMove.objects.values_list(
            "member__id_number", "from_organization__code", "to_organization__code", "moved_on"
        )
    )


def rollups():
    return sorted(Rollup.objects.filter(value__gt=0).values_list("organization_id", "key", "value"))


def test_same_seed_and_day_give_the_same_changes_through_the_services():
    loader.load(generator.province(120, 3000, seed=3))
    made = events.generate(seed=3, today=TODAY)
    assert made["members_died"] and made["members_moved"] and made["members_converted"]
    first = roll()
    # Moves and transfers out go through transfer letters; every mobile member has a record.
    from dangjian.members.models import MobileRecord, Transfer

    letters = Transfer.objects.filter(status="confirmed")
    assert letters.filter(direction="inside").count() == made["members_moved"]
    assert letters.filter(direction="out").count() == made["members_transferred_out"]
    assert Transfer.objects.filter(status__in=["issued", "received"]).count() == made.get(
        "members_transfers_pending", 0
    )
    flagged = Member.objects.active().filter(is_mobile=True)
    assert flagged.count() == MobileRecord.objects.filter(ended_on__isnull=True).count() > 0
    open_records = MobileRecord.objects.filter(ended_on__isnull=True).values("member_id")
    assert not flagged.exclude(pk__in=open_records).exists()
    # Through the services: an audit event for each change, roll-ups kept as a rebuild has them.
    changes = AuditEvent.objects.filter(target_type="members.member")
    assert changes.filter(action="remove").count() == (
        made["members_died"] + made.get("members_removed", 0) + made["members_transferred_out"]
    )
    assert changes.filter(action="move").count() == made["members_moved"]
    kept = rollups()
    rollup_services.rebuild()
    assert rollups() == kept

    loader.wipe()
    loader.load(generator.province(120, 3000, seed=3))
    assert events.generate(seed=3, today=TODAY) == made
    assert roll() == first


def test_nothing_changes_before_the_window():
    loader.load(generator.province(40, 400, seed=3))
    assert events.generate(seed=3, today=activity.WINDOW_START) == {}
    assert not Member.objects.filter(removed_on__isnull=False).exists()


def check_the_demo_county_year_has_what_every_county_has(result):
    """Called by test_activity.test_the_demo_county_has_a_realistic_year on its load of the
    demo county: loading the whole county with a year of activity is the suite's most
    expensive setup, done once for both."""
    made = result.activity
    root = Organization.objects.get(depth=1)
    stats = stats_for(root)
    assert stats["grassroots_organizations"] == 745

    # Deaths and other removals: 150–250 in the year, most of them among the old.
    removed = Member.objects.filter(removed_on__gte=activity.WINDOW_START, removed_on__lte=LAST)
    gone = removed.exclude(removed_reason__startswith=TRANSFERRED_OUT)
    assert 150 <= gone.count() <= 250
    died = gone.filter(removed_reason="去世")
    assert died.count() == made["members_died"]
    assert died.filter(birth_date__lt=datetime.date(1956, 1, 1)).count() > died.count() / 2
    assert gone.exclude(removed_reason="去世").exists()  # 除名, 开除党籍 …

    # Transfers both ways, and moves within the county kept as moves.
    out = removed.filter(removed_reason__startswith=TRANSFERRED_OUT)
    assert out.count() == made["members_transferred_out"] > 10
    created = AuditEvent.objects.filter(target_type="members.member", action="create")
    transferred_in = Member.objects.filter(
        pk__in=[int(pk) for pk in created.values_list("target_id", flat=True)], status="full"
    )
    assert transferred_in.count() == made["members_transferred_in"] > 10
    assert all(m.joined_on < activity.WINDOW_START for m in transferred_in)
    assert MemberMove.objects.count() == made["members_moved"] > 50

    # Retired members 8–15% of the roll.
    members = stats["members"]
    assert 0.08 <= stats["members_by_category"]["retired"] / members <= 0.15
    assert stats["members_by_occupation"]["retired"] == stats["members_by_category"]["retired"]

    # A 七一 cohort: admitted in the second half of June or on 1 July.
    cohort = Member.objects.active().filter(
        status="probationary",
        joined_on__gte=datetime.date(2026, 6, 18),
        joined_on__lte=datetime.date(2026, 7, 1),
    )
    assert cohort.count() == made["members_admitted"] > 100
    assert cohort.filter(joined_on=datetime.date(2026, 7, 1)).count() > 20

    # Probationary members made full on time: nobody overdue by more than the grace.
    probationary = list(Member.objects.active().filter(status="probationary"))
    assert probationary and made["members_converted"] > 50
    overdue = [m for m in probationary if probation_ends(m.joined_on) < TODAY]
    assert all(
        (TODAY - probation_ends(m.joined_on)).days <= events.CONVERSION_DAYS for m in overdue
    )
    converted = Member.objects.filter(full_on__gte=activity.WINDOW_START)
    assert all(probation_ends(m.joined_on) <= m.full_on <= LAST for m in converted)

    # A few vacant secretary posts, none where an election was held in the window.
    seated = Officer.objects.current().filter(role="secretary").values("organization_id")
    vacated = Officer.objects.filter(role="secretary", ended_on__isnull=False).exclude(
        organization_id__in=seated
    )
    assert vacated.count() == made["secretary_vacancies"] == events.VACANCIES
    for seat in vacated:
        assert not Election.objects.filter(organization=seat.organization_id).exists()
        assert seat.organization.term_started_on < activity.WINDOW_START

    # The roll-ups after the load equal a fresh rebuild.
    kept = rollups()
    rollup_services.rebuild()
    assert rollups() == kept
