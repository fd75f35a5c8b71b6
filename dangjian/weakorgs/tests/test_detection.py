"""Detection from the records: each criterion at its boundary with its evidence stored, and
idempotence (no duplicates; dismissed stays dismissed; a confirmed flag and a fixed year are
never changed)."""

import datetime

import pytest
from django.utils import timezone

from dangjian.core import config
from dangjian.core.models import Job
from dangjian.life import services as life
from dangjian.life.models import Meeting
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Organization
from dangjian.tasks import services as tasks
from dangjian.testing import add_member, run_jobs
from dangjian.weakorgs import services
from dangjian.weakorgs.models import Finding, Flag, FlagStatus

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = 2026


def found(county, today, year=YEAR):
    services.detect(county.root, year, today=today)
    return {
        (f.flag.organization.code, f.criterion): f
        for f in Finding.objects.select_related("flag__organization")
    }


def with_secretaries(county, start=None):
    start = start or D(2026, 1, 1)
    for org in (county.village_a1, county.village_a2, county.village_b1):
        org_services.appoint_officer(
            org, county.members[org.code][0], "secretary", term_start=start
        )


def test_secretary_vacant_more_than_three_months(county):
    with_secretaries(county)
    officer = county.village_a1.officers.get(role="secretary")
    org_services.end_officer(officer, on=D(2026, 8, 15))
    assert ("TA01", "secretary_vacant") not in found(county, D(2026, 11, 15))
    f = found(county, D(2026, 11, 16))[("TA01", "secretary_vacant")]
    assert f.source == "auto" and f.detected_on == D(2026, 11, 16)
    assert f.facts == {"vacant_since": "2026-08-15", "months": 3}
    assert "书记职位自2026-08-15起空缺" in f.evidence
    assert not any(
        k[1] == "secretary_vacant" for k in found(county, D(2026, 11, 16)) if k[0] != "TA01"
    )


def test_the_vacancy_threshold_is_the_countys_setting(county):
    with_secretaries(county)
    org_services.end_officer(county.village_a1.officers.get(role="secretary"), on=D(2026, 8, 15))
    config.set_rule(county.root, "weakorgs.secretary_vacant_months", 6)
    assert ("TA01", "secretary_vacant") not in found(county, D(2026, 11, 16))


def test_committee_missing_from_seven_full_members(county):
    with_secretaries(county)
    for _ in range(4):
        add_member(county.village_a1)  # 7 full members
    for _ in range(3):
        add_member(county.village_a2)  # 6
    got = found(county, D(2026, 3, 1))
    assert "应设立支部委员会" in got[("TA01", "committee_missing")].evidence
    assert ("TA02", "committee_missing") not in got


def test_term_overdue_from_the_day_after(county):
    with_secretaries(county)
    Organization.objects.filter(pk=county.village_a1.pk).update(term_started_on=D(2021, 1, 1))
    assert ("TA01", "term_overdue") not in found(county, D(2026, 1, 1))
    f = found(county, D(2026, 1, 2))[("TA01", "term_overdue")]
    assert f.facts == {"due_on": "2026-01-01"}


def meet(org, kind, held_on):
    """A meeting recorded the day after it was held (on time), everyone present."""
    entry = held_on + datetime.timedelta(days=1)
    attendance = [
        (pk, "present", "") for pk in life.eligible_attendees(org).values_list("pk", flat=True)
    ]
    meeting = life.record_meeting(
        org, kind=kind, held_on=held_on, today=entry, topic="学习党章", attendance=attendance
    )
    at = timezone.make_aware(datetime.datetime.combine(entry, datetime.time(20)))
    Meeting.objects.filter(pk=meeting.pk).update(created_at=at)


