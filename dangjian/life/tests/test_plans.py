"""Planned meetings (会议计划): planned, changed and cancelled by who may record the
organization's meetings; a kind the organization holds; seen by the managers above and the
organization's own members (a group's members: the branch's too), not by another branch;
on the member's desk and beside the branch desk's slots; recorded from, never counted."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts import tokens
from dangjian.accounts.models import RoleName
from dangjian.core.models import AuditEvent
from dangjian.core.periods import Period
from dangjian.life import desk, selectors, services
from dangjian.life.models import Meeting, PlannedMeeting
from dangjian.testing import make_user

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 5, 10)
NOW = timezone.localdate()


def plan(org, actor=None, today=TODAY, **extra):
    data = {"kind": "theme_day", "planned_on": today, "topic": "学习党章"} | extra
    return services.plan_meeting(org, actor=actor, today=today, **data)


# ---- services -------------------------------------------------------------------------------


def test_who_records_the_meetings_plans_them_audited(county):
    p = plan(
        county.village_a1,
        county.users["branch_a1"],
        planned_on=D(2026, 5, 20),
        planned_at=datetime.time(9, 30),
        place="村委会",
    )
    assert (p.organization, p.kind, p.planned_on, p.created_by) == (
        county.village_a1,
        "theme_day",
        D(2026, 5, 20),
        county.users["branch_a1"],
    )
    event = AuditEvent.objects.get(target_type="life.plannedmeeting", target_id=str(p.pk))
    assert event.action == "create" and event.changes["planned_on"] == [None, "2026-05-20"]
    plan(county.village_a1, county.users["town_a"])  # the township above may too
    for name in ("member_a1", "branch_b1", "town_b", "nobody"):
        with pytest.raises(PermissionDenied):
            plan(county.village_a1, county.users[name])
    assert PlannedMeeting.objects.count() == 2


@pytest.mark.parametrize(
    "org_name, change, field, text",
    [
        ("group_a1", {"kind": "theme_day"}, "kind", "不召开主题党日"),
        ("village_a1", {"kind": "group_meeting"}, "kind", "不召开党小组会"),
        ("village_a1", {"kind": "party"}, "kind", "会议类型"),
        ("village_a1", {"planned_on": D(2026, 5, 9)}, "planned_on", "不能早于今天"),
        ("village_a1", {"planned_on": None}, "planned_on", "计划日期"),
        ("village_a1", {"topic": " "}, "topic", "主题"),
    ],
)
def test_a_plan_must_fit_like_a_meeting(county, org_name, change, field, text):
    with pytest.raises(ValidationError) as e:
        plan(getattr(county, org_name), **change)
    assert text in e.value.message_dict[field][0]
    assert not PlannedMeeting.objects.exists()


def test_a_group_plans_its_group_meeting(county):
    assert plan(county.group_a1, kind="group_meeting").kind == "group_meeting"


def test_edit_and_cancel(county):
    secretary = county.users["branch_a1"]
    p = plan(county.village_a1, secretary, planned_on=D(2026, 5, 20))
    p = services.edit_plan(p, actor=secretary, today=TODAY, planned_on=D(2026, 5, 22), place="广场")
    assert (p.planned_on, p.place, p.topic) == (D(2026, 5, 22), "广场", "学习党章")
    with pytest.raises(PermissionDenied):
        services.cancel_plan(p, reason="下雨", actor=county.users["member_a1"])
    with pytest.raises(ValidationError) as e:
        services.cancel_plan(p, reason=" ", actor=secretary, today=TODAY)
    assert "取消原因" in e.value.message_dict["cancel_reason"][0]
    p = services.cancel_plan(p, reason="农忙推迟", actor=secretary, today=TODAY)
    assert (p.cancelled_on, p.cancel_reason, p.status(TODAY)) == (TODAY, "农忙推迟", "cancelled")
    with pytest.raises(ValidationError):
        services.edit_plan(p, actor=secretary, today=TODAY, topic="又开了")
    actions = AuditEvent.objects.filter(target_type="life.plannedmeeting").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["cancel", "create", "update"]


def test_recording_from_a_plan_links_it_and_the_plan_never_counts(county):
    org = county.village_a1
    p = plan(org, planned_on=D(2026, 5, 10))
    assert services.meetings_held(county.root, Period.parse("2026-05")).get("theme_day", 0) == 0
    meeting = services.record_meeting(
        org, kind="theme_day", held_on=TODAY, topic="学习党章", today=TODAY, plan=p.pk
    )
    p.refresh_from_db()
    assert p.meeting == meeting and p.status(TODAY) == "held"
    assert not PlannedMeeting.objects.open().exists()
    assert services.meetings_held(county.root, Period.parse("2026-05"))["theme_day"] == 1
    # Held once: it cannot be recorded from again.
    with pytest.raises(ValidationError) as e:
        services.record_meeting(
            org, kind="theme_day", held_on=D(2026, 5, 9), topic="x", today=TODAY, plan=p.pk
        )
    assert "已召开" in e.value.message_dict["plan"][0]
    # Voiding the meeting opens the plan again.
    services.void_meeting(meeting, reason="录错")
    p.refresh_from_db()
    assert p.meeting is None and p.status(TODAY) == "upcoming"


def test_a_plan_is_recorded_by_its_kind_and_its_organization(county):
    p = plan(county.village_a1, kind="party_lecture", topic="党课")
    with pytest.raises(ValidationError) as e:
        services.record_meeting(
            county.village_a1, kind="theme_day", held_on=TODAY, topic="x", today=TODAY, plan=p
        )
    assert "党课" in e.value.message_dict["kind"][0]
    with pytest.raises(ValidationError) as e:
        services.record_meeting(
            county.village_a2, kind="party_lecture", held_on=TODAY, topic="x",
            lecturer="王老师", today=TODAY, plan=p,
        )  # fmt: skip
    assert "plan" in e.value.message_dict
    assert not Meeting.objects.exists()
    # Also counting as a lecture is enough.
    m = services.record_meeting(
        county.village_a1, kind="theme_day", also_counts_as=["party_lecture"], held_on=TODAY,
        topic="x", lecturer="王老师", today=TODAY, plan=p,
    )  # fmt: skip
    assert m.plans.get() == p


# ---- selectors ------------------------------------------------------------------------------


def topics(qs):
    return sorted(p.topic for p in qs)


def test_who_sees_which_plans(county):
    plan(county.village_a1, topic="甲一")
    plan(county.village_a2, topic="甲二")
    plan(county.village_b1, topic="乙一")
    plan(county.group_a1, kind="group_meeting", topic="小组")
    users = county.users
    assert topics(selectors.visible_plans(users["member_a1"])) == ["甲一"]
    assert topics(selectors.visible_plans(users["branch_b1"])) == ["乙一"]
    assert topics(selectors.visible_plans(users["branch_a1"])) == ["小组", "甲一"]
    assert topics(selectors.visible_plans(users["town_a"])) == ["小组", "甲一", "甲二"]
    assert len(selectors.visible_plans(users["county"])) == 4
    assert not selectors.visible_plans(users["nobody"]).exists()
    # A group's member: the group's plans and its branch's, not another branch's.
    grouped = make_user("member_g", RoleName.MEMBER, county.group_a1)
    assert topics(selectors.visible_plans(grouped)) == ["小组", "甲一"]


def test_upcoming_and_overdue(county):
    a = plan(county.village_a1, topic="早", today=D(2026, 5, 1))
    plan(county.village_a1, topic="晚", planned_on=D(2026, 5, 20))
    c = plan(county.village_a1, topic="取消", planned_on=D(2026, 5, 20))
    services.cancel_plan(c, reason="改期", today=TODAY)
    user = county.users["branch_a1"]
    assert topics(selectors.upcoming_plans(user, county.village_a1, today=TODAY)) == ["晚"]
    assert [p.pk for p in selectors.overdue_plans(user, county.village_a1, today=TODAY)] == [a.pk]
    assert a.status(TODAY) == "overdue"


# ---- desk -----------------------------------------------------------------------------------


def test_the_member_desk_lists_the_branch_next_meetings(county):
    plan(county.village_a1, topic="五月主题党日", planned_on=D(2026, 5, 25), place="村委会",
         planned_at=datetime.time(15, 0))  # fmt: skip
    plan(county.village_a1, topic="已过", today=D(2026, 5, 1))
    plan(county.village_b1, topic="乙一的")
    [item] = desk.branch_next_meetings(county.users["member_a1"], TODAY)
    assert item.title == "本支部近期会议"
    assert [line.text for line in item.lines] == [
        "2026-05-25 15:00 主题党日：五月主题党日（地点：村委会）"
    ]


def test_the_branch_desk_shows_the_planned_date_and_overdue_plans(county):
    plan(county.village_a1, topic="月底", planned_on=D(2026, 5, 28))
    late = plan(county.village_a1, kind="party_lecture", topic="上周的党课", today=D(2026, 5, 3))
    [item] = desk.meetings_to_hold(county.users["branch_a1"], TODAY)
    texts = [line.text for line in item.lines]
    assert texts[0] == "未按计划召开：2026-05-03 党课：上周的党课"
    assert item.lines[0].badge == "late"
    assert item.lines[0].url.endswith(f"?plan={late.pk}")
    [theme] = [t for t in texts if t.startswith("主题党日")]
    assert "计划2026-05-28召开" in theme
    # Another branch's secretary sees none of it.
    [other] = desk.meetings_to_hold(county.users["branch_b1"], TODAY)
    assert not any("计划" in line.text for line in other.lines)


# ---- pages ----------------------------------------------------------------------------------


def test_plan_pages(county):
    client = Client()
    client.force_login(county.users["branch_a1"])
    new = reverse("life:plan_new", args=["TA01"])
    # Every error at once, at the top.
    r = client.post(new, {"kind": "theme_day", "planned_on": "", "topic": ""})
    assert r.status_code == 200
    summary = r.content.decode().split('id="error-summary"')[1].split("</div>")[0]
    assert "请填写计划日期" in summary and "请填写会议主题" in summary
    r = client.post(new, {"kind": "theme_day", "planned_on": "2000-01-01", "topic": "x"})
    assert "不能早于今天" in r.content.decode()
    day = NOW + datetime.timedelta(days=3)
    r = client.post(
        new, {"kind": "theme_day", "planned_on": day.isoformat(), "planned_at": "09:00",
              "place": "会议室", "topic": "下周主题党日"},
    )  # fmt: skip
    assert r.status_code == 302
    p = PlannedMeeting.objects.get()
    page = client.get(reverse("life:meetings", args=["TA01"])).content.decode()
    assert "下周主题党日" in page and f"?plan={p.pk}" in page
    r = client.post(
        reverse("life:plan_edit", args=[p.pk]),
        {"kind": "theme_day", "planned_on": day.isoformat(), "topic": "改了主题"},
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.topic == "改了主题" and p.planned_at is None
    # The form prefilled from the plan, and recorded from it.
    form = client.get(reverse("life:meeting_new", args=["TA01"]) + f"?plan={p.pk}")
    html = form.content.decode()
    assert 'value="改了主题"' in html and f'name="plan" value="{p.pk}"' in html
    members = county.members["TA01"]
    r = client.post(
        reverse("life:meeting_new", args=["TA01"]),
        {"kind": "theme_day", "held_on": NOW.isoformat(), "topic": "改了主题", "plan": p.pk,
         **{f"att_{m.pk}": "present" for m in members}},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    p.refresh_from_db()
    assert p.meeting is not None
    q = services.plan_meeting(county.village_a1, kind="theme_day", planned_on=day, topic="再一次")
    cancel = reverse("life:plan_cancel", args=[q.pk])
    assert "请填写取消原因" in client.post(cancel, {"cancel_reason": ""}).content.decode()
    assert client.post(cancel, {"cancel_reason": "改期"}).status_code == 302
    q.refresh_from_db()
    assert q.cancel_reason == "改期"


def test_members_see_plans_but_do_not_change_them(county):
    p = services.plan_meeting(
        county.village_a1, kind="theme_day", planned_on=NOW, topic="本支部的计划"
    )
    client = Client()
    client.force_login(county.users["member_a1"])
    page = client.get(reverse("life:meetings", args=["TA01"])).content.decode()
    assert "本支部的计划" in page and reverse("life:plan_edit", args=[p.pk]) not in page
    assert client.get(reverse("life:plan_new", args=["TA01"])).status_code == 403
    assert client.post(reverse("life:plan_cancel", args=[p.pk])).status_code == 403
    client.force_login(county.users["branch_b1"])
    assert client.get(reverse("life:plan_edit", args=[p.pk])).status_code == 404


# ---- API ------------------------------------------------------------------------------------


def api(user):
    client, headers = Client(), {"Authorization": f"Bearer {tokens.create(user)[1]}"}

    def call(method, path, body=None, **params):
        if method == "get":
            return client.get(f"/api/life{path}", params, headers=headers)
        return client.post(
            f"/api/life{path}", json.dumps(body or {}), content_type="application/json",
            headers=headers,
        )  # fmt: skip

    return call


def test_plans_api(county):
    secretary = api(county.users["branch_a1"])
    day = (NOW + datetime.timedelta(days=5)).isoformat()
    body = {"organization": "ta01", "kind": "theme_day", "planned_on": day, "topic": "主题党日"}
    r = secretary("post", "/plans", body)
    assert r.status_code == 201, r.content
    created = r.json()
    assert (created["organization"], created["status"], created["kind_label"]) == (
        "TA01",
        "upcoming",
        "主题党日",
    )
    services.plan_meeting(county.village_b1, kind="theme_day", planned_on=NOW, topic="乙一")
    member = api(county.users["member_a1"])
    r = member("get", "/plans")
    assert [p["topic"] for p in r.json()["items"]] == ["主题党日"]
    assert member("post", "/plans", body).status_code == 403
    # Errors name the field.
    for change, field in (
        ({"organization": "ta0101"}, "kind"),
        ({"planned_on": "2000-01-01"}, "planned_on"),
        ({"topic": ""}, "topic"),
    ):
        r = secretary("post", "/plans", body | change)
        assert r.status_code == 422, r.content
        assert [e["field"] for e in r.json()["detail"]] == [field]
    r = secretary("post", f"/plans/{created['id']}/cancel", {"reason": ""})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "reason"
    r = secretary("post", f"/plans/{created['id']}/cancel", {"reason": "改期"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert secretary("get", "/plans").json()["items"] == []
    assert len(secretary("get", "/plans", status="all").json()["items"]) == 1
    assert api(county.users["branch_b1"])("post", f"/plans/{created['id']}/cancel",
                                          {"reason": "x"}).status_code == 404  # fmt: skip


# ---- demo -----------------------------------------------------------------------------------


def test_the_demo_plans_the_coming_weeks(county):
    from dangjian.demo import activity
    from dangjian.life import rules

    today = D(2026, 11, 23)
    made = activity.generate(seed=4, today=today)
    rows = list(PlannedMeeting.objects.select_related("organization").order_by("pk"))
    assert made["planned_meetings"] == len(rows) >= 2
    assert all(p.planned_on >= today and p.meeting_id is None for p in rows)
    assert all(rules.fits(p.kind, p.organization.kind) for p in rows)
    assert any(p.planned_on.month == 12 and p.kind == "theme_day" for p in rows)
    cancelled = [p for p in rows if p.cancelled_on]
    assert all(p.cancel_reason and p.cancelled_on < today for p in cancelled)
    assert 0 < len(cancelled) < len(rows)
    assert selectors.upcoming_plans(county.users["county"], today=today).count() == len(rows) - len(
        cancelled
    )


def test_plan_errors_in_english(county):
    from django.utils.translation import override

    with override("en"), pytest.raises(ValidationError) as e:
        plan(county.village_a1, planned_on=D(2026, 5, 1))
    assert e.value.message_dict["planned_on"] == ["The planned date cannot be before today"]


def test_a_plan_has_its_history_page(county):
    p = plan(county.village_a1, planned_on=NOW, today=NOW)
    services.cancel_plan(p, reason="改期")
    client = Client()
    client.force_login(county.users["branch_a1"])
    html = client.get(reverse("core:history", args=["plan", p.pk])).content.decode()
    assert "改期" in html or "取消" in html
    client.force_login(county.users["branch_b1"])
    assert client.get(reverse("core:history", args=["plan", p.pk])).status_code == 404
