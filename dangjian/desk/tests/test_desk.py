"""The work desk: the registry, each app's items from the records, the page per role, and
the 催报 action."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import AuditEvent, Reminder
from dangjian.desk import registry
from dangjian.desk.reminders import reminders_provider
from dangjian.health import desk as health_desk
from dangjian.life import desk as life_desk
from dangjian.life import services as life_services
from dangjian.members import desk as members_desk
from dangjian.tasks import desk as tasks_desk
from dangjian.tasks import services as task_services
from dangjian.testing import add_member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def assign(county, title="乡村振兴晒账", days=10):
    return task_services.issue(
        county.root,
        title=title,
        content="内容",
        starts_on=TODAY,
        deadline=TODAY + datetime.timedelta(days=days),
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=[],
    )


def texts(items):
    return [line.text for item in items for line in item.lines]


# ---- registry ------------------------------------------------------------------------------


def test_register_refuses_unknown_roles_and_badges():
    with pytest.raises(ValueError):
        registry.register("x", lambda u, t: [], roles=("boss",))
    with pytest.raises(ValueError):
        registry.Line("x", badge="urgent")


def test_desk_roles_follow_the_users_roles(county):
    u = county.users
    assert registry.desk_roles(u["county"]) == [registry.UPPER]
    assert registry.desk_roles(u["town_a"]) == [registry.UPPER]
    assert registry.desk_roles(u["branch_a1"]) == [registry.BRANCH]
    assert registry.desk_roles(u["member_a1"]) == [registry.MEMBER]
    assert registry.desk_roles(u["nobody"]) == []


def test_a_provider_of_several_roles_is_called_once(county, monkeypatch):
    calls = []
    monkeypatch.setattr(registry, "ENTRIES", {})
    registry.register(
        "t.x", lambda u, t: calls.append(1) or [registry.Item("X")], roles=("branch", "member")
    )
    from dangjian.accounts.models import Role, RoleName

    Role.objects.create(
        user=county.users["branch_a1"], organization=county.village_a1, name=RoleName.MEMBER
    )
    user = type(county.users["branch_a1"]).objects.get(pk=county.users["branch_a1"].pk)
    sections = registry.sections(user, TODAY)
    assert [s["role"] for s in sections] == ["branch", "member"]
    assert [len(s["items"]) for s in sections] == [1, 0]
    assert calls == [1]


# ---- tasks ---------------------------------------------------------------------------------


def test_branch_sees_its_report_back_to_do_and_the_county_what_is_not_in(county):
    assignment = assign(county)
    [item] = tasks_desk.report_backs_to_do(county.users["branch_a1"], TODAY)
    assert item.count == 1 and "乡村振兴晒账" in item.lines[0].text
    rb = assignment.report_backs.get(organization=county.village_a1)
    assert item.lines[0].url == reverse("tasks:report", args=[rb.pk])
    # Near the deadline, then past it.
    [soon] = tasks_desk.report_backs_to_do(
        county.users["branch_a1"], TODAY + datetime.timedelta(days=5)
    )
    assert soon.lines[0].badge == "due"
    [late] = tasks_desk.report_backs_to_do(
        county.users["branch_a1"], TODAY + datetime.timedelta(days=11)
    )
    assert late.lines[0].badge == "late"
    rb.status = "returned"
    rb.save(update_fields=["status"])
    [returned] = tasks_desk.report_backs_to_do(county.users["branch_a1"], TODAY)
    assert returned.lines[0].badge == "returned"

    [below] = tasks_desk.report_backs_below(county.users["county"], TODAY)
    assert below.count == 1
    line = below.lines[0]
    assert "3个组织未报" in line.text
    assert line.url == reverse("tasks:board", args=[assignment.pk])
    assert line.post_url == reverse("tasks:urge", args=[assignment.pk])
    # The township did not issue it: the county's to follow up, not the township's.
    [town] = tasks_desk.report_backs_below(county.users["town_a"], TODAY)
    assert town.count == 0


def test_urge_reminds_the_receivers_not_in_once_a_day(client, county):
    assignment = assign(county)
    done = assignment.report_backs.get(organization=county.village_b1)
    done.status = "reported"
    done.save(update_fields=["status"])
    client.force_login(county.users["county"])
    response = client.post(reverse("tasks:urge", args=[assignment.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("desk:home")
    urged = Reminder.objects.filter(key__contains=":urge:")
    assert set(urged.values_list("organization", flat=True)) == {
        county.village_a1.pk,
        county.village_a2.pk,
    }
    assert AuditEvent.objects.filter(action="urge").count() == 1
    client.post(reverse("tasks:urge", args=[assignment.pk]))
    assert urged.count() == 2  # not twice the same day
    # The branch reads it on its desk.
    [item] = reminders_provider(county.users["branch_a1"], TODAY)
    assert any("催报" in line.text for line in item.lines)


def test_only_the_issuers_managers_may_urge(client, county):
    assignment = assign(county)
    client.force_login(county.users["town_a"])
    assert client.post(reverse("tasks:urge", args=[assignment.pk])).status_code == 403
    assert not Reminder.objects.filter(key__contains=":urge:").exists()


def test_member_sees_own_branchs_report_back(county):
    assign(county)
    items = tasks_desk.my_organization_tasks(county.users["member_a1"], TODAY)
    assert len(texts(items)) == 1 and texts(items)[0].startswith("乡村振兴晒账：")
    assert items[0].count == 1


# ---- members -------------------------------------------------------------------------------


def test_probationers_due_and_overdue(county):
    due = add_member(
        county.village_a1,
        name="预备甲",
        status="probationary",
        full_on=None,
        joined_on=TODAY - datetime.timedelta(days=350),
    )
    overdue = add_member(
        county.village_a1,
        name="预备乙",
        status="probationary",
        full_on=None,
        joined_on=TODAY - datetime.timedelta(days=400),
    )
    add_member(
        county.village_a1,
        name="预备丙",
        status="probationary",
        full_on=None,
        joined_on=TODAY - datetime.timedelta(days=100),
    )
    [item] = members_desk.conversions_for_branch(county.users["branch_a1"], TODAY)
    assert item.count == 2
    assert {(line.url, line.badge) for line in item.lines} == {
        (reverse("members:detail", args=[due.pk]), "due"),
        (reverse("members:detail", args=[overdue.pk]), "late"),
    }
    [below] = members_desk.conversions_overdue_below(county.users["county"], TODAY)
    assert below.count == 1 and "预备乙" in below.lines[0].text
    [other] = members_desk.conversions_overdue_below(county.users["town_b"], TODAY)
    assert other.count == 0


# ---- life ----------------------------------------------------------------------------------


def test_meetings_to_hold_lead_to_recording_one(county):
    [item] = life_desk.meetings_to_hold(county.users["branch_a1"], TODAY)
    assert item.lines, "a village branch has monthly meetings to hold"
    new = reverse("life:meeting_new", args=["TA01"])
    assert item.action_url == new and all(line.url == new for line in item.lines)
    before = len(item.lines)
    life_services.record_meeting(
        county.village_a1, kind="theme_day", held_on=TODAY, topic="主题党日"
    )
    [after] = life_desk.meetings_to_hold(county.users["branch_a1"], TODAY)
    assert len(after.lines) == before - 1


def test_members_who_did_not_attend_for_six_months(county):
    a, b, c = county.members["TA01"]
    [item] = [i for i in life_desk.members_not_attending(county.users["branch_a1"], TODAY)] or [
        None
    ]
    assert item is None  # no meeting held: nothing to say
    life_services.record_meeting(
        county.village_a1,
        kind="theme_day",
        held_on=TODAY,
        topic="学习",
        attendance=[(a.pk, "present", ""), (b.pk, "leave", "外出"), (c.pk, "absent", "")],
    )
    [item] = life_desk.members_not_attending(county.users["branch_a1"], TODAY)
    assert {line.text for line in item.lines} == {b.name, c.name}


def test_county_sees_organizations_below_with_meetings_missing(county):
    [item] = life_desk.meetings_missing_below(county.users["county"], TODAY)
    names = {line.text.split("：")[0] for line in item.lines}
    assert {"甲一村党支部", "甲二村党支部", "乙一村党支部"} <= names
    assert item.count == len(item.lines)
    [town] = life_desk.meetings_missing_below(county.users["town_b"], TODAY)
    assert {line.text.split("：")[0] for line in town.lines} == {"乙一村党支部"}


def test_member_sees_own_meetings_and_review(county):
    a, b, _c = county.members["TA01"]  # a is member_a1's own record
    m = life_services.record_meeting(
        county.village_a1,
        kind="theme_day",
        held_on=TODAY,
        topic="学习党章",
        attendance=[(a.pk, "present", ""), (b.pk, "present", "")],
    )
    attended, reviews = life_desk.my_meetings_and_reviews(county.users["member_a1"], TODAY)
    assert attended.count == 1 and attended.lines[0].url == reverse("life:meeting", args=[m.pk])
    assert reviews.count == 0


# ---- health --------------------------------------------------------------------------------


def test_term_end_within_six_months_and_elections_below(county):
    org = county.village_a1
    org.term_started_on = TODAY.replace(year=TODAY.year - 5) + datetime.timedelta(days=60)
    org.save(update_fields=["term_started_on"])
    [item] = health_desk.term_end(county.users["branch_a1"], TODAY)
    assert len(item.lines) == 1 and item.lines[0].badge == "due"
    assert item.lines[0].url == reverse("health:elections", args=["TA01"])
    [below] = health_desk.elections_below(county.users["town_a"], TODAY)
    assert any("甲一村党支部" in t for t in texts([below]))
    [other] = health_desk.elections_below(county.users["town_b"], TODAY)
    assert not any("甲一村党支部" in t for t in texts([other]))


# ---- the page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            "county",
            ["下级情况", "下级未报的晒账单", "缺开会议"],
            ["本组织待办", "我的民主评议结果"],
        ),
        ("town_a", ["下级情况", "应换届和逾期未换届的组织"], ["我的民主评议结果"]),
        (
            "branch_a1",
            ["本组织待办", "本月、本季度待开的会议", "记录会议", "待报送的晒账单"],
            ["下级情况"],
        ),
        (
            "member_a1",
            ["我的", "今年参加的组织生活", "我的民主评议结果"],
            ["下级情况", "本组织待办"],
        ),
    ],
)
def test_desk_page_per_role(client, county, role, shown, hidden):
    assign(county)
    client.force_login(county.users[role])
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in shown:
        assert text in body, text
    for text in hidden:
        assert text not in body, text
    assert "本组织概况" in body and reverse("orgs:home") in body


def test_login_lands_on_the_desk_and_anonymous_goes_to_login(client, county):
    assert client.get("/").status_code == 302
    response = client.post(
        reverse("accounts:login"), {"username": "branch_a1", "password": "pass12345"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