def test_two_quarters_missing_required_meetings_flag_one_missed_meeting_does_not(county):
    with_secretaries(county)
    # Records are kept from Q2: the first quarter is not judged.
    config.set_rule(county.root, "life.records_from", "2026-04-01")
    a1, a2, b1 = county.village_a1, county.village_a2, county.village_b1
    # A 3-member branch owes 3 theme days, an assembly and a lecture a quarter.
    for month in (4, 5, 6, 7, 8, 9):
        meet(a1, "theme_day", D(2026, month, 10))  # a1 misses only the lectures: 1 a quarter
    meet(a1, "branch_assembly", D(2026, 5, 20))
    meet(a1, "branch_assembly", D(2026, 8, 20))
    for month in (4, 5, 6, 7, 8):
        meet(a2, "theme_day", D(2026, month, 10))  # a2: 2 missed in Q2, 3 in Q3
    for month in (4, 5, 7, 8):
        meet(b1, "theme_day", D(2026, month, 10))  # b1: 3 missed in Q2 and in Q3
    expected = {
        "quarters": {"2": {"2026-06": 1, "2026-Q2": 2}, "3": {"2026-09": 1, "2026-Q3": 2}},
        "threshold": 3,
    }
    # Under a township before anything is stored: the subtree's own compliance.
    sub = services.findings_of(county.town_b, YEAR, D(2026, 10, 20))
    assert sub[b1.pk]["meetings_missed"]["facts"] == expected
    got = found(county, D(2026, 10, 20))  # the whole tree: life's stored counts
    assert ("TA01", "meetings_missed") not in got  # one missed meeting a quarter
    assert ("TA02", "meetings_missed") not in got  # one bad quarter
    f = got[("TB01", "meetings_missed")]
    assert f.facts == expected
    assert "第2季度缺开3次、第3季度缺开3次" in f.evidence


def test_report_backs_mostly_late(county):
    with_secretaries(county)
    rbs = []
    for month in (3, 4, 5, 6):
        deadline = D(2026, month, 28)
        a = tasks.issue(
            county.town_a,
            title=f"{month}月交办",
            content="内容",
            starts_on=D(2026, month, 1),
            deadline=deadline,
            receivers={"mode": "orgs", "codes": ["TA01", "TA02"]},
        )
        rbs.append((deadline, {rb.organization.code: rb for rb in a.report_backs.all()}))

    def at(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))

    for i, (deadline, rb) in enumerate(rbs):
        # TA01: two of four late (half); TA02: three late (one not reported at all).
        late_a1 = i < 2
        tasks.report(
            rb["TA01"],
            values={},
            text="已办",
            now=at(deadline + datetime.timedelta(days=2 if late_a1 else -1)),
        )
        if i < 3:
            when = deadline + datetime.timedelta(days=-1 if i == 0 else 3)
            if when <= deadline:
                tasks.report(rb["TA02"], values={}, text="已办", now=at(when))
            else:
                # Reporting after the deadline: allowed while not yet reported.
                tasks.report(rb["TA02"], values={}, text="已办", now=at(when))
    got = found(county, D(2026, 7, 1))
    assert ("TA01", "reports_late") not in got
    f = got[("TA02", "reports_late")]
    assert f.facts == {"due": 4, "late": 3}


def no_meetings_judged(county):
    config.set_rule(county.root, "life.records_from", "2028-01-01")


def test_detection_is_idempotent_and_keeps_decisions(county):
    user = county.users["county"]
    no_meetings_judged(county)
    # Every village without a secretary ever recorded, since the start of the year.
    Organization.objects.filter(level="village").update(founded_on=D(2026, 1, 1))
    services.detect(county.root, YEAR, today=D(2026, 6, 1))
    assert Flag.objects.count() == 3 and Finding.objects.count() == 3
    services.detect(county.root, YEAR, today=D(2026, 6, 2))
    assert Flag.objects.count() == 3 and Finding.objects.count() == 3  # no duplicates
    a1 = Flag.objects.get(organization=county.village_a1)
    a2 = Flag.objects.get(organization=county.village_a2)
    b1 = Flag.objects.get(organization=county.village_b1)
    services.dismiss(user, a1, reason="新书记已到任，情况已改善", today=D(2026, 6, 3))
    services.confirm(user, a2, today=D(2026, 6, 3))
    evidence = a2.findings.get().evidence
    # The records change: TA02's and TB01's secretaries are appointed; TA01 still has none.
    for org in (county.village_a2, county.village_b1):
        org_services.appoint_officer(
            org, county.members[org.code][0], "secretary", term_start=D(2026, 6, 5)
        )
    services.detect(county.root, YEAR, today=D(2026, 7, 1))
    a1.refresh_from_db()
    assert a1.status == FlagStatus.DISMISSED  # dismissed stays dismissed
    assert a2.findings.get().evidence == evidence  # confirmed keeps its evidence
    assert not Flag.objects.filter(pk=b1.pk).exists()  # pending, no longer shown: gone
    # Another year is a new list.
    services.detect(county.root, 2027, today=D(2027, 6, 1))
    assert Flag.objects.filter(year=2027).count() == 1  # TA01 only


