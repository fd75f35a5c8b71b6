"""/api/tasks/ outside the caller's subtree is a 404 with no data; bad bodies are a 422."""

import pytest

from dangjian.core.models import AuditEvent, Reminder
from dangjian.tasks import services
from dangjian.tasks.models import (
    Assignment,
    AssignmentField,
    AssignmentRevision,
    Pledge,
    PledgeTarget,
    ReportBack,
)

from .test_tasks import assignment_body, days, errors_of, items, rb_id

NOT_FOUND = {"detail": "未找到该记录，或不在您的管辖范围内"}


def task_state():
    """Every row a write through /api/tasks/ could touch, to prove that nothing changed."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            Assignment,
            AssignmentField,
            AssignmentRevision,
            ReportBack,
            Pledge,
            PledgeTarget,
            Reminder,
            AuditEvent,
        )
    }


def town_a_routes(aid, rb, pledge, target):
    """(method, path, body) for every route aimed at township A's records."""
    return [
        ("get", f"/tasks/assignments/{aid}", None),
        ("post", f"/tasks/assignments/{aid}/revise", {"reason": "改", "title": "新"}),
        ("post", f"/tasks/assignments/{aid}/withdraw", {"reason": "撤"}),
        ("get", f"/tasks/assignments/{aid}/progress", None),
        ("get", f"/tasks/assignments/{aid}/progress", {"org": "TB"}),
        ("get", f"/tasks/assignments/{aid}/report-backs", None),
        ("post", f"/tasks/report-backs/{rb}", {"values": {"attendees": 1}}),
        ("post", f"/tasks/report-backs/{rb}/accept", {}),
        ("post", f"/tasks/report-backs/{rb}/return", {"reason": "退"}),
        ("post", f"/tasks/report-backs/{rb}/relay", {}),
        ("get", f"/tasks/assignments/{aid}/relays", None),
        ("get", f"/tasks/pledges/{pledge}", None),
        ("post", f"/tasks/pledges/{pledge}/sign", {}),
        ("post", f"/tasks/targets/{target}", {"progress_value": 1}),
        ("post", f"/tasks/targets/{target}/cascade", {"codes": ["TB01"]}),
    ]


@pytest.fixture
def town_a_records(county, as_user):
    """An assignment township A sent to its branches (one reported), and a pledge of A's."""
    created = as_user("town_a").post(
        "/tasks/assignments",
        assignment_body(issuer="TA", title="甲镇秘密交办单", receivers={"mode": "subtree"}),
    )
    assert created.status_code == 201, created.content
    aid = created.json()["id"]
    rb = rb_id(aid, "TA01")
    as_user("branch_a1").post(
        f"/tasks/report-backs/{rb}", {"values": {"attendees": 77}, "text": "甲一村的报告内容"}
    )
    pledge = services.create_pledge(
        county.town_a,
        county.village_a1,
        year=2026,
        title="甲一村目标责任书",
        targets=[{"text": "甲一村的目标", "target_value": 5}],
    )
    return aid, rb, pledge.pk, pledge.targets.get().pk


SECRETS = ["甲镇秘密交办单", "甲一村", "甲镇", "TA01", "甲一村的报告内容", "甲一村目标责任书"]


@pytest.mark.parametrize("user", ["branch_b1", "town_b", "nobody"])
def test_another_subtree_gets_404_and_no_data_on_every_route(county, as_user, town_a_records, user):
    api = as_user(user)
    before = task_state()
    for method, path, body in town_a_routes(*town_a_records):
        response = api.call(method, path, body)
        assert response.status_code == 404, (user, method, path, response.content)
        assert response.json() == NOT_FOUND
    for path in ("/tasks/assignments", "/tasks/report-backs/todo", "/tasks/pledges"):
        response = api.get(path)
        assert response.status_code == 200
        text = response.content.decode()
        assert not any(secret in text for secret in SECRETS), (user, path, text)
    assert task_state() == before


