"""/api/service/: a visit with its concerns through the ledger to solved, the same refusals
as the pages (no outcome, bad input named by field), and every route scoped to the subtree."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.accounts import tokens
from dangjian.orgs import services as org_services
from dangjian.service import services
from dangjian.service.models import (
    Concern,
    ContactPoint,
    ServicePost,
    Suggestion,
    WorkTeam,
    WorkTeamMember,
)

pytestmark = pytest.mark.django_db
D = datetime.date


class Api:
    def __init__(self, user):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {tokens.create(user)[1]}"}

    def get(self, path, params=None):
        return self.client.get(f"/api/service{path}", params or {}, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(
            f"/api/service{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )


VISIT = {
    "org": "TA01",
    "visitor": "王书记",
    "household": "李大爷家",
    "visited_on": "2026-11-02",
    "findings": "房屋漏雨",
    "concerns": [
        {"category": "practical", "content": "屋顶修缮", "owner": "村委会", "due_on": "2026-11-30"},
        {"category": "dispute", "content": "宅基地纠纷", "owner": "调解员", "due_on": "2026-11-20"},
    ],
}


def test_a_visit_and_its_concerns_through_the_api(county):
    api = Api(county.users["branch_a1"])
    created = api.post("/visits", VISIT)
    assert created.status_code == 201, created.content
    assert [c["category"] for c in created.json()["concerns"]] == ["practical", "dispute"]
    ledger = api.get("/concerns", {"category": "dispute", "status": "open"}).json()
    assert [c["content"] for c in ledger["items"]] == ["宅基地纠纷"]
    cid = ledger["items"][0]["id"]
    refused = api.post(f"/concerns/{cid}/close", {"outcome": " "})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "outcome"
    assert (
        api.post(f"/concerns/{cid}/follow", {"text": "上门调解"}).json()["status"] == "in_progress"
    )
    done = api.post(f"/concerns/{cid}/close", {"outcome": "双方达成协议"})
    assert done.status_code == 200 and done.json()["status"] == "solved"


def test_bad_input_is_named_by_field_and_writes_nothing(county):
    api = Api(county.users["branch_a1"])
    bad = {**VISIT, "household": "", "concerns": [{**VISIT["concerns"][0], "owner": ""}]}
    response = api.post("/visits", bad)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert {"household", "concerns.1.owner"} <= fields, response.json()
    assert Concern.objects.count() == 0
    p = api.post(
        "/pledges",
        {"org": "TA01", "content": "承诺", "beneficiary": "群众", "due_on": "2026-12-01"},
    )
    assert p.status_code == 201
    refused = api.post(f"/pledges/{p.json()['id']}/close", {"done": True, "evidence": ""})
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "evidence"


def test_every_route_is_scoped_to_the_subtree(county):
    user = county.users["branch_a1"]
    member = county.members["TA01"][0]
    pledge = services.make_pledge(
        user, county.village_a1, content="甲村承诺", beneficiary="群众", due_on=D(2026, 12, 1)
    )
    visit = services.record_visit(
        user,
        county.village_a1,
        visitor="王",
        household="甲村李家",
        visited_on=D(2026, 11, 1),
        findings="情况",
        concerns=[
            {"category": "other", "content": "甲村民情", "owner": "村委", "due_on": D(2026, 12, 1)}
        ],
        today=D(2026, 12, 1),
    )
    concern = visit.concerns.get()
    proxy = services.open_proxy(
        user,
        county.village_a1,
        resident="甲村赵奶奶",
        group="elderly",
        matter="甲村代办",
        handler="会计",
    )
    suggestion = services.submit_suggestion(
        county.users["member_a1"], member, title="甲村建议", content="内容"
    )
    outsider = Api(county.users["branch_b1"])
    for path in ("/pledges", "/visits", "/concerns", "/proxy", "/suggestions", "/teams"):
        text = outsider.get(path).content.decode()
        assert not any(
            s in text for s in ("甲村承诺", "甲村李家", "甲村民情", "甲村赵奶奶", "甲村建议")
        ), path
    for method, path, body in (
        ("get", f"/concerns/{concern.pk}", None),
        ("post", f"/concerns/{concern.pk}/follow", {"text": "x"}),
        ("post", f"/concerns/{concern.pk}/close", {"outcome": "x"}),
        ("post", f"/pledges/{pledge.pk}/close", {"done": True, "evidence": "x"}),
        ("post", f"/proxy/{proxy.pk}/steps", {"text": "x"}),
        ("post", f"/suggestions/{suggestion.pk}/reply", {"reply": "x"}),
    ):
        response = outsider.get(path) if method == "get" else outsider.post(path, body)
        assert response.status_code == 404, (path, response.content)
    for path, body in (
        ("/pledges", {"org": "TA01", "content": "x", "beneficiary": "y", "due_on": "2026-12-01"}),
        ("/visits", VISIT),
    ):
        response = outsider.post(path, body)
        assert response.status_code == 422 and response.json()["detail"][0]["field"] == "org"
    # A member sees no resident's data, but their branch's pledges and their own suggestion.
    mine = Api(county.users["member_a1"])
    assert mine.get("/concerns").json()["items"] == []
    assert mine.get("/proxy").json()["items"] == []
    assert [p["content"] for p in mine.get("/pledges").json()["items"]] == ["甲村承诺"]
    assert [s["title"] for s in mine.get("/suggestions").json()["items"]] == ["甲村建议"]
    assert outsider.post("/posts/999999/claim").status_code == 404
    assert (
        outsider.post(
            "/claims/999999/records",
            {"served_on": "2026-12-01", "hours": 1, "people_served": 1, "content": "x"},
        ).status_code
        == 404
    )


# ---- the writes of posts, suggestions, work teams and contact points -----------------------


def fields_of(response):
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["detail"]}


@pytest.fixture
def community(county):
    return org_services.create_child(
        county.town_a,
        code="TA03",
        name="甲镇新区社区党支部",
        kind="branch",
        level="community",
        sector="community",
    )


POST = {"org": "TA03", "title": "楼栋联络员", "duties": "联系住户，收集诉求", "places": 2}


def test_a_community_publishes_a_post_and_a_member_claims_it(county, community):
    api = Api(county.users["town_a"])
    created = api.post("/posts", POST)
    assert created.status_code == 201, created.content
    post = created.json()
    assert (post["organization"], post["title"], post["places"], post["claimed"]) == (
        "TA03",
        "楼栋联络员",
        2,
        0,
    )
    assert ServicePost.objects.get(pk=post["id"]).year == timezone.localdate().year
    claimed = Api(county.users["member_a1"]).post(f"/posts/{post['id']}/claim")
    assert claimed.status_code == 201, claimed.content


def test_publishing_a_post_names_the_bad_field_and_writes_nothing(county, community):
    api = Api(county.users["town_a"])
    errors = fields_of(api.post("/posts", {**POST, "title": " ", "duties": ""}))
    assert errors["title"] == "请填写岗位名称" and errors["duties"] == "请填写岗位职责"
    assert "认领人数上限" in fields_of(api.post("/posts", {**POST, "places": 0}))["places"]
    errors = fields_of(api.post("/posts", {**POST, "org": "TA01"}))
    assert errors == {"organization": "服务岗位由社区党组织发布，“甲一村党支部”不是社区"}
    assert not ServicePost.objects.exists()


@pytest.mark.parametrize("user", ["town_b", "branch_b1"])
def test_another_township_cannot_publish_a_post(county, community, user):
    errors = fields_of(Api(county.users[user]).post("/posts", POST))
    assert list(errors) == ["org"] and "不在您的管辖范围内" in errors["org"]
    # A plain member sees their branch, but may not publish in its name.
    refused = Api(county.users["member_a1"]).post("/posts", {**POST, "org": "TA01"})
    assert refused.status_code == 403 and refused.json()["detail"].startswith("您无权")
    assert not ServicePost.objects.exists()


def test_a_member_submits_a_suggestion_and_the_branch_groups_it(county):
    member = Api(county.users["member_a1"])
    first = member.post("/suggestions", {"title": "修建文化广场", "content": "缺少活动场地"})
    second = member.post("/suggestions", {"title": "路灯", "content": "村东头路灯坏了"})
    assert first.status_code == second.status_code == 201, first.content
    assert (first.json()["organization"], first.json()["status"]) == ("TA01", "open")
    assert first.json()["member_id"] == county.members["TA01"][0].pk
    ids = [first.json()["id"], second.json()["id"]]
    body = {"org": "TA01", "topic": "基础设施", "meeting_on": "2026-11-05", "suggestions": ids}
    grouped = Api(county.users["branch_a1"]).post("/suggestions/group", body)
    assert grouped.status_code == 200, grouped.content
    out = grouped.json()
    assert out["grouped"] == 2 and out["topic"] == "基础设施"
    assert [(s["id"], s["topic"], s["meeting_on"]) for s in out["suggestions"]] == [
        (i, "基础设施", "2026-11-05") for i in ids
    ]
    assert set(Suggestion.objects.values_list("topic", flat=True)) == {"基础设施"}


def test_suggestion_bad_input_is_named_and_only_members_submit(county):
    member = Api(county.users["member_a1"])
    assert fields_of(member.post("/suggestions", {"title": "", "content": " "})) == {
        "title": "请填写建议题目",
        "content": "请填写建议内容",
    }
    assert "建议题目" in fields_of(member.post("/suggestions", {"content": "x"}))["title"]
    refused = Api(county.users["branch_b1"]).post("/suggestions", {"title": "x", "content": "y"})
    assert refused.status_code == 403 and refused.json()["detail"] == "只有党员本人可以提出建议"
    assert not Suggestion.objects.exists()
    s = services.submit_suggestion(
        county.users["member_a1"], county.members["TA01"][0], title="甲村建议", content="内容"
    )
    secretary = Api(county.users["branch_a1"])
    body = {"org": "TA01", "topic": "", "meeting_on": "2999-01-01", "suggestions": []}
    errors = fields_of(secretary.post("/suggestions/group", body))
    assert set(errors) == {"topic", "meeting_on", "suggestions"}
    assert errors["meeting_on"] == "会议日期不能晚于今天"
    body = {"org": "TA01", "topic": "议题", "meeting_on": "2026-11-05", "suggestions": [999999]}
    assert (
        "不在您的管辖范围内" in fields_of(secretary.post("/suggestions/group", body))["suggestions"]
    )
    s.refresh_from_db()
    assert s.topic == "" and s.meeting_on is None


def test_another_township_cannot_group_a_branchs_suggestions(county):
    s = services.submit_suggestion(
        county.users["member_a1"], county.members["TA01"][0], title="甲村建议", content="内容"
    )
    outsider = Api(county.users["town_b"])
    body = {"org": "TA01", "topic": "议题", "meeting_on": "2026-11-05", "suggestions": [s.pk]}
    errors = fields_of(outsider.post("/suggestions/group", body))
    assert list(errors) == ["org"] and "不在您的管辖范围内" in errors["org"]
    errors = fields_of(outsider.post("/suggestions/group", {**body, "org": "TB01"}))
    assert list(errors) == ["suggestions"] and "甲村建议" not in str(errors)
    # Grouped by a branch of its own township, but filed with another branch: refused too.
    errors = fields_of(
        Api(county.users["town_a"]).post("/suggestions/group", {**body, "org": "TA02"})
    )
    assert errors["suggestions"] == "只能归类本组织的建议"
    s.refresh_from_db()
    assert s.topic == ""


TEAM = {
    "org": "TA01",
    "name": "县人社局驻甲一村工作队",
    "unit": "县人社局",
    "starts_on": "2025-01-01",
    "ends_on": "2026-12-31",
    "people": [
        {"name": "陈第一书记", "role": "first_secretary", "work_phone": "0370-1234567"},
        {"name": "刘队员", "role": "member", "unit": "县人社局科员", "work_phone": "0370-7654321"},
    ],
}


def test_a_work_team_is_sent_and_its_term_extended(county):
    api = Api(county.users["town_a"])
    created = api.post("/teams", TEAM)
    assert created.status_code == 201, created.content
    team = created.json()
    assert (team["organization"], team["extended_to"]) == ("TA01", None)
    assert [(p["name"], p["role"]) for p in team["people"]] == [
        ("陈第一书记", "first_secretary"),
        ("刘队员", "member"),
    ]
    extended = api.post(f"/teams/{team['id']}/extend", {"extended_to": "2027-12-31"})
    assert extended.status_code == 200, extended.content
    assert extended.json()["extended_to"] == "2027-12-31"
    assert WorkTeam.objects.get().term_end == D(2027, 12, 31)


def test_work_team_bad_input_is_named_and_writes_nothing(county):
    api = Api(county.users["town_a"])
    bad = {
        **TEAM,
        "name": " ",
        "ends_on": "2024-12-31",
        "people": [{"name": "陈", "role": "first_secretary", "work_phone": "无"}],
    }
    errors = fields_of(api.post("/teams", bad))
    assert {"name", "ends_on", "people.1.work_phone"} <= set(errors), errors
    assert errors["people.1.work_phone"].startswith("第1名队员：")
    assert fields_of(api.post("/teams", {**TEAM, "people": []})) == {
        "people": "请至少填写一名队员或第一书记"
    }
    assert (
        "职务"
        in fields_of(
            api.post("/teams", {**TEAM, "people": [{**TEAM["people"][0], "role": "boss"}]})
        )["people.0.role"]
    )
    assert not WorkTeam.objects.exists() and not WorkTeamMember.objects.exists()
    team = api.post("/teams", TEAM).json()
    assert "extended_to" in fields_of(
        api.post(f"/teams/{team['id']}/extend", {"extended_to": "2026-01-01"})
    )
    assert "extended_to" in fields_of(api.post(f"/teams/{team['id']}/extend", {}))
    assert WorkTeam.objects.get().extended_to is None


def test_another_township_cannot_send_or_extend_a_work_team(county):
    outsider = Api(county.users["town_b"])
    errors = fields_of(outsider.post("/teams", TEAM))
    assert list(errors) == ["org"] and "不在您的管辖范围内" in errors["org"]
    assert not WorkTeam.objects.exists()
    team = Api(county.users["town_a"]).post("/teams", TEAM).json()
    for user in ("town_b", "branch_b1", "nobody"):
        response = Api(county.users[user]).post(
            f"/teams/{team['id']}/extend", {"extended_to": "2027-12-31"}
        )
        assert response.status_code == 404, (user, response.content)
        assert "甲一村" not in response.content.decode()
    # The member sees the team of their village, but may not extend it.
    refused = Api(county.users["member_a1"]).post(
        f"/teams/{team['id']}/extend", {"extended_to": "2027-12-31"}
    )
    assert refused.status_code == 403
    assert WorkTeam.objects.get().extended_to is None


POINT = {
    "org": "TA",
    "leader_name": "张镇长",
    "leader_post": "镇长",
    "point": "TA01",
    "since": "2026-01-01",
}


def test_a_leader_records_a_contact_point(county):
    created = Api(county.users["town_a"]).post("/contact-points", POINT)
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["organization"], out["point"], out["point_level"], out["until"]) == (
        "TA",
        "TA01",
        "village",
        None,
    )
    assert ContactPoint.objects.get().leader_name == "张镇长"


def test_contact_point_bad_input_is_named_and_writes_nothing(county):
    api = Api(county.users["town_a"])
    errors = fields_of(
        api.post("/contact-points", {**POINT, "leader_name": "", "until": "2025-12-31"})
    )
    assert errors == {"leader_name": "请填写领导姓名", "until": "联系结束不能早于联系开始"}
    assert "联系开始" in fields_of(api.post("/contact-points", {**POINT, "since": "去年"}))["since"]
    assert not ContactPoint.objects.exists()


def test_another_township_cannot_record_a_contact_point_in_township_a(county):
    outsider = Api(county.users["town_b"])
    errors = fields_of(outsider.post("/contact-points", POINT))
    assert list(errors) == ["org"] and "不在您的管辖范围内" in errors["org"]
    errors = fields_of(outsider.post("/contact-points", {**POINT, "org": "TB"}))
    assert list(errors) == ["point"] and "不在您的管辖范围内" in errors["point"]
    # Township A names its own organization, but a point in township B.
    errors = fields_of(
        Api(county.users["town_a"]).post("/contact-points", {**POINT, "point": "TB01"})
    )
    assert list(errors) == ["point"]
    assert not ContactPoint.objects.exists()


def test_the_new_messages_follow_the_callers_language(county):
    api = Api(county.users["branch_a1"])
    api.headers["Accept-Language"] = "en"
    body = {"org": "TA01", "topic": "议题", "meeting_on": "2026-11-05", "suggestions": [999999]}
    assert fields_of(api.post("/suggestions/group", body)) == {
        "suggestions": "Suggestion not found, or outside your jurisdiction"
    }
    assert fields_of(api.post("/teams", {"org": "TA01"}))["name"].endswith("“Team name” is missing")
