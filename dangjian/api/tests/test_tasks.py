"""/api/tasks/ for users allowed to use it: assignments, report-backs, pledges."""

import datetime

import pytest
from django.utils import timezone

from dangjian.core.models import AuditEvent, Reminder
from dangjian.life import services as life
from dangjian.tasks import services
from dangjian.tasks.models import Assignment, PledgeTarget, ReportBack

FIELDS = [
    {"key": "attendees", "label": "参加人数", "type": "integer", "unit": "人", "min_value": 0},
    {"key": "note", "label": "备注", "type": "text", "required": False},
]


def days(n: int) -> str:
    return str(timezone.localdate() + datetime.timedelta(days=n))


def assignment_body(**overrides):
    body = {
        "issuer": "T",
        "title": "乡村振兴主题党日",
        "content": "每个村党支部召开一次主题党日，报送参加人数",
        "starts_on": days(-5),
        "deadline": days(10),
        "receivers": {"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        "fields": FIELDS,
    }
    return body | overrides


def errors_of(response):
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["detail"]}


def items(response):
    assert response.status_code == 200, response.content
    return response.json()["items"]


def rb_id(assignment_id, code):
    return ReportBack.objects.get(assignment_id=assignment_id, organization__code=code).pk


@pytest.fixture
def issued(county, as_user):
    response = as_user("county").post("/tasks/assignments", assignment_body())
    assert response.status_code == 201, response.content
    return response.json()


def test_issue_returns_the_assignment_with_its_fields(county, issued):
    assert issued["issuer"] == "T" and issued["issuer_name"] == "中共测试县委"
    assert issued["receiver_count"] == 3
    assert issued["receivers"] == {"mode": "filter", "levels": ["village"], "kinds": ["branch"]}
    assert [f["key"] for f in issued["fields"]] == ["attendees", "note"]
    assert issued["fields"][0]["min_value"] == 0 and issued["fields"][1]["required"] is False
    assert issued["status"] == "active" and issued["status_label"] == "执行中"
    assert issued["version"] == 1 and issued["revisions"] == []
    codes = ReportBack.objects.filter(assignment_id=issued["id"]).values_list(
        "organization__code", flat=True
    )
    assert set(codes) == {"TA01", "TA02", "TB01"}
    assert AuditEvent.objects.filter(action="issue", target_id=str(issued["id"])).exists()


def test_issue_to_hand_picked_organizations_and_by_sector(county, as_user):
    api = as_user("town_a")
    picked = api.post(
        "/tasks/assignments",
        assignment_body(issuer="TA", receivers={"mode": "orgs", "codes": ["ta02"]}, fields=[]),
    )
    assert picked.status_code == 201, picked.content
    assert picked.json()["receiver_count"] == 1
    rural = api.post(
        "/tasks/assignments",
        assignment_body(issuer="TA", receivers={"mode": "filter", "sectors": ["rural"]}),
    )
    assert rural.json()["receiver_count"] == 2  # TA01, TA02; never the group TA0101


def test_list_assignments_issued_and_received(county, as_user, issued):
    own = as_user("town_a").post(
        "/tasks/assignments", assignment_body(issuer="TA", receivers={"mode": "subtree"})
    )
    own_id = own.json()["id"]

    def ids(user, **params):
        return [a["id"] for a in items(as_user(user).get("/tasks/assignments", params))]

    assert ids("county") == [own_id, issued["id"]]
    assert ids("town_a") == [own_id, issued["id"]]
    assert ids("town_a", side="issued") == [own_id]
    # The two sides split the list, as the page's tabs do: what TA issued to its own
    # branches is on the issued side only.
    assert ids("town_a", side="received") == [issued["id"]]
    assert ids("branch_a1") == [own_id, issued["id"]]
    assert ids("town_b") == ids("branch_b1") == [issued["id"]]
    assert ids("nobody") == []
    assert ids("county", status="withdrawn") == []


def test_detail_is_seen_by_issuer_and_receivers(county, as_user, issued):
    for user in ("county", "town_a", "branch_a1", "branch_b1", "member_a1"):
        response = as_user(user).get(f"/tasks/assignments/{issued['id']}")
        assert response.status_code == 200, user
        assert response.json()["title"] == "乡村振兴主题党日"
    assert as_user("nobody").get(f"/tasks/assignments/{issued['id']}").status_code == 404