def test_a_missing_record_and_a_hidden_one_read_the_same(county, as_user, town_a_records):
    aid, rb, pledge, target = town_a_records
    api = as_user("branch_b1")
    for hidden, missing in [
        (f"/tasks/assignments/{aid}", "/tasks/assignments/999999"),
        (f"/tasks/pledges/{pledge}", "/tasks/pledges/999999"),
    ]:
        assert api.get(hidden).json() == api.get(missing).json() == NOT_FOUND
    hidden = api.post(f"/tasks/report-backs/{rb}/accept", {})
    missing = api.post("/tasks/report-backs/999999/accept", {})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_progress_of_an_organization_outside_the_scope_is_404(county, as_user):
    created = as_user("county").post("/tasks/assignments", assignment_body())
    aid = created.json()["id"]
    api = as_user("town_a")  # a receiver's township: sees the assignment, not the county
    for org in ("T", "TB", "TB01", "NOPE"):
        response = api.get(f"/tasks/assignments/{aid}/progress", {"org": org})
        assert response.status_code == 404, org
        assert "乙" not in response.content.decode()
    assert api.get(f"/tasks/assignments/{aid}/progress", {"org": "TA01"}).status_code == 200


def test_a_branch_sees_other_report_backs_only_on_a_shared_board_it_is_on(county, as_user):
    county_api, b1 = as_user("county"), as_user("branch_b1")
    shared = county_api.post("/tasks/assignments", assignment_body()).json()["id"]
    private = county_api.post("/tasks/assignments", assignment_body(board_shared=False)).json()[
        "id"
    ]
    for aid in (shared, private):
        as_user("branch_a1").post(
            f"/tasks/report-backs/{rb_id(aid, 'TA01')}",
            {"values": {"attendees": 42}, "text": "甲一村的报告"},
        )
    # Not sent to TB01 at all: nothing, shared board or not.
    to_a = as_user("town_a").post(
        "/tasks/assignments", assignment_body(issuer="TA", receivers={"mode": "subtree"})
    )
    not_sent = to_a.json()["id"]
    as_user("branch_a1").post(
        f"/tasks/report-backs/{rb_id(not_sent, 'TA01')}", {"values": {"attendees": 42}}
    )

    def board(aid):
        response = b1.get(f"/tasks/assignments/{aid}/report-backs")
        return response.status_code, response.content.decode()

    status, text = board(shared)
    assert status == 200 and "甲一村的报告" in text  # the board is shared among receivers
    assert {
        r["organization"] for r in items(b1.get(f"/tasks/assignments/{shared}/report-backs"))
    } == {
        "TA01",
        "TA02",
        "TB01",
    }
    status, text = board(private)
    # Parsed, not a substring test: "42" can turn up in an id or a time of day.
    assert status == 200 and "甲一村" not in text
    rows = items(b1.get(f"/tasks/assignments/{private}/report-backs"))
    assert [r["organization"] for r in rows] == ["TB01"]
    assert all(42 not in (r.get("values") or {}).values() for r in rows)
    status, text = board(not_sent)
    assert status == 404 and "甲一村" not in text
    # Seeing another branch's report-back on the board gives no right to touch it.
    other = rb_id(shared, "TA01")
    assert b1.post(f"/tasks/report-backs/{other}", {"values": {"attendees": 1}}).status_code == 404
    # Nor does any other route show it: to-do list, progress of the branch's own part.
    todo = b1.get("/tasks/report-backs/todo").content.decode()
    assert "TA01" not in todo and "甲一村" not in todo
    own = b1.get(f"/tasks/assignments/{private}/progress").json()
    assert [r["code"] for r in own["rows"]] == ["TB01"] and own["summed_values"] == {"attendees": 0}


def test_issue_naming_an_organization_outside_the_scope(county, as_user):
    api, member = as_user("town_a"), as_user("member_a1")
    before = task_state()
    response = api.post("/tasks/assignments", assignment_body(issuer="TB"))
    assert "不存在，或不在您的管辖范围内" in errors_of(response)["issuer"]
    response = api.post(
        "/tasks/assignments",
        assignment_body(issuer="TA", receivers={"mode": "orgs", "codes": ["TB01"]}),
    )
    assert "TB01" in errors_of(response)["receivers"]
    response = api.post(
        "/tasks/assignments",
        assignment_body(issuer="TA", receivers={"mode": "filter", "under": ["TB"]}),
    )
    assert "receivers" in errors_of(response)
    # A member of a branch sees the branch, but may not issue in its name.
    response = member.post(
        "/tasks/assignments", assignment_body(issuer="TA01", receivers={"mode": "subtree"})
    )
    assert response.status_code == 403
    assert task_state() == before


