import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core import config
from dangjian.core.periods import Period
from dangjian.life import services
from dangjian.life.models import Meeting
from dangjian.rollups import services as rollups
from dangjian.testing import add_member

D = datetime.date
TODAY = D(2026, 5, 10)


def meet(org, kind, held_on, actor=None, **extra):
    data = {"topic": "学习党章", "lecturer": "王书记"} | extra
    if kind == "branch_assembly" and "attendance" not in data:
        # An assembly needs a quorum: everyone who may attend is present.
        members = services.eligible_attendees(org).values_list("pk", flat=True)
        data["attendance"] = [(pk, "present", "") for pk in members]
    return services.record_meeting(
        org, kind=kind, held_on=held_on, actor=actor, today=TODAY, **data
    )


def test_record_meeting_with_attendance(county):
    a, b, c = county.members["TA01"]
    meeting = meet(
        county.village_a1,
        "branch_assembly",
        D(2026, 4, 3),
        actor=county.users["branch_a1"],
        attendance=[(a.pk, "present", ""), (b.pk, "leave", "外出务工"), (c.pk, "absent", "")],
    )
    assert services.attendance_summary(meeting) == {
        "present": 1,
        "leave": 1,
        "absent": 1,
        "rate": 1 / 3,  # exact: a page rounds once, when it shows it
    }
    assert services.meetings_held(county.root, Period.parse("2026-04"))["branch_assembly"] == 1


@pytest.mark.parametrize(
    "change, field, text",
    [
        ({"held_on": D(2026, 5, 11)}, "held_on", "晚于今天"),
        ({"topic": ""}, "topic", "主题"),
        ({"kind": "party"}, "kind", "会议类型"),
        ({"kind": "party_lecture", "lecturer": ""}, "lecturer_member", "授课人"),
    ],
)
def test_bad_meetings_are_refused_with_the_field_named(county, change, field, text):
    data = {"kind": "theme_day", "held_on": D(2026, 5, 1), "topic": "主题党日"} | change
    with pytest.raises(ValidationError) as e:
        services.record_meeting(county.village_a1, today=TODAY, **data)
    assert text in e.value.message_dict[field][0]
    assert not Meeting.objects.exists()


def test_duplicate_meeting_is_refused(county):
    meet(county.village_a1, "theme_day", D(2026, 5, 1))
    with pytest.raises(ValidationError) as e:
        meet(county.village_a1, "theme_day", D(2026, 5, 1))
    assert "重复" in e.value.message_dict["held_on"][0]


def test_attendee_from_another_organization_is_refused(county):
    outsider = county.members["TB01"][0]
    with pytest.raises(ValidationError) as e:
        meet(
            county.village_a1, "theme_day", D(2026, 5, 1), attendance=[(outsider.pk, "present", "")]
        )
    message = e.value.message_dict["attendance"][0]
    # The outsider is named by the number sent, not by a name the user may not see.
    assert f"编号{outsider.pk}不是" in message and outsider.name not in message
    assert not Meeting.objects.exists()


def test_leave_needs_a_reason(county):
    m = county.members["TA01"][0]
    with pytest.raises(ValidationError):
        meet(county.village_a1, "theme_day", D(2026, 5, 1), attendance=[(m.pk, "leave", "")])


def test_only_the_branch_records_its_meetings(county):
    with pytest.raises(PermissionDenied):
        meet(county.village_b1, "theme_day", D(2026, 5, 1), actor=county.users["branch_a1"])


def test_compliance_for_a_quarter(county):
    q1 = Period.parse("2026-Q1")
    for held_on, kind in ((D(2026, 1, 10), "theme_day"), (D(2026, 2, 10), "theme_day")):
        services.approve_late_entry(meet(county.village_a1, kind, held_on), today=TODAY)
    services.approve_late_entry(
        meet(county.village_a1, "branch_assembly", D(2026, 3, 31)), today=TODAY
    )
    result = services.compliance(county.village_a1, q1, today=TODAY)
    by_kind = {k: t.as_dict() for k, t in result["by_kind"].items()}
    # theme day monthly: Jan, Feb done (entered "today", long after: approved late entries).
    assert by_kind["theme_day"]["missing"] == 1
    assert by_kind["theme_day"]["done"] + by_kind["theme_day"]["late"] == 2
    assert by_kind["branch_assembly"]["missing"] == 0
    assert by_kind["party_lecture"]["missing"] == 1
    # 3 members < 7: no committee, so no committee meetings required.
    assert "committee_meeting" not in by_kind
    assert "life_meeting" not in by_kind  # yearly: not due within a quarter


