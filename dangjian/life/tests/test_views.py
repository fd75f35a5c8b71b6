"""Organizational-life pages: rendering, scoping (404 outside the subtree), the meeting form
and its errors (nothing saved), reviews, talks, participation and the .xlsx exports."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.models import Reminder
from dangjian.core.periods import Period
from dangjian.life import services
from dangjian.life.models import Attachment, Attendance, Leader, Meeting, Review, Talk
from dangjian.testing import add_member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_MONTH = TODAY.replace(day=1) - datetime.timedelta(days=1)


def login(client, county, name):
    client.force_login(county.users[name])
    return client


def sheet_rows(response):
    content = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def meeting_post(county, org_code="TA01", **overrides):
    members = county.members[org_code]
    data = {
        "kind": "theme_day",
        "held_on": TODAY.isoformat(),
        "topic": "学习党章",
        "place": "村委会",
        "minutes": "学习了党章第一章",
        **{f"att_{m.pk}": "present" for m in members},
    }
    data.update(overrides)
    return data


def record(org, kind="theme_day", held_on=None, **extra):
    return services.record_meeting(
        org, kind=kind, held_on=held_on or TODAY, topic=extra.pop("topic", "学习"), **extra
    )


# ---- pages render for the allowed user, 404 outside -------------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        ("life:calendar", ["TA01"]),
        ("life:meetings", ["TA01"]),
        ("life:meeting_new", ["TA01"]),
        ("life:reviews", ["TA01"]),
        ("life:talks", ["TA01"]),
        ("life:participation", ["TA01"]),
    ],
)
def test_pages_render_in_scope_and_404_outside(client, county, name, args):
    login(client, county, "branch_a1")
    assert client.get(reverse(name, args=args)).status_code == 200
    assert client.get(reverse(name, args=["TB01"])).status_code == 404
    assert client.get(reverse(name, args=["TA"])).status_code == 404


def test_overview_scopes_by_org_parameter(client, county):
    login(client, county, "town_a")
    response = client.get(reverse("life:overview"))
    assert response.status_code == 200
    assert response.context["org"] == county.town_a
    assert client.get(reverse("life:overview") + "?org=TB").status_code == 404
    assert client.get(reverse("life:overview") + "?org=TA01").status_code == 200


def test_overview_without_a_role_is_a_friendly_page(client, county):
    login(client, county, "nobody")
    response = client.get(reverse("life:overview"))
    assert response.status_code == 200
    assert "还没有分配党组织" in response.content.decode()
    assert client.get(reverse("life:overview") + "?org=T").status_code == 404


def test_meeting_page_is_404_outside_the_subtree(client, county):
    meeting = record(county.village_b1)
    login(client, county, "branch_a1")
    assert client.get(reverse("life:meeting", args=[meeting.pk])).status_code == 404
    login(client, county, "town_b")
    response = client.get(reverse("life:meeting", args=[meeting.pk]))
    assert response.status_code == 200
    assert "学习" in response.content.decode()


def test_member_role_reads_but_cannot_record(client, county):
    login(client, county, "member_a1")
    assert client.get(reverse("life:meetings", args=["TA01"])).status_code == 200
    assert client.get(reverse("life:meeting_new", args=["TA01"])).status_code == 403


# ---- meeting entry ----------------------------------------------------------------------


def test_meeting_form_lists_attendees_default_present(client, county):
    login(client, county, "branch_a1")
    response = client.get(reverse("life:meeting_new", args=["TA01"]))
    html = response.content.decode()
    for m in county.members["TA01"]:
        assert f'name="att_{m.pk}" id="att_{m.pk}_present" value="present" checked' in html
    assert county.members["TB01"][0].name not in html
    assert response.context["form"]["held_on"].value() == TODAY


def test_record_meeting_with_attendance_and_photo(client, county, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a, b, c = county.members["TA01"]
    login(client, county, "branch_a1")
    photo = SimpleUploadedFile("合影.jpg", b"\xff\xd8\xff fake jpeg", content_type="image/jpeg")
    data = meeting_post(
        county,
        **{
            f"att_{b.pk}": "leave",
            f"reason_{b.pk}": "外出务工",
            f"att_{c.pk}": "absent",
            "host": str(a.pk),
            "attachments": photo,
        },
    )
    response = client.post(reverse("life:meeting_new", args=["TA01"]), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("life:meeting", args=[meeting.pk])
    assert meeting.host == a and meeting.created_by == county.users["branch_a1"]
    statuses = dict(Attendance.objects.values_list("member_id", "status"))
    assert statuses == {a.pk: "present", b.pk: "leave", c.pk: "absent"}
    attachment = Attachment.objects.get()
    assert attachment.name == "合影.jpg"
    page = client.get(response["Location"]).content.decode()
    assert "33.3%" in page and "外出务工" in page
    file_response = client.get(reverse("life:attachment", args=[attachment.pk]))
    assert file_response.status_code == 200
    login(client, county, "branch_b1")
    assert client.get(reverse("life:attachment", args=[attachment.pk])).status_code == 404


@pytest.mark.parametrize(
    "overrides, field, text",
    [
        ({"held_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "held_on", "晚于今天"),
        ({"topic": ""}, "topic", "请填写会议主题"),
        ({"kind": "party_lecture", "lecturer": ""}, "lecturer_member", "授课人"),
    ],
)
def test_bad_meeting_shows_error_beside_field_and_saves_nothing(
    client, county, overrides, field, text
):
    login(client, county, "branch_a1")
    response = client.post(
        reverse("life:meeting_new", args=["TA01"]), meeting_post(county, **overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert text in errors[field][0]
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_attendee_from_another_organization_is_refused(client, county):
    outsider = county.members["TB01"][0]
    login(client, county, "branch_a1")
    data = meeting_post(county, **{f"att_{outsider.pk}": "present"})
    response = client.post(reverse("life:meeting_new", args=["TA01"]), data)
    assert response.status_code == 200
    errors = response.context["attendance_errors"]
    # Someone the branch secretary may not see is not named, only numbered.
    assert errors == [f"编号{outsider.pk}不是“{county.village_a1.name}”的党员，不能列为参会人员"]
    assert "不能列为参会人员" in response.content.decode()
    assert outsider.name not in response.content.decode()
    assert not Meeting.objects.exists()


def test_duplicate_meeting_is_refused(client, county):
    record(county.village_a1, held_on=LAST_MONTH)
    login(client, county, "branch_a1")
    data = meeting_post(county, held_on=LAST_MONTH.isoformat())
    response = client.post(reverse("life:meeting_new", args=["TA01"]), data)
    assert "请勿重复登记" in response.context["form"].errors["held_on"][0]
    assert Meeting.objects.count() == 1


def test_leave_without_reason_keeps_the_choices(client, county):
    a = county.members["TA01"][0]
    login(client, county, "branch_a1")
    data = meeting_post(county, **{f"att_{a.pk}": "leave"})
    response = client.post(reverse("life:meeting_new", args=["TA01"]), data)
    assert "请填写请假原因" in response.context["attendance_errors"][0]
    assert f'id="att_{a.pk}_leave" value="leave" checked' in response.content.decode()
    assert not Meeting.objects.exists()


def test_one_submit_names_every_error_of_form_and_attendee_list(client, county):
    """A missing topic (the form's) and two leaves without reasons (the attendee list's,
    a service rule) come back together, not one set per submit."""
    a, b = county.members["TA01"][:2]
    login(client, county, "branch_a1")
    data = meeting_post(county, topic="", **{f"att_{a.pk}": "leave", f"att_{b.pk}": "leave"})
    response = client.post(reverse("life:meeting_new", args=["TA01"]), data)
    assert "topic" in response.context["form"].errors
    errors = response.context["attendance_errors"]
    assert len(errors) == 2 and all("请填写请假原因" in e for e in errors)
    assert {a.name, b.name} == {n for n in (a.name, b.name) if any(n in e for e in errors)}
    assert not Meeting.objects.exists()


def test_service_names_every_bad_field_at_once(county):
    """record_meeting collects its independent checks: a future date, no topic and a leave
    without its reason in one ValidationError."""
    from django.core.exceptions import ValidationError

    a = county.members["TA01"][0]
    with pytest.raises(ValidationError) as e:
        services.record_meeting(
            county.village_a1,
            actor=county.users["branch_a1"],
            kind="theme_day",
            held_on=TODAY + datetime.timedelta(days=3),
            topic="",
            attendance=[(a.pk, "leave", "")],
        )
    assert {"held_on", "topic", "attendance"} <= set(e.value.message_dict)
    assert not Meeting.objects.exists()


def test_void_needs_a_reason_then_uncounts(client, county):
    meeting = record(county.village_a1, held_on=LAST_MONTH)
    login(client, county, "branch_a1")
    url = reverse("life:meeting_void", args=[meeting.pk])
    response = client.post(url, {"void_reason": ""})
    assert response.status_code == 200
    assert "请填写作废原因" in response.context["void_form"].errors["void_reason"][0]
    meeting.refresh_from_db()
    assert meeting.voided_on is None
    assert client.post(url, {"void_reason": "录错日期"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.void_reason == "录错日期"
    page = client.get(reverse("life:meetings", args=["TA01"]))
    assert meeting not in page.context["meetings"]
    page = client.get(reverse("life:meetings", args=["TA01"]) + "?voided=1")
    assert meeting in page.context["meetings"]


def test_outsider_cannot_void(client, county):
    meeting = record(county.village_a1)
    login(client, county, "branch_b1")
    url = reverse("life:meeting_void", args=[meeting.pk])
    assert client.post(url, {"void_reason": "x"}).status_code == 404


# ---- compliance overview and calendar ---------------------------------------------------


def test_compliance_overview_drills_down_to_the_calendar(client, county):
    meeting = record(county.village_a1, held_on=LAST_MONTH)
    if meeting.late_entry:  # after the 5th of this month: a late entry, approved above
        services.approve_late_entry(meeting)
    login(client, county, "county")
    period = Period.month_of(LAST_MONTH)
    response = client.get(reverse("life:overview") + f"?period={period}")
    rows = {r["org"].code: r for r in response.context["rows"]}
    assert set(rows) == {"TA", "TB"}
    assert rows["TA"]["link"] == reverse("life:overview") + f"?org=TA&period={period}"
    # TA: 2 branches' theme days + the group's meeting; TB: 1 theme day.
    assert rows["TA"]["due"] == 3 and rows["TB"]["due"] == 1
    total = response.context["total"]
    assert total["due"] == 4 and total["missing"] == 3
    response = client.get(reverse("life:overview") + f"?org=TA&period={period}")
    rows = {r["org"].code: r for r in response.context["rows"]}
    assert rows["TA01"]["link"] == reverse("life:calendar", args=["TA01"]) + f"?year={period.year}"
    kinds = {str(k["label"]) for k in response.context["kinds"]}
    assert kinds == {"主题党日", "党小组会"}
    sectors = {str(s["label"]): s["due"] for s in response.context["sectors"]}
    assert sectors == {"农村": 3}


def test_overview_shows_reminders_of_visible_orgs_only(client, county):
    Reminder.objects.create(
        organization=county.village_a1,
        key="a",
        text="甲一村主题党日未登记",
        due_on=TODAY + datetime.timedelta(days=3),
    )
    Reminder.objects.create(
        organization=county.village_b1,
        key="b",
        text="乙一村主题党日未登记",
        due_on=TODAY + datetime.timedelta(days=3),
    )
    login(client, county, "town_a")
    html = client.get(reverse("life:overview")).content.decode()
    assert "甲一村主题党日未登记" in html and "乙一村主题党日未登记" not in html


def test_bad_period_is_explained(client, county):
    login(client, county, "county")
    response = client.get(reverse("life:overview") + "?period=2026-13")
    assert response.status_code == 200
    assert "无法识别的期间" in response.content.decode()


def test_calendar_shows_status_per_slot(client, county):
    meeting = record(county.village_a1, held_on=datetime.date(TODAY.year - 1, 2, 10))
    services.approve_late_entry(meeting)  # a late entry counts once approved
    login(client, county, "branch_a1")
    response = client.get(reverse("life:calendar", args=["TA01"]) + f"?year={TODAY.year - 1}")
    grid = response.context["grid"]
    kinds = [k["code"] for k in grid["kinds"]]
    assert kinds == ["branch_assembly", "party_lecture", "theme_day", "life_meeting"]
    theme = kinds.index("theme_day")
    assert grid["rows"][1]["cells"][theme]["status"] == "late"  # recorded long after
    assert grid["rows"][0]["cells"][theme]["status"] == "missing"
    # A quarterly cell spans three months, the yearly one twelve.
    assert grid["rows"][0]["cells"][0]["span"] == 3 and grid["rows"][1]["cells"][0] is None
    assert grid["rows"][0]["cells"][3]["span"] == 12
    assert "补录" in response.content.decode()


# ---- exports ----------------------------------------------------------------------------


def test_meeting_export_contains_only_in_scope_rows(client, county):
    a = county.members["TA01"][0]
    record(county.village_a1, topic="甲一村会议", attendance=[(a.pk, "present", "")])
    record(county.village_b1, topic="乙一村会议")
    login(client, county, "town_a")
    response = client.get(reverse("life:meetings_export", args=["TA"]))
    rows = sheet_rows(response)
    assert rows[0][:6] == ["召开日期", "所属下级组织", "党组织", "组织编码", "会议类型", "主题"]
    assert [r[5] for r in rows[1:-1]] == ["甲一村会议"]
    assert rows[1][1] == "甲一村党支部" and rows[1][13] == 100.0
    assert rows[-1][0] == "合计（1行）" and rows[-1][10] == 1  # present
    login(client, county, "county")
    rows = sheet_rows(client.get(reverse("life:meetings_export", args=["T"])))
    assert {(r[1], r[5]) for r in rows[1:-1]} == {
        ("甲镇党委", "甲一村会议"),
        ("乙镇党委", "乙一村会议"),
    }
    assert rows[0][1] == "所属乡镇（街道）"
    login(client, county, "branch_a1")
    assert client.get(reverse("life:meetings_export", args=["TB01"])).status_code == 404


def test_ledger_exports_a_sheet_per_township_with_totals(client, county):
    a, b, c = county.members["TA01"]
    record(
        county.village_a1,
        topic="甲一村会议",
        attendance=[(a.pk, "present", ""), (b.pk, "present", ""), (c.pk, "absent", "")],
    )
    record(county.village_a2, topic="甲二村会议")
    record(county.village_b1, topic="乙一村会议")
    login(client, county, "county")
    response = client.get(reverse("life:meetings_export", args=["T"]), {"by": "level"})
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert wb.sheetnames == ["会议记录", "甲镇党委", "乙镇党委", "说明"]
    town_a = [list(r) for r in wb["甲镇党委"].iter_rows(values_only=True)]
    assert sorted(r[5] for r in town_a[1:-1]) == ["甲一村会议", "甲二村会议"]
    assert town_a[-1][0] == "合计（2行）"
    assert (town_a[-1][10], town_a[-1][12]) == (2, 1)  # present, absent
    town_b = [list(r) for r in wb["乙镇党委"].iter_rows(values_only=True)]
    assert [r[5] for r in town_b[1:-1]] == ["乙一村会议"]
    # Without ?by=level: the one sheet.
    response = client.get(reverse("life:meetings_export", args=["T"]))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert wb.sheetnames == ["会议记录", "说明"]


def test_review_and_talk_exports_name_the_township(client, county):
    a, b, c = county.members["TA01"]
    services.record_talk(county.village_a1, held_on=TODAY, initiator=a, counterpart=b, topic="谈心")
    login(client, county, "county")
    rows = sheet_rows(client.get(reverse("life:talks_export", args=["T"]), {"year": TODAY.year}))
    assert rows[0][1] == "所属乡镇（街道）" and rows[1][1] == "甲镇党委"
    assert rows[-1][0] == "合计（1行）"
    rows = sheet_rows(client.get(reverse("life:reviews_export", args=["T"]), {"year": TODAY.year}))
    assert rows[0][1] == "所属乡镇（街道）" and rows[-1][0] == "合计（0行）"


def workbook_of(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def rows_of(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_compliance_export_is_a_ledger_a_township_can_file(client, county):
    period = Period.month_of(LAST_MONTH)
    login(client, county, "town_a")
    rows = sheet_rows(client.get(reverse("life:overview_export") + f"?period={period}"))
    assert rows[0][:4] == ["所属下级组织", "党组织", "组织编码", "应开"]  # below a township
    names = [r[1] for r in rows[1:-1]]
    assert "甲一村党支部" in names and "乙一村党支部" not in names
    assert rows[-1][0] == f"合计（{len(rows) - 2}行）"
    assert rows[-1][3] == sum(r[3] for r in rows[1:-1])  # 应开 summed
    assert client.get(reverse("life:overview_export") + "?org=TB").status_code == 404
    # The county: a sheet per township, each with its own 合计 row.
    login(client, county, "county")
    url = reverse("life:overview_export") + f"?period={period}&by=level"
    wb = workbook_of(client.get(url))
    assert rows_of(wb.worksheets[0])[0][0] == "所属乡镇（街道）"
    assert {"甲镇党委", "乙镇党委"} <= set(wb.sheetnames)
    assert wb.sheetnames[0] == "组织生活完成情况" and wb.sheetnames[-1] == "说明"
    town_b = rows_of(wb["乙镇党委"])
    assert {r[1] for r in town_b[1:-1]} == {"乙一村党支部"}
    assert {r[0] for r in town_b[1:-1]} == {"乙镇党委"}
    assert town_b[-1][0] == "合计（1行）"
    assert town_b[-1][6] == sum(r[6] for r in town_b[1:-1])  # 缺开 summed
    notes = [r[0] for r in rows_of(wb["说明"])]
    assert any(n.startswith("会议类型 ") for n in notes)


# ---- reviews, talks, participation ------------------------------------------------------


def test_review_entry_saves_and_shows_errors(client, county):
    a, b, c = county.members["TA01"]
    login(client, county, "branch_a1")
    year = TODAY.year
    url = reverse("life:reviews", args=["TA01"]) + f"?year={year}"
    bad = {
        "reviewed_on": TODAY.isoformat(),
        f"grade_{a.pk}": "qualified",
        f"grade_{b.pk}": "unqualified",
        f"follow_{b.pk}": "",
    }
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "须登记处置措施" in response.context["errors"][0]
    assert not Review.objects.exists()
    good = bad | {f"follow_{b.pk}": "rectify", f"note_{b.pk}": "限期三个月改正"}
    assert client.post(url, good).status_code == 302
    assert dict(Review.objects.values_list("member_id", "grade")) == {
        a.pk: "qualified",
        b.pk: "unqualified",
    }
    login(client, county, "town_a")
    rows = sheet_rows(client.get(reverse("life:reviews_export", args=["TA"]) + f"?year={year}"))
    assert sorted(r[4] for r in rows[1:-1]) == sorted([a.name, b.name])
    assert client.get(reverse("life:reviews_export", args=["TB"])).status_code == 404


def test_talk_entry_and_coverage(client, county):
    a, b, _c = county.members["TA01"]
    outsider = county.members["TB01"][0]
    login(client, county, "branch_a1")
    url = reverse("life:talks", args=["TA01"])
    data = {
        "held_on": TODAY.isoformat(),
        "initiator": a.pk,
        "counterpart": outsider.pk,
        "topic": "谈思想",
    }
    response = client.post(url, data)
    assert "counterpart" in response.context["form"].errors
    response = client.post(url, data | {"counterpart": b.pk, "topic": ""})
    assert "请填写谈话主题" in response.context["form"].errors["topic"][0]
    assert not Talk.objects.exists()
    assert client.post(url, data | {"counterpart": b.pk}).status_code == 302
    response = client.get(url)
    assert response.context["coverage"]["members_talked"] == 2
    rows = sheet_rows(client.get(reverse("life:talks_export", args=["TA01"])))
    assert rows[1][4:6] == [a.name, b.name]


def test_participation_lists_leaders_without_ranking(client, county):
    a = county.members["TA01"][0]
    record(county.village_a1, held_on=TODAY, attendance=[(a.pk, "present", "")])
    login(client, county, "town_a")
    url = reverse("life:participation", args=["TA"])
    response = client.post(url, {"member": a.name, "title": ""})
    assert "请填写职务" in response.context["form"].errors["title"][0]
    response = client.post(url, {"member": county.members["TB01"][0].name, "title": "副县长"})
    assert "没有名为" in response.context["form"].errors["member"][0]
    assert client.post(url, {"member": a.name, "title": "副县长"}).status_code == 302
    assert Leader.objects.get().member == a
    row = client.get(url + f"?period={TODAY.year}").context["rows"][0]
    assert (row["meetings"], row["present"], row["rate_text"]) == (1, 1, "100.0%")
    rows = sheet_rows(client.get(reverse("life:participation_export", args=["TA"])))
    assert rows[1][:2] == [a.name, "副县长"]
    assert rows[0][2] == "所属下级组织"
    assert rows[1][3] == "甲一村党支部" and rows[-1][0] == "合计（1行）"
    assert rows[-1][5:8] == [1, 1, 0]  # meetings, present, leave summed
    login(client, county, "county")
    response = client.get(reverse("life:participation_export", args=["T"]), {"by": "level"})
    wb = workbook_of(response)
    assert wb.sheetnames == ["组织生活纪实", "甲镇党委", "说明"]
    town_a = rows_of(wb["甲镇党委"])
    assert town_a[1][:3] == [a.name, "副县长", "甲镇党委"] and town_a[-1][0] == "合计（1行）"
    login(client, county, "town_b")
    rows = sheet_rows(client.get(reverse("life:participation_export", args=["TB"])))
    assert rows[1:] == [["合计（0行）", *[None] * 4, 0, 0, 0, 0, None]]


def test_group_meeting_lists_only_the_group_members(client, county):
    own = add_member(county.group_a1)
    login(client, county, "branch_a1")
    response = client.get(reverse("life:meeting_new", args=["TA0101"]))
    # A group's meeting is attended by the group's members, not the whole branch.
    assert [a["member"] for a in response.context["attendees"]] == [own]
    assert response.context["form"]["kind"].value() == "group_meeting"
    # A group holds only group meetings: the other kinds are not offered.
    assert [k for k, _l in response.context["form"].fields["kind"].choices] == ["group_meeting"]


def test_meeting_without_quorum_shows_why_on_page_list_and_export(client, county):
    members = list(services.eligible_attendees(county.village_a1))
    attendance = [(m.pk, "present" if i == 0 else "absent", "") for i, m in enumerate(members)]
    meeting = record(county.village_a1, "branch_assembly", topic="党员大会", attendance=attendance)
    meeting.quorum_due, meeting.quorum_present = 3, 1
    meeting.save(update_fields=["quorum_due", "quorum_present"])
    note = "未达法定人数：应到3人，实到1人"
    login(client, county, "branch_a1")
    page = client.get(reverse("life:meeting", args=[meeting.pk])).content.decode()
    assert note in page and "不计入完成情况" in page
    assert note in client.get(reverse("life:meetings", args=["TA01"])).content.decode()
    rows = sheet_rows(client.get(reverse("life:meetings_export", args=["TA01"])))
    assert rows[1][15] == f"不计入：{note}"


def test_late_entry_is_approved_from_the_meeting_page_by_the_level_above(client, county):
    meeting = record(county.village_a1, held_on=datetime.date(TODAY.year - 2, 3, 10))
    assert meeting.late_entry
    login(client, county, "branch_a1")
    page = client.get(reverse("life:meeting", args=[meeting.pk])).content.decode()
    assert "补录（待上级审批）" in page and "批准补录" not in page
    assert (
        "补录（待上级审批）" in client.get(reverse("life:meetings", args=["TA01"])).content.decode()
    )
    approve = reverse("life:meeting_approve", args=[meeting.pk])
    assert client.post(approve).status_code == 403
    login(client, county, "town_a")
    page = client.get(reverse("life:meeting", args=[meeting.pk])).content.decode()
    assert "批准补录" in page
    assert client.post(approve)["Location"] == reverse("life:meeting", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.approved_on == TODAY
    rows = sheet_rows(client.get(reverse("life:meetings_export", args=["TA01"])))
    assert rows[1][15] == f"补录，{TODAY}审批"


def test_life_meeting_page_shows_the_talks_before_and_the_review_after(client, county):
    a, b, c = county.members["TA01"]
    services.record_talk(
        county.village_a1,
        held_on=datetime.date(2025, 11, 5),
        initiator=a,
        counterpart=b,
        topic="谈心",
    )
    services.record_reviews(
        county.village_a1,
        2025,
        {m.pk: ("qualified", "", "") for m in (a, b, c)} | {a.pk: ("excellent", "", "")},
        reviewed_on=datetime.date(2026, 1, 25),
    )
    meeting = record(county.village_a1, kind="life_meeting", held_on=datetime.date(2026, 1, 20))
    login(client, county, "branch_a1")
    html = client.get(reverse("life:meeting", args=[meeting.pk])).content.decode()
    assert 'data-testid="yearly-chain"' in html
    assert 'data-testid="review-year">2025年度' in html
    assert 'data-testid="talk-members">2/3<' in html
    assert 'data-testid="review-grades"' in html
    assert reverse("life:reviews", args=["TA01"]) + "?year=2025" in html
    # Other kinds show no chain.
    theme = record(county.village_a1)
    assert (
        "yearly-chain" not in client.get(reverse("life:meeting", args=[theme.pk])).content.decode()
    )


def test_meeting_form_records_the_review_year(client, county):
    login(client, county, "branch_a1")
    data = meeting_post(
        county, kind="life_meeting", held_on=f"{TODAY.year}-01-15", review_year=str(TODAY.year)
    )
    response = client.post(reverse("life:meeting_new", args=["TA01"]), data)
    assert response.status_code == 302
    assert Meeting.objects.get().review_year == TODAY.year
