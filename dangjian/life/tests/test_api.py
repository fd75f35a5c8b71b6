"""/api/life/: meetings (list, detail, record, void), compliance, reviews and talks — the
same records, checks and messages as the pages; 404 outside the caller's subtree; errors
name the field in the caller's language."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.accounts import tokens
from dangjian.core.periods import Period
from dangjian.life import services
from dangjian.life.models import Meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_MONTH = TODAY.replace(day=1) - datetime.timedelta(days=1)


class Api:
    def __init__(self, user=None, language=None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            self.headers["Authorization"] = f"Bearer {tokens.create(user)[1]}"
        if language:
            self.headers["Accept-Language"] = language

    def get(self, path, params=None):
        return self.client.get(f"/api/life{path}", params or {}, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(
            f"/api/life{path}",
            data=json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def api(county):
    def make(role, language=None):
        return Api(county.users[role], language)

    return make


def record(org, kind="theme_day", held_on=None, **extra):
    return services.record_meeting(
        org, kind=kind, held_on=held_on or TODAY, topic=extra.pop("topic", "学习"), **extra
    )


def meeting_body(county, **change):
    a, b, c = county.members["TA01"]
    return {
        "organization": "ta01",
        "kind": "theme_day",
        "held_on": TODAY.isoformat(),
        "topic": "学习党章",
        "place": "村委会",
        "host": a.pk,
        "attendance": [
            {"member": a.pk, "status": "present"},
            {"member": b.pk, "status": "leave", "reason": "外出务工"},
            {"member": c.pk, "status": "absent"},
        ],
    } | change


def only_error(response):
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    return error["field"], error["message"]


# ---- meetings -------------------------------------------------------------------------------


def test_meeting_list_filters_like_the_page(api, county):
    record(county.village_a1, topic="甲一主题党日")
    record(county.village_a2, kind="party_lecture", topic="甲二党课", lecturer="李")
    record(county.village_a1, held_on=LAST_MONTH, topic="上月主题党日")
    record(county.village_b1, topic="乙一主题党日")
    town_a = api("town_a")
    response = town_a.get("/meetings", {"org": "TA"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert {m["topic"] for m in body["items"]} == {"甲一主题党日", "甲二党课", "上月主题党日"}
    kinds = town_a.get("/meetings", {"org": "TA", "kind": "party_lecture"}).json()
    assert [m["topic"] for m in kinds["items"]] == ["甲二党课"]
    period = town_a.get("/meetings", {"period": str(Period.month_of(LAST_MONTH))}).json()
    assert [m["topic"] for m in period["items"]] == ["上月主题党日"]
    # Without org: everything the caller may see.
    assert town_a.get("/meetings").json()["count"] == 3


def test_record_meeting_then_read_it_with_its_counts(api, county):
    branch = api("branch_a1")
    response = branch.post("/meetings", meeting_body(county))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["organization"] == "TA01" and data["kind_label"] == "主题党日"
    assert (data["expected"], data["present"], data["leave"], data["absent"]) == (3, 1, 1, 1)
    assert data["attendance_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert data["host_name"] == county.members["TA01"][0].name
    assert [a["status"] for a in data["attendance_list"]] == ["present", "leave", "absent"]
    detail = branch.get(f"/meetings/{data['id']}").json()
    assert detail == data
    listed = branch.get("/meetings", {"org": "TA01"}).json()["items"]
    assert [m["id"] for m in listed] == [data["id"]]


def test_record_meeting_refuses_what_the_page_refuses(api, county):
    branch = api("branch_a1")
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    field, message = only_error(branch.post("/meetings", meeting_body(county, held_on=tomorrow)))
    assert (field, message) == ("held_on", "召开日期不能晚于今天：会议开过以后再登记")
    field, message = only_error(branch.post("/meetings", meeting_body(county, topic=" ")))
    assert (field, message) == ("topic", "请填写会议主题")
    field, message = only_error(
        branch.post("/meetings", meeting_body(county, kind="party_lecture"))
    )
    assert (field, message) == (
        "lecturer_member",
        "党课请填写授课人：选择本组织党员，或填写外请授课人的姓名",
    )
    outsider = county.members["TB01"][0]
    body = meeting_body(county, attendance=[{"member": outsider.pk, "status": "present"}])
    field, message = only_error(branch.post("/meetings", body))
    assert field == "attendance" and "不能列为参会人员" in message
    assert outsider.name not in message and f"编号{outsider.pk}" in message
    field, message = only_error(branch.post("/meetings", meeting_body(county, host=outsider.pk)))
    assert field == "host" and outsider.name not in message
    field, message = only_error(branch.post("/meetings", meeting_body(county, organization="TB01")))
    assert field == "organization" and "TB01" in message
    assert not Meeting.objects.exists()
    assert branch.post("/meetings", meeting_body(county)).status_code == 201
    field, message = only_error(branch.post("/meetings", meeting_body(county)))
    assert field == "held_on" and "请勿重复登记" in message


def test_validation_errors_name_the_field_in_chinese_and_english(api, county):
    body = meeting_body(county, kind="party")
    field, message = only_error(api("branch_a1").post("/meetings", body))
    assert field == "kind" and message.startswith("会议类型的取值不在可选范围内")
    field, message = only_error(api("branch_a1", "en").post("/meetings", body))
    assert field == "kind" and message.startswith("Meeting type is not one of the allowed values")
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    body = meeting_body(county, held_on=tomorrow)
    field, message = only_error(api("branch_a1", "en").post("/meetings", body))
    assert field == "held_on" and "cannot be later than today" in message
    field, message = only_error(api("town_a", "en").get("/reviews", {"year": 1999}))
    assert (field, message) == ("year", "Year cannot be less than 2000")
    field, message = only_error(api("town_a").get("/meetings", {"period": "2026-13"}))
    assert field == "period"


def test_member_role_reads_but_cannot_record(api, county):
    meeting = record(county.village_a1)
    member = api("member_a1")
    assert member.get(f"/meetings/{meeting.pk}").status_code == 200
    assert member.post("/meetings", meeting_body(county)).status_code == 403
    response = member.post(f"/meetings/{meeting.pk}/void", {"reason": "录错"})
    assert response.status_code == 403
    assert Meeting.objects.count() == 1 and not Meeting.objects.get().voided_on


def test_void_needs_a_reason_and_happens_once(api, county):
    meeting = record(county.village_a1)
    branch = api("branch_a1")
    assert only_error(branch.post(f"/meetings/{meeting.pk}/void", {})) == (
        "reason",
        "请填写作废原因",
    )
    response = branch.post(f"/meetings/{meeting.pk}/void", {"reason": "重复录入"})
    assert response.status_code == 200
    assert response.json()["voided_on"] == TODAY.isoformat()
    assert response.json()["void_reason"] == "重复录入"
    assert branch.get("/meetings").json()["count"] == 0
    assert branch.get("/meetings", {"voided": "true"}).json()["count"] == 1
    field, message = only_error(branch.post(f"/meetings/{meeting.pk}/void", {"reason": "再次"}))
    assert message == "该会议记录已作废"


def test_everything_outside_the_subtree_is_404(api, county):
    theirs = record(county.village_b1)
    services.record_talk(
        county.village_b1,
        held_on=TODAY,
        initiator=county.members["TB01"][0],
        counterpart=county.members["TB01"][1],
        topic="乙村谈话",
    )
    town_a = api("town_a")
    assert town_a.get(f"/meetings/{theirs.pk}").status_code == 404
    assert town_a.post(f"/meetings/{theirs.pk}/void", {"reason": "x"}).status_code == 404
    assert town_a.get("/meetings", {"org": "TB01"}).status_code == 404
    assert town_a.get("/compliance/TB01").status_code == 404
    assert town_a.get("/compliance/T").status_code == 404
    assert town_a.get("/reviews", {"org": "TB"}).status_code == 404
    assert town_a.get("/talks", {"org": "TB01"}).status_code == 404
    assert town_a.get("/talks").json()["count"] == 0
    assert not Meeting.objects.get().voided_on
    assert Api().get("/meetings").status_code == 401


# ---- compliance, reviews, talks ------------------------------------------------------------


def test_compliance_is_the_overview_drill_down(api, county):
    period = Period.month_of(LAST_MONTH)
    record(county.village_a1, held_on=LAST_MONTH)
    response = api("town_a").get("/compliance/ta", {"period": str(period)})
    assert response.status_code == 200
    data = response.json()
    assert data["organization"] == "TA" and data["period"] == str(period)
    expected = services.compliance(county.town_a, period)["total"]
    assert data["total"]["due"] == expected.due and data["total"]["done"] == expected.done
    assert [(c["code"], c["own"]) for c in data["children"]] == [
        ("TA", True),
        ("TA01", False),
        ("TA02", False),
    ]
    assert sum(c["due"] for c in data["children"]) == data["total"]["due"]
    assert "theme_day" in {k["key"] for k in data["by_kind"]}
    assert {k["label"] for k in data["by_kind"]} >= {"主题党日"}
    # The default period is this month.
    assert api("town_a").get("/compliance/TA").json()["period"] == str(Period.month_of(TODAY))


def test_reviews_and_talks_of_a_year(api, county):
    a, b, c = county.members["TA01"]
    services.record_reviews(
        county.village_a1,
        TODAY.year,
        {
            a.pk: ("qualified", "", ""),
            b.pk: ("unqualified", "rectify", "限期改正"),
            c.pk: ("qualified", "", ""),
        },
        reviewed_on=TODAY,
    )
    services.record_talk(county.village_a1, held_on=TODAY, initiator=a, counterpart=b, topic="谈心")
    town_a = api("town_a")
    reviews = town_a.get("/reviews", {"org": "TA", "year": TODAY.year}).json()
    assert reviews["count"] == 3
    by_name = {r["member_name"]: r for r in reviews["items"]}
    assert by_name[b.name]["grade_label"] == "不合格"
    assert by_name[b.name]["follow_up_label"] == "限期改正"
    assert town_a.get("/reviews", {"org": "TA", "year": TODAY.year - 1}).json()["count"] == 0
    talks = town_a.get("/talks", {"org": "TA01"}).json()
    assert [(t["initiator_name"], t["counterpart_name"]) for t in talks["items"]] == [
        (a.name, b.name)
    ]
    assert api("town_b").get("/talks").json()["count"] == 0


def test_record_life_meeting_with_its_review_year(api, county):
    branch = api("branch_a1")
    held = f"{TODAY.year}-01-20"
    data = branch.post("/meetings", meeting_body(county, kind="life_meeting", held_on=held)).json()
    assert data["review_year"] == TODAY.year - 1
    body = meeting_body(county, kind="life_meeting", held_on=f"{TODAY.year}-01-21")
    data = branch.post("/meetings", body | {"review_year": TODAY.year}).json()
    assert data["review_year"] == TODAY.year
    field, message = only_error(
        branch.post("/meetings", body | {"held_on": f"{TODAY.year}-01-22", "review_year": 2001})
    )
    assert field == "review_year" and "所属年度" in message