def test_compliance_sums_over_the_tree(county):
    period = Period.parse("2026-03")
    meet(county.village_a1, "theme_day", D(2026, 3, 5))
    total = services.compliance(county.root, period, today=TODAY)["total"]
    children = services.compliance_by_child(county.root, period, today=TODAY)
    assert sum(t.due for _, t in children) == total.due
    assert sum(t.done + t.late for _, t in children) == total.done + total.late
    # the group must hold a group meeting; three branches a theme day: 4 slots due in March.
    assert total.due == 4


def test_local_variant_changes_the_requirement(county):
    period = Period.parse("2026-Q1")
    before = services.compliance(county.town_a, period, today=TODAY)["by_kind"]["theme_day"].due
    reqs = dict(config.DEFAULTS["life.requirements"]) | {"theme_day": ["quarter", 1]}
    config.set_rule(county.root, "life.requirements", reqs)
    after = services.compliance(county.town_a, period, today=TODAY)["by_kind"]["theme_day"].due
    assert (before, after) == (6, 2)


def test_committee_meetings_required_from_seven_full_members(county):
    for _ in range(4):
        add_member(county.village_a1)
    by_kind = services.compliance(county.village_a1, Period.parse("2026-03"), today=TODAY)[
        "by_kind"
    ]
    assert by_kind["committee_meeting"].missing == 1


def test_voiding_uncounts_the_meeting(county):
    meeting = meet(county.village_a1, "theme_day", D(2026, 3, 5))
    services.void_meeting(meeting, reason="录错组织")
    assert services.meetings_held(county.root, Period.parse("2026"))["theme_day"] == 0
    incremental = rollups.figures(county.root)
    rollups.rebuild()
    assert rollups.figures(county.root) == incremental


def test_meeting_roll_ups_match_a_rebuild(county):
    meet(county.village_a1, "theme_day", D(2026, 3, 5))
    meet(county.village_b1, "theme_day", D(2026, 3, 6))
    meet(county.village_b1, "party_lecture", D(2026, 4, 6))
    before = rollups.figures(county.root)
    rollups.rebuild()
    assert rollups.figures(county.root) == before
    assert services.meetings_held(county.root, Period.parse("2026-Q1"))["theme_day"] == 2


def test_review_rules(county):
    for _ in range(3):
        add_member(county.village_a2)
    members = list(county.village_a2.members.all())
    grades = {m.pk: ("qualified", "", "") for m in members}
    grades[members[0].pk] = ("excellent", "", "")
    grades[members[1].pk] = ("excellent", "", "")
    services.record_reviews(county.village_a2, 2025, grades, reviewed_on=D(2026, 1, 10))
    grades[members[2].pk] = ("excellent", "", "")
    with pytest.raises(ValidationError, match="三分之一"):
        services.record_reviews(county.village_a2, 2025, grades, reviewed_on=D(2026, 1, 10))
    with pytest.raises(ValidationError) as e:
        services.record_reviews(
            county.village_a2,
            2025,
            {members[3].pk: ("unqualified", "", "")},
            reviewed_on=D(2026, 1, 10),
        )
    assert "处置措施" in e.value.message_dict["follow_up"][0]
    services.record_reviews(
        county.village_a2,
        2025,
        {members[3].pk: ("unqualified", "rectify", "限期三个月")},
        reviewed_on=D(2026, 1, 10),
    )
    assert services.review_summary(county.root, 2025) == {
        "excellent": 2,
        "qualified": 3,
        "basically_qualified": 0,
        "unqualified": 1,
    }


def test_probationary_members_are_not_graded(county):
    probationary = add_member(county.village_a2, status="probationary", full_on=None)
    with pytest.raises(ValidationError, match="预备党员"):
        services.record_reviews(
            county.village_a2, 2025, {probationary.pk: ("qualified", "", "")}, reviewed_on=TODAY
        )