def test_revise_is_versioned_and_receivers_are_told(county, as_user, issued):
    response = as_user("county").post(
        f"/tasks/assignments/{issued['id']}/revise",
        {"reason": "延长期限", "deadline": days(20), "text_required": True},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2 and body["deadline"] == days(20) and body["text_required"]
    [revision] = body["revisions"]
    assert revision["reason"] == "延长期限"
    assert revision["changes"]["deadline"] == [days(10), days(20)]
    reminders = Reminder.objects.filter(key__startswith=f"tasks:{issued['id']}:rev2")
    assert reminders.count() == 3


def test_receivers_may_not_revise_or_withdraw(county, as_user, issued):
    api = as_user("branch_a1")
    response = api.post(f"/tasks/assignments/{issued['id']}/revise", {"reason": "x", "title": "y"})
    assert response.status_code == 403
    assert response.json() == {"detail": "您无权修改该交办单"}
    response = api.post(f"/tasks/assignments/{issued['id']}/withdraw", {"reason": "x"})
    assert response.status_code == 403
    assert Assignment.objects.get(pk=issued["id"]).status == "active"


def test_withdrawn_assignment_takes_no_reports_and_leaves_the_todo_list(county, as_user, issued):
    branch = as_user("branch_a1")
    assert len(items(branch.get("/tasks/report-backs/todo"))) == 1
    response = as_user("county").post(
        f"/tasks/assignments/{issued['id']}/withdraw", {"reason": "与另一交办单重复"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    assert response.json()["withdrawn_reason"] == "与另一交办单重复"
    report = branch.post(f"/tasks/report-backs/{rb_id(issued['id'], 'TA01')}", {"values": {}})
    assert "撤回" in errors_of(report)["status"]
    assert items(branch.get("/tasks/report-backs/todo")) == []
    again = as_user("county").post(f"/tasks/assignments/{issued['id']}/withdraw", {"reason": "x"})
    assert "已撤回" in errors_of(again)["status"]
    revise = as_user("county").post(
        f"/tasks/assignments/{issued['id']}/revise", {"reason": "x", "title": "新标题"}
    )
    assert "已撤回" in errors_of(revise)["status"]


def test_report_accept_and_the_board(county, as_user, issued):
    branch = as_user("branch_a1")
    [todo] = items(branch.get("/tasks/report-backs/todo"))
    assert todo["organization"] == "TA01" and todo["status"] == "not_started"
    assert todo["assignment"] == issued["id"] and todo["deadline"] == days(10)
    response = branch.post(
        f"/tasks/report-backs/{todo['id']}", {"values": {"attendees": "25"}, "text": "已召开"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "reported" and body["values"] == {"attendees": 25}
    assert body["late"] is False and body["revisions"] == 1 and body["text"] == "已召开"
    assert items(branch.get("/tasks/report-backs/todo")) == []
    # Revising before the deadline is allowed.
    again = branch.post(f"/tasks/report-backs/{todo['id']}", {"values": {"attendees": 26}})
    assert again.json()["values"] == {"attendees": 26} and again.json()["revisions"] == 2
    accepted = as_user("county").post(f"/tasks/report-backs/{todo['id']}/accept", {})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted" and accepted.json()["accepted_at"]
    board = items(as_user("branch_b1").get(f"/tasks/assignments/{issued['id']}/report-backs"))
    assert [(r["organization"], r["status"]) for r in board] == [
        ("TA01", "accepted"),
        ("TA02", "not_started"),
        ("TB01", "not_started"),
    ]
    reported = items(
        as_user("county").get(
            f"/tasks/assignments/{issued['id']}/report-backs", {"status": "accepted"}
        )
    )
    assert [r["organization"] for r in reported] == ["TA01"]


def test_only_the_issuer_reviews(county, as_user, issued):
    rb = rb_id(issued["id"], "TA01")
    as_user("branch_a1").post(f"/tasks/report-backs/{rb}", {"values": {"attendees": 3}})
    for user in ("town_a", "branch_a1"):  # both see TA01's report-back, neither issued it
        assert as_user(user).post(f"/tasks/report-backs/{rb}/accept", {}).status_code == 403
        response = as_user(user).post(f"/tasks/report-backs/{rb}/return", {"reason": "不对"})
        assert response.status_code == 403
    # A plain member of the branch sees the assignment but may not report for the branch.
    response = as_user("member_a1").post(f"/tasks/report-backs/{rb}", {"values": {}})
    assert response.status_code == 403
    assert ReportBack.objects.get(pk=rb).status == "reported"


def test_late_report_return_and_re_report(county, as_user):
    created = as_user("county").post(
        "/tasks/assignments", assignment_body(starts_on=days(-30), deadline=days(-1))
    )
    aid = created.json()["id"]
    rb = rb_id(aid, "TA01")
    branch, county_api = as_user("branch_a1"), as_user("county")
    [todo] = items(branch.get("/tasks/report-backs/todo"))
    assert todo["late"] is True  # the deadline has passed and nothing was reported
    late = branch.post(f"/tasks/report-backs/{rb}", {"values": {"attendees": 10}})
    assert late.status_code == 200, late.content
    assert late.json()["status"] == "reported" and late.json()["late"] is True
    # After the deadline a reported report-back can no longer be changed.
    change = branch.post(f"/tasks/report-backs/{rb}", {"values": {"attendees": 11}})
    assert "截止日期" in errors_of(change)["status"]
    progress = county_api.get(f"/tasks/assignments/{aid}/progress").json()
    assert progress["totals"]["late_reported"] == 1
    assert progress["totals"]["late"] == 3  # one late report + two still missing
    assert progress["totals"]["on_time_rate"] == 0.0
    # The issuer returns it with a reason; the branch reports again, after the deadline.
    no_reason = county_api.post(f"/tasks/report-backs/{rb}/return", {"reason": " "})
    assert "退回原因" in errors_of(no_reason)["reason"]
    returned = county_api.post(f"/tasks/report-backs/{rb}/return", {"reason": "人数与签到表不符"})
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"] == "returned"
    assert returned.json()["returned_reason"] == "人数与签到表不符"
    assert [t["id"] for t in items(branch.get("/tasks/report-backs/todo"))] == [rb]
    assert "已退回" in errors_of(county_api.post(f"/tasks/report-backs/{rb}/accept", {}))["status"]
    again = branch.post(f"/tasks/report-backs/{rb}", {"values": {"attendees": 12}})
    assert again.status_code == 200, again.content
    assert again.json()["status"] == "reported" and again.json()["revisions"] == 2
    assert again.json()["returned_reason"] == ""
    assert county_api.post(f"/tasks/report-backs/{rb}/accept", {}).status_code == 200
    closed = branch.post(f"/tasks/report-backs/{rb}", {"values": {"attendees": 13}})
    assert "不能报送" in errors_of(closed)["status"]
    assert (
        "不能退回"
        in errors_of(county_api.post(f"/tasks/report-backs/{rb}/return", {"reason": "x"}))["status"]
    )


def test_report_before_the_start_is_refused(county, as_user):
    created = as_user("county").post(
        "/tasks/assignments", assignment_body(starts_on=days(3), deadline=days(10))
    )
    rb = rb_id(created.json()["id"], "TA01")
    response = as_user("branch_a1").post(f"/tasks/report-backs/{rb}", {"values": {"attendees": 1}})
    assert "开始" in errors_of(response)["status"]


def test_typed_fields_are_checked(county, as_user, issued):
    api = as_user("branch_a1")
    path = f"/tasks/report-backs/{rb_id(issued['id'], 'TA01')}"
    cases = [
        ({"values": {"attendees": "二十"}}, "attendees", "不是数字"),
        ({"values": {"attendees": -3}}, "attendees", "不能小于0"),
        ({"values": {"attendees": 2.5}}, "attendees", "整数"),
        ({"values": {"attendees": True}}, "attendees", "应填写数字"),
        ({"values": {}}, "attendees", "必填"),
        ({"values": {"attendees": 1, "photos": 2}}, "values.photos", "不是该交办单的填报项"),
        ({"values": {"attendees": [1, 2]}}, "values.attendees", ""),
        ({"values": {"attendees": 1, "note": "x" * 2001}}, "values.note", "2000"),
        ({"values": {"attendees": 1}, "text": 5}, "text", "应为文本"),
        ({"values": {"attendees": 1}, "files": ["a.jpg"]}, "files", "不是可接受的字段"),
        ({"values": "25"}, "values", "JSON 对象"),
    ]
    for body, field, message in cases:
        errors = errors_of(api.post(path, body))
        assert field in errors, (body, errors)
        assert message in errors[field], (body, errors)
    assert ReportBack.objects.get(pk=rb_id(issued["id"], "TA01")).status == "not_started"


def test_required_text_and_attachments(county, as_user):
    created = as_user("town_a").post(
        "/tasks/assignments",
        assignment_body(
            issuer="TA",
            receivers={"mode": "subtree"},
            fields=[],
            text_required=True,
            attachments_required=2,
        ),
    )
    rb = rb_id(created.json()["id"], "TA01")
    errors = errors_of(as_user("branch_a1").post(f"/tasks/report-backs/{rb}", {"values": {}}))
    assert errors["text"] == "请填写文字说明"
    assert "至少需要上传2个附件" in errors["files"]
    assert "接口不接收附件" in errors["files"] and "网页" in errors["files"]
    # Without attachments required, the same report goes through the API.
    plain = as_user("town_a").post(
        "/tasks/assignments",
        assignment_body(issuer="TA", receivers={"mode": "subtree"}, fields=[], text_required=True),
    )
    rb = rb_id(plain.json()["id"], "TA01")
    response = as_user("branch_a1").post(f"/tasks/report-backs/{rb}", {"text": "已完成"})
    assert response.status_code == 200 and response.json()["files"] == []


def test_a_bound_field_comes_from_the_records(county, as_user):
    today = timezone.localdate()
    created = as_user("county").post(
        "/tasks/assignments",
        assignment_body(
            starts_on=str(today.replace(day=1)),
            deadline=days(30),
            fields=[
                {
                    "key": "held",
                    "label": "主题党日次数",
                    "type": "integer",
                    "binding": "life.theme_day",
                }
            ],
        ),
    )
    assert created.status_code == 201, created.content
    assert created.json()["fields"][0]["binding"] == "life.theme_day"
    life.record_meeting(county.village_a1, kind="theme_day", held_on=today, topic="乡村振兴")
    rb = rb_id(created.json()["id"], "TA01")
    response = as_user("branch_a1").post(f"/tasks/report-backs/{rb}", {"values": {"held": 9}})
    assert response.status_code == 200, response.content
    assert response.json()["values"] == {"held": 1}  # from the records, not the 9 typed


def test_progress_per_level_and_summed_values(county, as_user, issued):
    aid = issued["id"]
    as_user("branch_a1").post(
        f"/tasks/report-backs/{rb_id(aid, 'TA01')}", {"values": {"attendees": 20}}
    )
    as_user("branch_b1").post(
        f"/tasks/report-backs/{rb_id(aid, 'TB01')}", {"values": {"attendees": 15}}
    )
    body = as_user("county").get(f"/tasks/assignments/{aid}/progress").json()
    assert body["organization"] == "T"
    rows = {r["code"]: r for r in body["rows"]}
    assert set(rows) == {"TA", "TB"}
    assert (rows["TA"]["receivers"], rows["TA"]["reported"], rows["TA"]["not_started"]) == (2, 1, 1)
    assert rows["TA"]["name"] == "甲镇党委" and rows["TA"]["own"] is False
    assert body["totals"]["receivers"] == 3 and body["totals"]["reported"] == 2
    assert body["totals"]["on_time_rate"] == 1.0
    assert body["summed_values"] == {"attendees": 35}
    drill = as_user("town_a").get(f"/tasks/assignments/{aid}/progress", {"org": "ta"}).json()
    assert {r["code"] for r in drill["rows"]} == {"TA01", "TA02"}
    assert drill["summed_values"] == {"attendees": 20}
    # A township that did not issue it sees its own part by default.
    assert as_user("town_a").get(f"/tasks/assignments/{aid}/progress").json() == drill
    own = as_user("branch_a1").get(f"/tasks/assignments/{aid}/progress").json()
    assert [(r["code"], r["own"], r["reported"]) for r in own["rows"]] == [("TA01", True, 1)]
    assert own["summed_values"] == {"attendees": 20}


def test_pledges_sign_progress_and_cascade(county, as_user):
    county_api, town, branch = as_user("county"), as_user("town_a"), as_user("branch_a1")
    created = county_api.post(
        "/tasks/pledges",
        {
            "issuer": "T",
            "organization": "TA",
            "year": 2026,
            "title": "2026年党建目标责任书",
            "targets": [
                {"text": "发展党员", "target_value": 10, "unit": "名"},
                {"text": "村级活动场所达到五有标准"},
            ],
        },
    )
    assert created.status_code == 201, created.content
    pledge = created.json()
    assert pledge["signed"] is False and pledge["organization"] == "TA"
    number, text = pledge["targets"]
    assert (number["kind"], number["target_value"], number["unit"]) == ("number", 10.0, "名")
    assert text["kind"] == "text" and text["target_value"] is None

    signed = town.post(f"/tasks/pledges/{pledge['id']}/sign", {"signed_on": "2026-01-10"})
    assert signed.status_code == 200, signed.content
    assert signed.json()["signed"] is True and signed.json()["signed_on"] == "2026-01-10"
    assert (
        "已于2026-01-10签订"
        in errors_of(town.post(f"/tasks/pledges/{pledge['id']}/sign", {}))["signed_on"]
    )

    parts = town.post(f"/tasks/targets/{number['id']}/cascade", {"codes": ["TA01", "ta02"]})
    assert parts.status_code == 201, parts.content
    part_a1, part_a2 = parts.json()
    assert (part_a1["organization"], part_a1["source"]) == ("TA01", number["id"])
    twice = errors_of(town.post(f"/tasks/targets/{number['id']}/cascade", {"codes": ["TA01"]}))
    assert "已分解" in twice["codes"]
    assert PledgeTarget.objects.filter(source_id=number["id"]).count() == 2

    updated = branch.post(f"/tasks/targets/{part_a1['id']}", {"progress_value": 6})
    assert updated.status_code == 200, updated.content
    assert updated.json()["progress_value"] == 6.0 and updated.json()["met"] is False
    town.post(f"/tasks/targets/{part_a2['id']}", {"progress_value": "4", "progress_note": "已培养"})
    met = town.post(f"/tasks/targets/{text['id']}", {"met": True}).json()
    assert met["met"] is True

    listed = items(county_api.get("/tasks/pledges", {"year": 2026}))
    top = next(p for p in listed if p["organization"] == "TA")
    assert top["targets"][0]["effective_progress"] == 10.0 and top["targets"][0]["met"] is True
    assert top["targets"][0]["cascaded_to"] == ["TA01", "TA02"]
    assert {p["organization"] for p in listed} == {"TA", "TA01", "TA02"}
    assert items(county_api.get("/tasks/pledges", {"year": 2025})) == []
    # The branch sees the pledge it received from the township, not the township's own.
    assert [p["organization"] for p in items(branch.get("/tasks/pledges"))] == ["TA01"]
    assert branch.get(f"/tasks/pledges/{pledge['id']}").status_code == 404
    assert town.get(f"/tasks/pledges/{pledge['id']}").json()["title"] == "2026年党建目标责任书"


def test_pledge_permissions(county, as_user):
    pledge = services.create_pledge(
        county.town_a, county.village_a1, year=2026, title="目标", targets=[{"text": "x"}]
    )
    # Only the receiving side signs; the branch's member cannot.
    response = as_user("member_a1").post(f"/tasks/pledges/{pledge.pk}/sign", {})
    assert response.status_code == 403
    target = pledge.targets.get()
    assert (
        as_user("member_a1").post(f"/tasks/targets/{target.pk}", {"met": True}).status_code == 403
    )
    # A branch cannot issue a pledge in the township's name (which it cannot see: 422).
    response = as_user("branch_a1").post(
        "/tasks/pledges",
        {
            "issuer": "TA",
            "organization": "TA01",
            "year": 2026,
            "title": "x",
            "targets": [{"text": "x"}],
        },
    )
    assert "issuer" in errors_of(response)


TASK_ROUTES = {
    "/api/tasks/assignments": {"get", "post"},
    "/api/tasks/assignments/{assignment_id}": {"get"},
    "/api/tasks/assignments/{assignment_id}/revise": {"post"},
    "/api/tasks/assignments/{assignment_id}/withdraw": {"post"},
    "/api/tasks/assignments/{assignment_id}/progress": {"get"},
    "/api/tasks/assignments/{assignment_id}/report-backs": {"get"},
    "/api/tasks/assignments/{assignment_id}/relays": {"get"},
    "/api/tasks/report-backs/todo": {"get"},
    "/api/tasks/report-backs/{report_back_id}": {"post"},
    "/api/tasks/report-backs/{report_back_id}/accept": {"post"},
    "/api/tasks/report-backs/{report_back_id}/return": {"post"},
    "/api/tasks/report-backs/{report_back_id}/relay": {"post"},
    "/api/tasks/report-backs/{report_back_id}/extend": {"post"},
    "/api/tasks/pledges": {"get", "post"},
    "/api/tasks/pledges/{pledge_id}": {"get"},
    "/api/tasks/pledges/{pledge_id}/sign": {"post"},
    "/api/tasks/targets/{target_id}": {"post"},
    "/api/tasks/targets/{target_id}/cascade": {"post"},
}


def test_openapi_lists_the_task_routes(client):
    doc = client.get("/api/openapi.json").json()
    published = {p: set(ops) for p, ops in doc["paths"].items() if p.startswith("/api/tasks/")}
    assert published == TASK_ROUTES
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if not path.startswith("/api/tasks/"):
                continue
            assert op["security"] and op["tags"] == ["清单式工作"], (path, method)
            assert {"401", "404", "422"} <= set(op["responses"]), (path, method)
            if method == "post":
                assert "$ref" in op["requestBody"]["content"]["application/json"]["schema"]
    fields = doc["components"]["schemas"]["FieldIn"]["properties"]
    assert "life.theme_day" in str(fields["binding"])


def test_parent_level_review_and_relay_through_the_api(county, as_user):
    """A township reviews its villages when the county names the parent level; a township
    relays the county's assignment to its villages and reports their sum plus its own."""
    county_api, town = as_user("county"), as_user("town_a")
    to_villages = county_api.post("/tasks/assignments", assignment_body(reviewer="parent"))
    assert to_villages.status_code == 201 and to_villages.json()["reviewer"] == "parent"
    a1 = rb_id(to_villages.json()["id"], "TA01")
    as_user("branch_a1").post(f"/tasks/report-backs/{a1}", {"values": {"attendees": 5}})
    assert town.post(f"/tasks/report-backs/{a1}/accept", {}).json()["status"] == "accepted"

    body = assignment_body(receivers={"mode": "filter", "levels": ["township"]})
    aid = county_api.post("/tasks/assignments", body).json()["id"]
    ta = rb_id(aid, "TA")
    assert (
        "TB01"
        in errors_of(town.post(f"/tasks/report-backs/{ta}/relay", {"codes": ["TB01"]}))["receivers"]
    )
    assert (
        "截止日期"
        in errors_of(town.post(f"/tasks/report-backs/{ta}/relay", {"deadline": days(30)}))[
            "deadline"
        ]
    )
    relayed = town.post(
        f"/tasks/report-backs/{ta}/relay",
        {"note": "每村至少5户", "fields": [{"label": "走访户数", "type": "integer"}]},
    )
    assert relayed.status_code == 201, relayed.content
    relay = relayed.json()
    assert relay["chain"] == ["T", "TA"] and relay["relayed_from"] == ta
    assert relay["receiver_count"] == 2 and relay["relay_note"] == "每村至少5户"
    assert [f["key"] for f in relay["fields"]] == ["attendees", "note", "extra1"]
    assert [r["id"] for r in items(county_api.get(f"/tasks/assignments/{aid}/relays"))] == [
        relay["id"]
    ]
    as_user("branch_a1").post(
        f"/tasks/report-backs/{rb_id(relay['id'], 'TA01')}",
        {"values": {"attendees": 8, "extra1": 3}},
    )
    reported = town.post(f"/tasks/report-backs/{ta}", {"values": {"attendees": 2}})
    assert reported.status_code == 200, reported.content
    assert reported.json()["values"]["attendees"] == 10
    assert reported.json()["own_values"] == {"attendees": 2}
    assert reported.json()["relayed_values"] == {"attendees": 8}
    progress = county_api.get(f"/tasks/assignments/{aid}/progress").json()
    assert progress["summed_values"] == {"attendees": 10}  # the village's 8 counted once
    # A village has nothing to relay to.
    a2_relay = rb_id(relay["id"], "TA02")
    assert "receivers" in errors_of(town.post(f"/tasks/report-backs/{a2_relay}/relay", {}))