def test_bad_bodies_get_422_naming_the_field_and_change_nothing(county, as_user):
    api = as_user("county")
    aid = api.post("/tasks/assignments", assignment_body()).json()["id"]
    pledge = services.create_pledge(
        county.root, county.town_a, year=2026, title="x", targets=[{"text": "文字目标"}]
    )
    target = pledge.targets.get().pk
    before = task_state()
    fields = [{"key": "n", "label": "人数", "type": "integer"}]
    cases = [
        ("/tasks/assignments", assignment_body(title=None), "title", "应为文本"),
        (
            "/tasks/assignments",
            {k: v for k, v in assignment_body().items() if k != "content"},
            "content",
            "缺少必填字段",
        ),
        ("/tasks/assignments", assignment_body(title=" "), "title", "请填写标题"),
        ("/tasks/assignments", assignment_body(title="x" * 201), "title", "200"),
        ("/tasks/assignments", assignment_body(starts_on="去年"), "starts_on", "应为日期"),
        ("/tasks/assignments", assignment_body(deadline=days(-10)), "deadline", "不能早于开始日期"),
        (
            "/tasks/assignments",
            assignment_body(receivers={"mode": "castle"}),
            "receivers.mode",
            "不在可选范围内",
        ),
        (
            "/tasks/assignments",
            assignment_body(receivers={"mode": "filter", "levels": ["moon"]}),
            "receivers.levels.0",
            "不在可选范围内",
        ),
        (
            "/tasks/assignments",
            assignment_body(receivers={"mode": "filter", "sectors": ["hospital"]}),
            "receivers",
            "没有找到接收组织",
        ),
        (
            "/tasks/assignments",
            assignment_body(receivers={"mode": "orgs"}),
            "receivers",
            "请选择接收组织",
        ),
        (
            "/tasks/assignments",
            assignment_body(fields=[{"label": "照片", "type": "photo"}]),
            "fields.0.type",
            "不在可选范围内",
        ),
        (
            "/tasks/assignments",
            assignment_body(fields=[{"key": "人数", "label": "x", "type": "integer"}]),
            "fields.0.key",
            "只能包含",
        ),
        ("/tasks/assignments", assignment_body(fields=fields + fields), "fields", "重复"),
        (
            "/tasks/assignments",
            assignment_body(fields=[{"label": "是否", "type": "choice", "choices": ["是"]}]),
            "fields",
            "至少需要两个选项",
        ),
        (
            "/tasks/assignments",
            assignment_body(
                fields=[{"label": "n", "type": "integer", "min_value": 5, "max_value": 1}]
            ),
            "fields",
            "最小值不能大于最大值",
        ),
        (
            "/tasks/assignments",
            assignment_body(fields=[{"label": "n", "type": "text", "binding": "life.theme_day"}]),
            "fields",
            "应为数字类型",
        ),
        (
            "/tasks/assignments",
            assignment_body(fields=[{"label": "n", "type": "integer", "binding": "weather"}]),
            "fields.0.binding",
            "不在可选范围内",
        ),
        (
            "/tasks/assignments",
            assignment_body(attachments_required=-1),
            "attachments_required",
            "不能小于0",
        ),
        (
            "/tasks/assignments",
            assignment_body(board_shared="也许"),
            "board_shared",
            "应为 true 或 false",
        ),
        ("/tasks/assignments", assignment_body(colour="red"), "colour", "不是可接受的字段"),
        (f"/tasks/assignments/{aid}/revise", {"title": "新"}, "reason", "缺少必填字段"),
        (f"/tasks/assignments/{aid}/revise", {"reason": "改", "title": " "}, "title", "请填写标题"),
        (f"/tasks/assignments/{aid}/revise", {"reason": "改", "title": None}, "title", "不能为空"),
        (
            f"/tasks/assignments/{aid}/revise",
            {"reason": "改", "deadline": days(-30)},
            "deadline",
            "不能早于开始日期",
        ),
        (
            f"/tasks/assignments/{aid}/revise",
            {"reason": "改", "attachments_required": 21},
            "attachments_required",
            "不能大于20",
        ),
        (f"/tasks/assignments/{aid}/revise", {"reason": "改"}, "reason", "没有任何修改"),
        (
            f"/tasks/assignments/{aid}/revise",
            {"reason": "改", "starts_on": days(0)},
            "starts_on",
            "不是可接受的字段",
        ),
        (f"/tasks/assignments/{aid}/withdraw", {"reason": ""}, "reason", "请填写撤回原因"),
        (
            f"/tasks/report-backs/{rb_id(aid, 'TA01')}/accept",
            {"note": "好"},
            "note",
            "不是可接受的字段",
        ),
        (
            "/tasks/pledges",
            {"issuer": "T", "organization": "TB", "year": 2026, "title": "x", "targets": []},
            "targets",
            "至少要有一项目标",
        ),
        (
            "/tasks/pledges",
            {
                "issuer": "T",
                "organization": "TA",
                "year": 2026,
                "title": "重复",
                "targets": [{"text": "x"}],
            },
            "year",
            "已向",
        ),
        (
            "/tasks/pledges",
            {
                "issuer": "T",
                "organization": "TB",
                "year": 1900,
                "title": "x",
                "targets": [{"text": "x"}],
            },
            "year",
            "不能小于2000",
        ),
        (
            "/tasks/pledges",
            {
                "issuer": "T",
                "organization": "TB",
                "year": 2026,
                "title": "x",
                "targets": [{"text": "x", "target_value": "很多"}],
            },
            "targets.0.target_value",
            "",
        ),
        (
            "/tasks/pledges",
            {
                "issuer": "T",
                "organization": "TB",
                "year": 2026,
                "title": "x",
                "targets": [{"text": "x", "target_value": -1}],
            },
            "targets",
            "应大于0",
        ),
        (
            "/tasks/pledges",
            {
                "issuer": "TA",
                "organization": "TB",
                "year": 2026,
                "title": "x",
                "targets": [{"text": "x"}],
            },
            "organization",
            "不是“甲镇党委”的下级组织",
        ),
        (f"/tasks/pledges/{pledge.pk}/sign", {"signed_on": days(3)}, "signed_on", "不能晚于今天"),
        (f"/tasks/targets/{target}", {"progress_value": 3}, "progress_value", "文字目标不填完成值"),
        (f"/tasks/targets/{target}", {"progress_value": "许多"}, "progress_value", ""),
        (f"/tasks/targets/{target}", {"met": "也许"}, "met", "应为 true 或 false"),
        (f"/tasks/targets/{target}/cascade", {"codes": []}, "codes", ""),
        (f"/tasks/targets/{target}/cascade", {"codes": ["NOPE"]}, "codes", "不存在"),
        (
            f"/tasks/targets/{target}/cascade",
            {"codes": ["TB01"]},
            "codes",
            "不是“甲镇党委”的下级组织",
        ),
    ]
    for path, body, field, message in cases:
        errors = errors_of(api.post(path, body))
        assert field in errors, (path, body, errors)
        assert message in errors[field], (path, body, errors)
        assert all(e for e in errors.values())
    for params, field in [({"status": "lost"}, "status"), ({"side": "both"}, "side")]:
        assert field in errors_of(api.get("/tasks/assignments", params))
    assert "year" in errors_of(api.get("/tasks/pledges", {"year": "今年"}))
    assert task_state() == before


def test_not_json_and_no_credentials(county, as_user, anonymous):
    api = as_user("county")
    response = api.client.post(
        "/api/tasks/assignments", data="{x", content_type="application/json", headers=api.headers
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON"}
    for method, path in [
        ("get", "/tasks/assignments"),
        ("post", "/tasks/assignments"),
        ("get", "/tasks/report-backs/todo"),
        ("get", "/tasks/pledges"),
    ]:
        assert anonymous.call(method, path, {}).status_code == 401