def test_talk_coverage(county):
    a, b, c = county.members["TA01"]
    services.record_talk(
        county.village_a1,
        held_on=D(2026, 3, 1),
        initiator=a,
        counterpart=b,
        topic="思想交流",
        today=TODAY,
    )
    cov = services.talk_coverage(county.village_a1, 2026)
    assert (cov["members"], cov["members_talked"]) == (3, 2)
    with pytest.raises(ValidationError):
        services.record_talk(
            county.village_a1,
            held_on=D(2026, 3, 1),
            initiator=a,
            counterpart=a,
            topic="x",
            today=TODAY,
        )
    with pytest.raises(ValidationError):
        services.record_talk(
            county.village_a1,
            held_on=D(2026, 3, 1),
            initiator=a,
            counterpart=county.members["TB01"][0],
            topic="x",
            today=TODAY,
        )


def test_participation_records(county):
    leader = county.members["TB01"][0]
    services.register_leader(leader, title="副县长")
    meet(county.village_b1, "theme_day", D(2026, 3, 5), attendance=[(leader.pk, "present", "")])
    meet(
        county.village_b1, "party_lecture", D(2026, 3, 9), attendance=[(leader.pk, "leave", "出差")]
    )
    meet(county.village_b1, "branch_assembly", D(2026, 3, 20), attendance=[])
    other = county.members["TB01"][1]
    # Committee meetings count only for the committee members on their attendance list.
    meet(
        county.village_b1,
        "committee_meeting",
        D(2026, 3, 2),
        attendance=[(other.pk, "present", "")],
    )
    meet(
        county.village_b1,
        "committee_meeting",
        D(2026, 2, 2),
        attendance=[(leader.pk, "absent", "")],
    )
    [row] = services.participation(county.root, Period.parse("2026-Q1"))
    assert (row["meetings"], row["present"], row["leave"], row["absent"]) == (4, 1, 1, 2)


def test_reminders_before_the_month_ends(county):
    from django.core.management import call_command

    from dangjian.core.models import Reminder

    meet(county.village_a1, "theme_day", D(2026, 5, 3))
    call_command("remind", "--today", "2026-05-28", stdout=__import__("io").StringIO())
    texts = {(r.organization.code, r.key.split(":")[2]) for r in Reminder.objects.all()}
    assert ("TA02", "theme_day") in texts and ("TB01", "theme_day") in texts
    assert ("TA01", "theme_day") not in texts
    n = Reminder.objects.count()
    call_command("remind", "--today", "2026-05-28", stdout=__import__("io").StringIO())
    assert Reminder.objects.count() == n  # idempotent


def test_assembly_without_quorum_is_kept_but_does_not_count(county):
    from dangjian.members.models import Member

    org = county.village_a1
    members = list(services.eligible_attendees(org))
    Member.objects.filter(pk__in=[m.pk for m in members]).update(status="full")
    # 3 full members: 1 present is not more than half.
    attendance = [(m.pk, "present" if i == 0 else "absent", "") for i, m in enumerate(members)]
    meeting = meet(org, "branch_assembly", D(2026, 4, 3), attendance=attendance)
    assert (meeting.quorum_due, meeting.quorum_present) == (len(members), 1)
    assert not meeting.quorate
    assert meeting.quorum_note == f"未达法定人数：应到{len(members)}人，实到1人"
    q2 = Period.parse("2026-Q2")
    tally = services.compliance(org, q2, today=D(2026, 7, 20))["by_kind"]["branch_assembly"]
    assert tally.missing == 1 and tally.done + tally.late == 0
    assert Meeting.objects.valid().filter(pk=meeting.pk).exists()
    # With two of three present the quorum is met and the quarter is done.
    attendance = [(m.pk, "absent" if i == 0 else "present", "") for i, m in enumerate(members)]
    meet(org, "branch_assembly", D(2026, 4, 4), attendance=attendance)
    tally = services.compliance(org, q2, today=D(2026, 7, 20))["by_kind"]["branch_assembly"]
    assert tally.missing == 0


def test_committee_meeting_quorum_counts_current_officers(county):
    from dangjian.orgs.models import Officer

    org = county.village_a1
    a, b, c = county.members["TA01"]
    for m, role in ((a, "secretary"), (b, "organization"), (c, "propaganda")):
        Officer.objects.create(organization=org, member=m, role=role, term_start=D(2025, 1, 1))
    meeting = meet(
        org,
        "committee_meeting",
        D(2026, 4, 3),
        attendance=[(a.pk, "present", ""), (b.pk, "leave", "外出"), (c.pk, "absent", "")],
    )
    assert (meeting.quorum_due, meeting.quorum_present) == (3, 1)
    assert "应到3人，实到1人" in meeting.quorum_note


