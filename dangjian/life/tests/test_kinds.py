"""What a meeting is (issue 9 point 7): one record may count as several kinds, each kind must
fit the organization holding it, a group meeting is the group's, a lecture's lecturer is a
member or a named outsider, and every secretary gives a Party lecture a year."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.accounts.models import RoleName
from dangjian.core import config
from dangjian.core.models import RuleSetting
from dangjian.core.periods import Period
from dangjian.life import exports, rules, selectors, services
from dangjian.life.models import ExtraKind, Meeting
from dangjian.life.tests.test_api import Api, only_error
from dangjian.orgs import services as org_services
from dangjian.rollups import services as rollups
from dangjian.rollups.models import Rollup
from dangjian.testing import add_member, make_user

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 5, 10)


def meet(org, kind, held_on, *, today=TODAY, **extra):
    """Record a meeting as if on `today` (its entry time too, which compliance reads)."""
    data = {"topic": "学习党章"} | extra
    meeting = services.record_meeting(org, kind=kind, held_on=held_on, today=today, **data)
    entered = timezone.make_aware(datetime.datetime.combine(today, datetime.time(20)))
    Meeting.objects.filter(pk=meeting.pk).update(created_at=entered)
    return meeting


def everyone(org, status="present"):
    return [
        (pk, status, "") for pk in services.eligible_attendees(org).values_list("pk", flat=True)
    ]


def figures(org, month):
    return {
        k.rsplit(".", 1)[1]: v
        for k, v in rollups.figures(org).items()
        if k.startswith(f"meetings.{month}.")
    }


def all_rollups():
    return sorted(Rollup.objects.filter(value__gt=0).values_list("organization", "key", "value"))


# ---- one record, several kinds ------------------------------------------------------------


def test_a_theme_day_that_is_also_the_assembly_and_the_lecture_counts_for_each(county):
    org = county.village_a1
    secretary = county.members["TA01"][0]
    meeting = meet(
        org,
        "theme_day",
        D(2026, 5, 8),
        also_counts_as=["branch_assembly", "party_lecture"],
        lecturer_member=secretary,
        attendance=everyone(org),
    )
    assert meeting.kinds == ["theme_day", "branch_assembly", "party_lecture"]
    assert set(ExtraKind.objects.values_list("kind", flat=True)) == {
        "branch_assembly",
        "party_lecture",
    }
    # Quorum is taken for the assembly it also is.
    assert (meeting.quorum_due, meeting.quorum_present) == (3, 3)
    result = services.compliance(org, Period.parse("2026-Q2"), today=D(2026, 7, 20))
    statuses = {(kind, str(slot)): status for _o, kind, slot, status in result["rows"]}
    assert statuses[("theme_day", "2026-05")] == rules.DONE
    assert statuses[("branch_assembly", "2026-Q2")] == rules.DONE
    assert statuses[("party_lecture", "2026-Q2")] == rules.DONE
    # The roll-ups count it once per kind, at the branch and every ancestor...
    expected = {"theme_day": 1, "branch_assembly": 1, "party_lecture": 1}
    for ancestor in (org, county.town_a, county.root):
        assert figures(ancestor, "2026-05") == expected
    held = services.meetings_held(county.root, Period.parse("2026-05"))
    assert {k: n for k, n in held.items() if n} == expected
    # ... and a rebuild from the records gives the same figures as the increments.
    incremental = all_rollups()
    rollups.rebuild()
    assert all_rollups() == incremental
    # Voiding it takes it out of every kind.
    services.void_meeting(meeting, reason="录错")
    assert figures(county.root, "2026-05") == {}
    rollups.rebuild()
    assert figures(county.root, "2026-05") == {}


def test_a_kind_it_also_counts_as_is_not_entered_twice_the_same_day(county):
    org = county.village_a1
    meet(org, "theme_day", D(2026, 4, 8), also_counts_as=["party_lecture"], lecturer="党校王老师")
    with pytest.raises(ValidationError) as e:
        meet(org, "party_lecture", D(2026, 4, 8), lecturer="党校李老师")
    assert "已登记过一次党课" in e.value.message_dict["held_on"][0]


def test_without_a_quorum_it_still_counts_as_the_theme_day(county):
    org = county.village_a1
    attendance = everyone(org, "absent")
    meeting = meet(
        org, "theme_day", D(2026, 5, 8), also_counts_as=["branch_assembly"], attendance=attendance
    )
    assert not meeting.quorate and meeting.uncounted_kinds == "支部党员大会"
    assert exports._status(meeting) == "不计入支部党员大会：未达法定人数：应到3人，实到0人"
    result = services.compliance(org, Period.parse("2026-Q2"), today=D(2026, 7, 20))
    statuses = {(kind, str(slot)): status for _o, kind, slot, status in result["rows"]}
    assert statuses[("theme_day", "2026-05")] == rules.DONE
    assert statuses[("branch_assembly", "2026-Q2")] == rules.MISSING


def test_a_life_meeting_in_january_reviews_last_year_but_the_theme_day_counts_in_january(county):
    org = county.village_a1
    meet(
        org,
        "theme_day",
        D(2026, 1, 12),
        also_counts_as=["life_meeting"],
        today=D(2026, 1, 13),
    )
    last_year = services.compliance(org, Period(2025), today=D(2026, 3, 1))
    statuses = {(k, str(s)): st for _o, k, s, st in last_year["rows"]}
    assert statuses[("life_meeting", "2025")] == rules.DONE
    january = services.compliance(org, Period.parse("2026-01"), today=D(2026, 3, 1))
    assert {(k, st) for _o, k, _s, st in january["rows"]} >= {("theme_day", rules.DONE)}


def test_only_meetings_of_the_whole_membership_combine(county):
    with pytest.raises(ValidationError) as e:
        meet(county.village_a1, "committee_meeting", D(2026, 4, 8), also_counts_as=["theme_day"])
    assert e.value.message_dict["also_counts_as"] == [
        "支部委员会须单独登记，不能与其他会议合并计算"
    ]
    with pytest.raises(ValidationError) as e:
        meet(county.village_a1, "theme_day", D(2026, 4, 8), also_counts_as=["no_such_kind"])
    assert "同时计为“no_such_kind”不在可选范围内" in e.value.message_dict["also_counts_as"][0]
    assert not Meeting.objects.exists()


# ---- the meeting kind fits the organization -----------------------------------------------


def test_the_table_of_who_holds_what():
    assert rules.fits("branch_assembly", "branch")
    assert rules.fits("committee_meeting", "general_branch")
    assert not rules.fits("branch_assembly", "committee")
    assert not rules.fits("committee_meeting", "committee")
    assert rules.fits("members_assembly", "committee")
    assert rules.fits("committee_session", "working_committee")
    assert not rules.fits("members_assembly", "working_committee")
    assert rules.fits("leadership_life_meeting", "committee")
    assert not rules.fits("life_meeting", "committee")
    assert rules.fits("group_meeting", "group") and not rules.fits("theme_day", "group")
    assert not rules.fits("group_meeting", "branch")
    # A committee may give Party lectures; the quarterly lecture is required of branches only.
    assert rules.fits("party_lecture", "committee")
    assert not rules.applies("party_lecture", "committee", 300, 7)
    assert rules.applies("party_lecture", "branch", 3, 7)


def test_a_township_committee_cannot_hold_a_branch_assembly(county):
    with pytest.raises(ValidationError) as e:
        meet(county.town_a, "branch_assembly", D(2026, 4, 8))
    assert e.value.message_dict["kind"] == ["“甲镇党委”是基层党委，不召开支部党员大会"]
    with pytest.raises(ValidationError) as e:
        meet(county.group_a1, "theme_day", D(2026, 4, 8))
    assert e.value.message_dict["kind"] == ["“甲一村第一党小组”是党小组，不召开主题党日"]
    with pytest.raises(ValidationError) as e:
        meet(county.village_a1, "theme_day", D(2026, 4, 8), also_counts_as=["members_assembly"])
    assert e.value.message_dict["also_counts_as"] == [
        "“甲一村党支部”是党支部，不能同时计为党员大会"
    ]
    assert not Meeting.objects.exists()
    # The committee's own meetings are recorded.
    meeting = meet(county.town_a, "committee_session", D(2026, 4, 8))
    assert meeting.kinds_display == "委员会会议"


def test_a_group_meeting_is_attended_by_the_group_members_only(county):
    own = add_member(county.group_a1)
    branch_member = county.members["TA01"][0]
    meeting = meet(
        county.group_a1, "group_meeting", D(2026, 4, 8), attendance=everyone(county.group_a1)
    )
    assert list(meeting.attendance.values_list("member", flat=True)) == [own.pk]
    # The branch secretary sees the branch member, so the message names them.
    with pytest.raises(ValidationError) as e:
        meet(
            county.group_a1,
            "group_meeting",
            D(2026, 4, 9),
            actor=county.users["branch_a1"],
            attendance=[(branch_member.pk, "present", "")],
        )
    assert e.value.message_dict["attendance"] == [
        f"{branch_member.name}不是“甲一村第一党小组”的成员，党小组会只由本小组的党员参加"
    ]
    # A group leader's account sees the group only: the outsider is not named.
    leader = make_user("leader", RoleName.BRANCH_SECRETARY, county.group_a1)
    with pytest.raises(ValidationError) as e:
        meet(
            county.group_a1,
            "group_meeting",
            D(2026, 4, 9),
            actor=leader,
            attendance=[(branch_member.pk, "present", "")],
        )
    message = e.value.message_dict["attendance"][0]
    assert message.startswith(f"编号{branch_member.pk}不是") and branch_member.name not in message


# ---- the lecturer ----------------------------------------------------------------------------


def test_a_lecture_has_exactly_one_lecturer(county):
    org = county.village_a1
    a = county.members["TA01"][0]
    with pytest.raises(ValidationError) as e:
        meet(org, "party_lecture", D(2026, 4, 8))
    assert list(e.value.message_dict) == ["lecturer_member"]
    with pytest.raises(ValidationError) as e:
        meet(org, "party_lecture", D(2026, 4, 8), lecturer_member=a, lecturer="党校王老师")
    assert list(e.value.message_dict) == ["lecturer"]
    outsider = county.members["TB01"][0]
    with pytest.raises(ValidationError) as e:
        meet(org, "party_lecture", D(2026, 4, 8), lecturer_member=outsider)
    assert "不是“甲一村党支部”的党员" in e.value.message_dict["lecturer_member"][0]
    assert not Meeting.objects.exists()
    by_member = meet(org, "party_lecture", D(2026, 4, 8), lecturer_member=a)
    by_outsider = meet(org, "party_lecture", D(2026, 4, 9), lecturer="党校王老师")
    assert (by_member.lecturer_name, by_outsider.lecturer_name) == (a.name, "党校王老师")


def _secretaries(county):
    a1, a2 = county.members["TA01"][0], county.members["TA02"][0]
    for org, member in ((county.village_a1, a1), (county.village_a2, a2)):
        org_services.appoint_officer(org, member, "secretary", term_start=D(2024, 1, 1))
    return a1, a2


def test_every_secretary_gives_a_lecture_a_year(county):
    a1, a2 = _secretaries(county)
    meet(
        county.village_a1,
        "theme_day",
        D(2026, 5, 5),
        also_counts_as=["party_lecture"],
        lecturer_member=a1,
    )
    # a2 lectured at another branch's lecture only as a named outsider: that does not count.
    meet(county.village_b1, "party_lecture", D(2026, 5, 6), lecturer=a2.name)
    rows = services.secretary_lectures(county.root, 2026, today=TODAY)
    status = {r["officer"].member: (r["lectures"], r["status"]) for r in rows}
    assert status == {a1: (1, rules.DONE), a2: (0, rules.PENDING)}
    # Once the year (and its days for late entry) is over, "not yet" becomes missing.
    rows = services.secretary_lectures(county.root, 2026, today=D(2027, 1, 6))
    assert {r["officer"].member: r["status"] for r in rows}[a2] == rules.MISSING
    rows = services.secretary_lectures(county.root, 2026, today=D(2027, 1, 5))
    assert {r["officer"].member: r["status"] for r in rows}[a2] == rules.PENDING
    # The township secretary sees theirs; the other township's sees none of them.
    seen = selectors.secretary_lectures(county.users["town_b"], county.town_b, 2026, TODAY)
    assert (seen["secretaries"], seen["without"]) == (0, [])


def test_the_overview_lists_secretaries_not_yet_lectured(client, county):
    a1, a2 = _secretaries(county)
    today = datetime.date.today()
    services.record_meeting(
        county.village_a1, kind="party_lecture", held_on=today, topic="党课", lecturer_member=a1
    )
    client.force_login(county.users["town_a"])
    response = client.get(reverse("life:overview") + f"?org=TA&period={today.year}")
    lectures = response.context["lectures"]
    assert (lectures["secretaries"], lectures["lectured"], lectures["not_yet"]) == (2, 1, 1)
    page = response.content.decode()
    assert a2.name in page and "尚未讲" in page and a1.name not in page.split("书记讲党课")[1]
    # The API's compliance gives the same figures.
    out = Api(county.users["town_a"]).get(f"/compliance/TA?period={today.year}").json()
    lectures = out["secretary_lectures"]
    assert (lectures["secretaries"], lectures["lectured"], lectures["not_yet"]) == (2, 1, 1)
    assert [(r["member_name"], r["status"]) for r in lectures["without"]] == [(a2.name, "pending")]


# ---- pages, API, export ----------------------------------------------------------------------


def test_the_form_ticks_the_other_kinds_and_the_pages_show_them(client, county):
    a, b, c = county.members["TA01"]
    client.force_login(county.users["branch_a1"])
    today = datetime.date.today()
    form = client.get(reverse("life:meeting_new", args=["TA01"])).context["form"]
    assert {k for k, _ in form.fields["also_counts_as"].choices} == {
        "branch_assembly",
        "party_lecture",
        "theme_day",
        "life_meeting",
    }
    data = {
        "kind": "theme_day",
        "also_counts_as": ["party_lecture"],
        "held_on": today.isoformat(),
        "topic": "七一主题党日暨党课",
        "lecturer_member": a.pk,
        **{f"att_{m.pk}": "present" for m in (a, b, c)},
    }
    response = client.post(reverse("life:meeting_new", args=["TA01"]), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.kinds == ["theme_day", "party_lecture"]
    assert meeting.lecturer_member == a
    detail = client.get(reverse("life:meeting", args=[meeting.pk])).content.decode()
    assert '<span class="badge">主题党日</span><span class="badge">党课</span>' in detail
    assert a.name in detail
    listed = client.get(reverse("life:meetings", args=["TA01"]) + "?kind=party_lecture")
    assert [m.pk for m in listed.context["meetings"]] == [meeting.pk]
    content = b"".join(client.get(reverse("life:meetings_export", args=["TA01"])).streaming_content)
    row = list(
        load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True)
    )[1]
    assert (row[4], row[8]) == ("主题党日、党课", a.name)


def test_the_api_records_and_shows_every_kind(county):
    a, b, c = county.members["TA01"]
    api = Api(county.users["branch_a1"])
    body = {
        "organization": "TA01",
        "kind": "theme_day",
        "also_counts_as": ["branch_assembly", "party_lecture"],
        "held_on": datetime.date.today().isoformat(),
        "topic": "主题党日",
        "lecturer_member": a.pk,
        "attendance": [{"member": m.pk} for m in (a, b, c)],
    }
    response = api.post("/meetings", body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["also_counts_as"] == ["branch_assembly", "party_lecture"]
    assert out["kinds_label"] == "主题党日、支部党员大会、党课"
    assert (out["lecturer_member"], out["lecturer_name"]) == (a.pk, a.name)
    outsider = county.members["TB01"][0]
    response = api.post(
        "/meetings", body | {"held_on": "2026-01-02", "lecturer_member": outsider.pk}
    )
    field, message = only_error(response)
    assert (field, message) == (
        "lecturer_member",
        f"编号{outsider.pk}不是“甲一村党支部”的党员；其他人授课请填写外请授课人的姓名",
    )


# ---- one deadline for entry and compliance ---------------------------------------------------


def test_one_setting_for_the_deadline():
    assert "life.grace_days" not in config.DEFAULTS
    assert config.DEFAULTS["life.late_entry_days"] == 5


def test_the_county_sets_one_deadline_for_entry_and_for_compliance(client, county):
    org = county.village_a1
    config.set_rule(county.root, "life.late_entry_days", 10)
    # Entered 8 days after the month: within the county's 10 days, so neither a late entry
    # needing approval nor "补录" in the calendar (a second setting said 7 days before).
    meeting = meet(org, "theme_day", D(2026, 3, 20), today=D(2026, 4, 8))
    assert not meeting.late_entry
    result = services.compliance(org, Period.parse("2026-03"), today=D(2026, 4, 9))
    assert [st for _o, k, _s, st in result["rows"] if k == "theme_day"] == [rules.DONE]
    # Entered on the 11th day: a late entry; once approved it counts, shown as 补录.
    late = meet(org, "theme_day", D(2026, 2, 20), today=D(2026, 3, 11))
    assert late.late_entry
    services.approve_late_entry(late, today=D(2026, 3, 12))
    result = services.compliance(org, Period.parse("2026-02"), today=D(2026, 3, 12))
    assert [st for _o, k, _s, st in result["rows"] if k == "theme_day"] == [rules.LATE]
    # The pages explain the same number of days.
    client.force_login(county.users["branch_a1"])
    response = client.get(reverse("life:overview") + "?org=TA01")
    assert response.context["grace_days"] == 10


def test_a_stored_grace_days_setting_becomes_the_late_entry_days(county):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("dangjian.life.migrations.0006_meeting_kinds_lecturer")
    RuleSetting.objects.create(organization=county.town_a, key="life.grace_days", value=10)
    RuleSetting.objects.create(organization=county.town_b, key="life.grace_days", value=9)
    RuleSetting.objects.create(organization=county.town_b, key="life.late_entry_days", value=3)
    migration.merge_grace_days(apps, None)
    assert sorted(RuleSetting.objects.values_list("organization__code", "key", "value")) == [
        ("TA", "life.late_entry_days", 10),
        ("TB", "life.late_entry_days", 3),
    ]


def test_lecturers_on_record_as_text_become_members_only_when_they_are_the_host_or_an_officer(
    county,
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("dangjian.life.migrations.0006_meeting_kinds_lecturer")
    a, b, _c = county.members["TA01"]
    by_host = meet(county.village_a1, "party_lecture", D(2026, 5, 4), host=a, lecturer="x")
    namesake = meet(county.village_a1, "party_lecture", D(2026, 5, 5), lecturer="x")
    Meeting.objects.filter(pk=by_host.pk).update(lecturer=f"{a.name}（书记）")
    # Someone of the same name as a member who neither hosts nor holds office: kept as text.
    Meeting.objects.filter(pk=namesake.pk).update(lecturer=f"{b.name}（县委党校讲师）")
    migration.link_lecturers(apps, None)
    by_host.refresh_from_db()
    namesake.refresh_from_db()
    assert (by_host.lecturer_member, by_host.lecturer) == (a, "")
    assert (namesake.lecturer_member, namesake.lecturer) == (None, f"{b.name}（县委党校讲师）")