def test_a_fixed_year_is_not_changed_by_detection(county):
    user = county.users["county"]
    no_meetings_judged(county)
    Organization.objects.filter(pk=county.village_a1.pk).update(founded_on=D(2026, 1, 1))
    Organization.objects.exclude(pk=county.village_a1.pk).update(founded_on=D(2026, 5, 1))
    services.detect(county.root, YEAR, today=D(2026, 6, 1))
    flag = Flag.objects.get()
    services.confirm(user, flag, today=D(2026, 6, 2))
    services.fix_list(user, county.root, year=YEAR, today=D(2026, 6, 2))
    result = services.detect(county.root, YEAR, today=D(2026, 12, 1))  # the others now too
    assert result["fixed"] and Flag.objects.count() == 1


def test_detection_runs_as_a_background_job(county):
    no_meetings_judged(county)
    Organization.objects.filter(level="village").update(founded_on=D(2025, 1, 1))
    job = services.start_detection(county.users["county"], county.root, timezone.localdate().year)
    assert job.status == Job.QUEUED and not Flag.objects.exists()
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.DONE, job.error
    assert Flag.objects.count() == 3
    assert "排查完成" in job.result["summary"]


def test_bottom_grade_or_last_place_in_the_published_assessment(county):
    from dangjian.assessment import services as assessment_services
    from dangjian.assessment.tests.test_assessment import TODAY as ASSESSED_ON
    from dangjian.assessment.tests.test_assessment import scored

    with_secretaries(county)
    no_meetings_judged(county)
    assessment = scored(county, {"TA01": 95, "TA02": 85, "TB01": 55, "TA": 85, "TB": 70})
    assert not any(k[1] == "bottom_grade" for k in found(county, D(2026, 12, 10)))  # unpublished
    assessment_services.publish(county.users["county"], assessment, today=ASSESSED_ON)
    got = found(county, D(2026, 12, 10))
    f = got[("TB01", "bottom_grade")]  # 差, and last of the villages
    assert f.facts == {"grade": "poor", "rank_from_bottom": 1}
    assert "末位" in f.evidence and "差" in f.evidence
    assert ("TA02", "bottom_grade") not in got and ("TA01", "bottom_grade") not in got
    assert not Flag.objects.filter(organization=county.town_b).exists()  # not a candidate


def test_no_venue_once_the_county_keeps_the_venue_ledger(county):
    from dangjian.village import services as village

    with_secretaries(county)
    assert not any(k[1] == "no_venue" for k in found(county, D(2026, 3, 1)))  # no ledger yet
    village.save_venue(None, county.village_a1, address="甲一村村部", building_area="320")
    got = found(county, D(2026, 3, 2))
    assert ("TA01", "no_venue") not in got
    assert got[("TA02", "no_venue")].source == "auto"
    assert got[("TB01", "no_venue")].evidence == "村级活动场所台账中没有本村（社区）的活动场所"


def test_no_development_for_two_years_where_the_county_adopts_it(county):
    with_secretaries(county)
    Organization.objects.filter(pk__in=[county.village_a1.pk, county.village_a2.pk]).update(
        founded_on=D(2000, 1, 1)
    )
    # Everyone on TA01's roll joined long ago; TA02 admitted one on 2024-03-01.
    add_member(county.village_a2, joined_on=D(2024, 3, 1), full_on=D(2025, 3, 1))
    today = D(2026, 3, 1)
    assert not any(k[1] == "no_candidate" for k in found(county, today))  # off by default
    config.set_rule(county.root, "weakorgs.no_candidate_years", 2)
    got = found(county, today)
    assert got[("TA01", "no_candidate")].facts["years"] == 2
    assert ("TA02", "no_candidate") not in got
    assert ("TA02", "no_candidate") in found(county, D(2026, 3, 2))