def test_late_entry_needs_the_approval_of_the_level_above(county):
    from django.core.exceptions import PermissionDenied

    org = county.village_a1
    # The window runs to the 5th day after the month (a theme day is monthly).
    on_time = services.record_meeting(
        org, kind="theme_day", held_on=D(2026, 4, 30), topic="主题党日", today=D(2026, 5, 5)
    )
    assert not on_time.late_entry
    late = services.record_meeting(
        org, kind="theme_day", held_on=D(2026, 3, 31), topic="主题党日", today=D(2026, 5, 5)
    )
    assert late.late_entry and late.awaiting_approval
    # A 2024 theme day entered today is kept, but does not count until approved.
    old = meet(org, "theme_day", D(2024, 3, 10))
    assert old.late_entry
    march = Period.parse("2024-03")
    assert services.compliance(org, march, today=TODAY)["by_kind"]["theme_day"].missing == 1
    with pytest.raises(PermissionDenied):
        services.approve_late_entry(old, actor=county.users["branch_a1"])
    services.approve_late_entry(old, actor=county.users["town_a"], today=TODAY)
    old.refresh_from_db()
    assert old.approved_on == TODAY and old.approved_by == county.users["town_a"]
    tally = services.compliance(org, march, today=TODAY)["by_kind"]["theme_day"]
    assert (tally.done, tally.late, tally.missing) == (0, 1, 0)  # counted, shown apart
    with pytest.raises(ValidationError):
        services.approve_late_entry(old, today=TODAY)
    # A county may decide that approved late entries do not count.
    config.set_rule(county.root, "life.late_entries_count", False)
    assert services.compliance(org, march, today=TODAY)["by_kind"]["theme_day"].missing == 1


def test_quarterly_kind_has_a_quarterly_window(county):
    org = county.village_a1
    meeting = meet(org, "party_lecture", D(2026, 3, 2))
    assert meeting.late_entry  # quarter ended 31 March; window to 5 April; entered 10 May
    lecture = services.record_meeting(
        org,
        kind="party_lecture",
        held_on=D(2026, 1, 5),
        topic="党课",
        lecturer="王书记",
        today=D(2026, 4, 5),
    )
    assert not lecture.late_entry


def test_life_meeting_in_january_counts_for_the_year_it_reviews(county):
    meeting = meet(county.village_a1, "life_meeting", D(2026, 1, 20))
    assert meeting.review_year == 2025

    def life(year):
        result = services.compliance(county.village_a1, Period(year), today=TODAY)
        return result["by_kind"]["life_meeting"]

    assert (life(2025).done + life(2025).late, life(2025).missing) == (1, 0)
    assert life(2026).done + life(2026).late == 0
    # Settable on entry: held in January, recorded as reviewing the year it is held in.
    meet(county.village_a2, "life_meeting", D(2026, 1, 21), review_year=2026)
    result = services.compliance(county.village_a2, Period(2026), today=TODAY)
    assert result["by_kind"]["life_meeting"].done + result["by_kind"]["life_meeting"].late == 1
    with pytest.raises(ValidationError) as e:
        meet(county.village_a2, "life_meeting", D(2026, 1, 22), review_year=2024)
    assert "所属年度" in e.value.message_dict["review_year"][0]
    # Other kinds have no review year.
    assert (
        meet(county.village_a1, "theme_day", D(2026, 1, 10), review_year=2025).review_year is None
    )


def test_leadership_life_meeting_required_yearly_of_committees_only(county):
    period = Period(2026)
    rows = services.compliance(county.root, period, today=TODAY)["rows"]
    required = {org_id for org_id, kind, _slot, _s in rows if kind == "leadership_life_meeting"}
    assert required == {county.root.pk, county.town_a.pk, county.town_b.pk}
    meet(county.town_a, "leadership_life_meeting", D(2026, 3, 10))
    by_org = services.compliance(county.town_a, period, today=TODAY)["rows"]
    status = {(o, k): s for o, k, _slot, s in by_org}
    assert status[(county.town_a.pk, "leadership_life_meeting")] in ("done", "late")
    assert (county.village_a1.pk, "leadership_life_meeting") not in status
