"""Task pages: who may open what (404 outside the subtree), forms that save or show their
errors with nothing saved, the board, and the scoped report-back ledger export."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.life import services as life
from dangjian.orgs import services as orgs
from dangjian.tasks import services
from dangjian.tasks.models import (
    Assignment,
    Pledge,
    PledgeTarget,
    ReportBack,
    ReportBackFile,
    SecretaryProject,
    WorkMeeting,
)

DAY = datetime.timedelta(days=1)
FIELDS = [
    {"key": "attendees", "label": "参加人数", "type": "integer", "unit": "人", "min_value": 0},
    {"key": "held", "label": "主题党日次数", "type": "integer", "binding": "life.theme_day"},
    {"key": "done", "label": "是否完成", "type": "boolean", "required": False},
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def assignment(county, today):
    """The county's assignment to every village branch, running now."""
    return services.issue(
        county.root,
        title="乡村振兴主题党日",
        content="每个村党支部召开一次主题党日",
        starts_on=today,
        deadline=today + 10 * DAY,
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=FIELDS,
        actor=county.users["county"],
    )


def login(client, county, name):
    client.force_login(county.users[name])
    return client


def rb(assignment, code) -> ReportBack:
    return assignment.report_backs.get(organization__code=code)


def post_report(client, report_back, **data):
    payload = {"action": "report", "text": "", **data}
    return client.post(reverse("tasks:report", args=[report_back.pk]), payload)


# ---- pages render, 404 outside -----------------------------------------------------------


def test_pages_render_for_the_county(client, county, assignment):
    login(client, county, "county")
    secretary = county.members["TA01"][0]
    orgs.appoint_officer(
        county.village_a1, secretary, "secretary", term_start=datetime.date(2024, 1, 1)
    )
    project = services.create_project(
        county.village_a1,
        secretary=secretary,
        year=timezone.localdate().year,
        title="葡萄示范园",
        goal="带动30户",
        items=[],
    )
    pledge = services.create_pledge(
        county.root,
        county.town_a,
        year=timezone.localdate().year,
        title="责任书",
        targets=[{"text": "发展党员", "target_value": 5, "unit": "名"}],
    )
    urls = [
        reverse("tasks:home"),
        reverse("tasks:assignments"),
        reverse("tasks:assignments") + "?tab=received",
        reverse("tasks:issue"),
        reverse("tasks:board", args=[assignment.pk]),
        reverse("tasks:board", args=[assignment.pk]) + "?org=TA&status=late",
        reverse("tasks:report", args=[rb(assignment, "TA01").pk]),
        reverse("tasks:revise", args=[assignment.pk]),
        reverse("tasks:withdraw", args=[assignment.pk]),
        reverse("tasks:pledges"),
        reverse("tasks:pledge_create"),
        reverse("tasks:pledge", args=[pledge.pk]),
        reverse("tasks:meetings"),
        reverse("tasks:meeting_create"),
        reverse("tasks:projects"),
        reverse("tasks:project_create") + "?org=TA01",
        reverse("tasks:project", args=[project.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    home = client.get(reverse("tasks:home")).content.decode()
    assert "乡村振兴主题党日" in home and "0/3" in home
    # The rule of bound figures (issue 9) on the issue form and the board's sums.
    assert 'id="bound-rule"' in client.get(reverse("tasks:issue")).content.decode()
    board = client.get(reverse("tasks:board", args=[assignment.pk])).content.decode()
    assert 'id="sum-rule"' in board and "手工填写的项按各组织所报数值相加" in board
    assert "葡萄示范园" in client.get(reverse("tasks:projects")).content.decode()


def test_branch_secretary_sees_todo_board_and_own_form(client, county, assignment):
    login(client, county, "branch_a1")
    home = client.get(reverse("tasks:home")).content.decode()
    own = rb(assignment, "TA01")
    assert reverse("tasks:report", args=[own.pk]) in home
    board = client.get(reverse("tasks:board", args=[assignment.pk]))
    assert board.status_code == 200
    # Shared board: all three receivers side by side; progress at the branch itself.
    assert [r.organization.code for r in board.context["report_backs"]] == ["TA01", "TA02", "TB01"]
    assert board.context["org"].code == "TA01"
    page = client.get(reverse("tasks:report", args=[own.pk]))
    assert page.context["form"] is not None and not page.context["can_review"]
    # Another branch's report-back is visible on a shared board, but not editable.
    other = client.get(reverse("tasks:report", args=[rb(assignment, "TB01").pk]))
    assert other.status_code == 200 and other.context["form"] is None


def test_county_and_township_follow_up_below_instead_of_a_todo_flood(client, county, assignment):
    """The to-do list holds the user's own organizations' report-backs; what the
    organizations below still owe is summed per assignment, linking to its board."""
    services.report(rb(assignment, "TA01"), values={"attendees": 9})
    login(client, county, "county")
    page = client.get(reverse("tasks:home"))
    assert list(page.context["todo"]) == []
    assert page.context["pending_below"] == [
        {
            "id": assignment.pk,
            "title": "乡村振兴主题党日",
            "issuer": county.root.name,
            "deadline": assignment.deadline,
            "pending": 2,
            "late": 0,
            "overdue": False,
        }
    ]  # TA02 and TB01; TA01 has reported
    html = page.content.decode()
    assert reverse("tasks:board", args=[assignment.pk]) + "?status=not_started" in html
    assert "2 个组织待报送" in html
    login(client, county, "town_a")
    page = client.get(reverse("tasks:home"))
    assert list(page.context["todo"]) == []
    assert [a["pending"] for a in page.context["pending_below"]] == [1]  # TA02 only
    login(client, county, "branch_b1")
    page = client.get(reverse("tasks:home"))
    assert [r.organization.code for r in page.context["todo"]] == ["TB01"]
    assert page.context["pending_below"] == []
    assert "下级待报送" not in page.content.decode()


def test_outside_the_subtree_is_404(client, county, today):
    private = services.issue(
        county.town_a,
        title="甲镇内部",
        content="x",
        starts_on=today,
        deadline=today + DAY,
        receivers={"mode": "subtree"},
        board_shared=False,
    )
    pledge = services.create_pledge(
        county.town_a,
        county.village_a1,
        year=today.year,
        title="甲一村责任书",
        targets=[{"text": "五有"}],
    )
    login(client, county, "town_b")
    for url in (
        reverse("tasks:board", args=[private.pk]),
        reverse("tasks:export", args=[private.pk]),
        reverse("tasks:revise", args=[private.pk]),
        reverse("tasks:withdraw", args=[private.pk]),
        reverse("tasks:report", args=[rb(private, "TA01").pk]),
        reverse("tasks:pledge", args=[pledge.pk]),
        reverse("tasks:board", args=[999999]),
        reverse("tasks:projects") + "?org=TA",
        reverse("tasks:project_create") + "?org=TA01",
    ):
        assert client.get(url).status_code == 404, url
    # Withdrawing through a forged POST is a 404 as well, and changes nothing.
    client.post(reverse("tasks:withdraw", args=[private.pk]), {"reason": "x"})
    private.refresh_from_db()
    assert private.status == "active"
    assert client.get(reverse("tasks:assignments")).context["assignments"] == []


def test_board_drill_down_stays_in_scope(client, county, assignment):
    login(client, county, "town_a")
    page = client.get(reverse("tasks:board", args=[assignment.pk]))
    assert page.context["org"].code == "TA"  # the top of what the township sees
    assert {r["organization"].code for r in page.context["rows"]} == {"TA01", "TA02"}
    # The board is shared: the township manages receivers, so it sees every report-back.
    assert len(page.context["report_backs"]) == 3
    assert client.get(reverse("tasks:board", args=[assignment.pk]) + "?org=TB").status_code == 404
    assert client.get(reverse("tasks:board", args=[assignment.pk]) + "?org=T").status_code == 404
    # The township does not manage the county's assignment.
    assert client.get(reverse("tasks:revise", args=[assignment.pk])).status_code == 403


def test_branch_never_opens_a_board_not_sent_to_it(client, county, today):
    kw = {"content": "x", "starts_on": today, "deadline": today + DAY}
    town_shared = services.issue(
        county.town_a, title="甲镇共享", receivers={"mode": "subtree"}, **kw
    )
    county_private = services.issue(
        county.root,
        title="县委不共享",
        board_shared=False,
        receivers={"mode": "filter", "levels": ["village"]},
        **kw,
    )
    login(client, county, "branch_b1")
    # Not a receiver: nothing of it, shared or not.
    assert client.get(reverse("tasks:board", args=[town_shared.pk])).status_code == 404
    assert client.get(reverse("tasks:report", args=[rb(town_shared, "TA01").pk])).status_code == 404
    # A receiver of a private board sees its own report-back only.
    board = client.get(reverse("tasks:board", args=[county_private.pk]))
    assert [r.organization.code for r in board.context["report_backs"]] == ["TB01"]
    assert (
        client.get(reverse("tasks:report", args=[rb(county_private, "TA01").pk])).status_code == 404
    )
    services.report(
        rb(county_private, "TA01"),
        values={},
        files=[SimpleUploadedFile("a.jpg", b"x", content_type="image/jpeg")],
    )
    photo = ReportBackFile.objects.get()
    assert client.get(reverse("tasks:file", args=[photo.pk])).status_code == 404
    login(client, county, "branch_a1")
    response = client.get(reverse("tasks:file", args=[photo.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"x"


# ---- issuing --------------------------------------------------------------------------------


def issue_data(today, **overrides):
    data = {
        "issuer": "T",
        "title": "三月主题党日",
        "content": "召开主题党日并报送人数",
        "starts_on": today.isoformat(),
        "deadline": (today + 5 * DAY).isoformat(),
        "mode": "filter",
        "levels": ["village"],
        "kinds": ["branch"],
        "under": "",
        "codes": "",
        "attachments_required": "1",
        "board_shared": "on",
        "fields-TOTAL_FORMS": "2",
        "fields-INITIAL_FORMS": "2",
        "fields-0-label": "参加人数",
        "fields-0-type": "integer",
        "fields-0-unit": "人",
        "fields-0-required": "on",
        "fields-0-min_value": "0",
        "fields-1-label": "",
        "fields-1-type": "integer",
    }
    data.update(overrides)
    return data


def test_issue_form_saves(client, county, today):
    login(client, county, "county")
    response = client.post(
        reverse("tasks:issue"),
        issue_data(
            today,
            **{
                "fields-1-label": "主题党日次数",
                "fields-1-binding": "life.theme_day",
            },
        ),
    )
    a = Assignment.objects.get()
    assert response.status_code == 302 and response.url == reverse("tasks:board", args=[a.pk])
    assert a.attachments_required == 1 and a.board_shared
    assert [(f.label, f.type, f.binding) for f in a.fields.all()] == [
        ("参加人数", "integer", ""),
        ("主题党日次数", "integer", "life.theme_day"),
    ]
    assert set(a.report_backs.values_list("organization__code", flat=True)) == {
        "TA01",
        "TA02",
        "TB01",
    }


ISSUE_ERRORS = [
    ({"deadline": "2020-01-01"}, "deadline", "截止日期不能早于开始日期"),
    ({"mode": "filter", "levels": [], "kinds": [], "sectors": ["hospital"]}, "mode", "没有找到"),
    ({"mode": "orgs", "codes": "TA01 ZZ9"}, "mode", "ZZ9"),
    ({"mode": "orgs", "codes": ""}, "codes", "请填写接收组织"),
    (
        {"fields-1-label": "类别", "fields-1-type": "choice", "fields-1-choices": "甲"},
        None,
        "至少需要两个选项",
    ),
    (
        {"fields-1-label": "说明", "fields-1-type": "text", "fields-1-binding": "life.theme_day"},
        None,
        "整数或小数",
    ),
    ({"fields-0-label": "", "fields-0-unit": "人"}, None, "请填写填报项的名称"),
]


def test_issue_form_errors_save_nothing(client, county, today):
    login(client, county, "county")
    for overrides, field, text in ISSUE_ERRORS:
        response = client.post(reverse("tasks:issue"), issue_data(today, **overrides))
        assert response.status_code == 200
        if field:
            assert any(text in e for e in response.context["form"].errors[field]), overrides
        else:
            row_errors = [
                e for f in response.context["rows"].forms for v in f.errors.values() for e in v
            ]
            assert any(text in e for e in row_errors), row_errors
        assert text in response.content.decode()
    assert not Assignment.objects.exists()


def test_issue_add_row_keeps_input_and_saves_nothing(client, county, today):
    login(client, county, "county")
    response = client.post(reverse("tasks:issue"), issue_data(today, add_row="1"))
    assert response.status_code == 200 and not Assignment.objects.exists()
    rows = response.context["rows"]
    assert len(rows.forms) == 3 and rows.forms[0].initial["label"] == "参加人数"


def test_town_cannot_issue_for_the_county(client, county, today):
    login(client, county, "town_a")
    response = client.post(reverse("tasks:issue"), issue_data(today, issuer="T"))
    assert "issuer" in response.context["form"].errors
    assert not Assignment.objects.exists()
    assert client.get(reverse("tasks:issue")).context["form"].fields["issuer"].choices == [
        ("TA", "甲镇党委（TA）")
    ]


def test_receivers_preview(client, county):
    login(client, county, "county")
    url = reverse("tasks:receivers_preview")
    response = client.get(
        url,
        {"issuer": "T", "mode": "filter", "levels": "village", "under": "TA"},
        HTTP_HX_REQUEST="true",
    )
    assert "2 个组织" in response.content.decode()
    response = client.get(url, {"issuer": "T", "mode": "orgs", "codes": "NOPE"})
    assert "NOPE" in response.content.decode()
    login(client, county, "town_b")
    assert client.get(url, {"issuer": "TA", "mode": "subtree"}).status_code == 404


def test_revise_and_withdraw(client, county, assignment, today):
    login(client, county, "county")
    url = reverse("tasks:revise", args=[assignment.pk])
    data = {
        "title": assignment.title,
        "content": assignment.content,
        "deadline": (today + 20 * DAY).isoformat(),
        "attachments_required": "0",
    }
    response = client.post(url, data | {"reason": ""})
    assert "reason" in response.context["form"].errors
    response = client.post(url, data | {"reason": "延长期限"})
    assert response.status_code == 302
    board = client.get(reverse("tasks:board", args=[assignment.pk])).content.decode()
    assert "延长期限" in board and "第2版" in board
    withdraw = reverse("tasks:withdraw", args=[assignment.pk])
    assert "reason" in client.post(withdraw, {"reason": ""}).context["form"].errors
    assert client.post(withdraw, {"reason": "与另一交办单重复"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == "withdrawn"


# ---- reporting back ------------------------------------------------------------------------


def test_report_with_bound_field_and_files(client, county, assignment, today):
    life.record_meeting(county.village_a1, kind="theme_day", held_on=today, topic="振兴")
    login(client, county, "branch_a1")
    own = rb(assignment, "TA01")
    page = client.get(reverse("tasks:report", args=[own.pk])).content.decode()
    assert "取自系统记录" in page
    assert 'name="v_held"' not in page  # bound: shown, not typed
    photos = [SimpleUploadedFile(f"p{i}.jpg", b"jpg", content_type="image/jpeg") for i in (1, 2)]
    response = post_report(client, own, v_attendees="25", v_done="是", v_held="99", files=photos)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "reported"
    assert own.values == {"attendees": 25, "held": 1, "done": True}
    assert own.files.count() == 2


def test_report_typed_field_errors(client, county, assignment):
    login(client, county, "branch_a1")
    own = rb(assignment, "TA01")
    for values, key, text in [
        ({"v_attendees": "二十"}, "v_attendees", "不是数字"),
        ({"v_attendees": "-3"}, "v_attendees", "不能小于0"),
        ({"v_attendees": "2.5"}, "v_attendees", "整数"),
        ({}, "v_attendees", "必填"),
        ({"v_attendees": "3", "v_done": "也许"}, "v_done", "也许"),
    ]:
        response = post_report(client, own, **values)
        assert response.status_code == 200
        assert any(text in e for e in response.context["form"].errors[key]), values
    own.refresh_from_db()
    assert own.status == "not_started" and own.values == {}


def test_report_errors_in_the_users_language(client, county, assignment, settings):
    """A user who chose English sees the service's message in English beside the field."""
    login(client, county, "branch_a1")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post_report(client, rb(assignment, "TA01"), v_attendees="二十")
    [message] = response.context["form"].errors["v_attendees"]
    assert "must be a number" in message and "二十" in message
    assert "must be a number" in response.content.decode()


def test_missing_required_attachment(client, county, today):
    a = services.issue(
        county.town_a,
        title="照片",
        content="上传两张照片",
        starts_on=today,
        deadline=today + DAY,
        receivers={"mode": "subtree"},
        attachments_required=2,
        text_required=True,
    )
    login(client, county, "branch_a1")
    own = rb(a, "TA01")
    one = SimpleUploadedFile("p.jpg", b"jpg", content_type="image/jpeg")
    response = post_report(client, own, files=[one])
    errors = response.context["form"].errors
    assert "至少需要上传2个附件" in errors["files"][0]
    assert "请填写文字说明" in errors["text"][0]
    own.refresh_from_db()
    assert own.status == "not_started" and not own.files.exists()


def test_report_after_deadline_and_withdrawn(client, county, today):
    late = services.issue(
        county.town_a,
        title="已截止",
        content="x",
        starts_on=today - 10 * DAY,
        deadline=today - DAY,
        receivers={"mode": "subtree"},
    )
    first = timezone.now() - 5 * DAY
    services.report(rb(late, "TA01"), values={}, text="初报", now=first)
    login(client, county, "branch_a1")
    own = rb(late, "TA01")
    page = client.get(reverse("tasks:report", args=[own.pk])).content.decode()
    assert "已过截止日期" in page
    response = post_report(client, own, text="改报")
    assert "已过截止日期" in response.content.decode()
    own.refresh_from_db()
    assert own.text == "初报"
    # Not reported yet when the deadline passed: it may still report, marked late.
    other = rb(late, "TA02")
    assert other.pk and client.get(reverse("tasks:board", args=[late.pk])).status_code == 200
    services.withdraw(late, reason="作废")
    login(client, county, "county")
    response = post_report(client, other, text="x")
    assert "撤回" in response.content.decode()
    other.refresh_from_db()
    assert other.status == "not_started"


def test_return_and_accept(client, county, assignment):
    services.report(rb(assignment, "TA01"), values={"attendees": 8})
    login(client, county, "county")
    own = rb(assignment, "TA01")
    url = reverse("tasks:report", args=[own.pk])
    page = client.get(url)
    assert page.context["can_review"]
    response = client.post(url, {"action": "return", "reason": ""})
    assert "reason" in response.context["return_form"].errors
    assert client.post(url, {"action": "return", "reason": "人数与签到表不符"}).status_code == 302
    own.refresh_from_db()
    assert own.status == "returned"
    login(client, county, "branch_a1")
    home = client.get(reverse("tasks:home")).content.decode()
    assert "人数与签到表不符" in home
    assert post_report(client, own, v_attendees="9").status_code == 302
    login(client, county, "branch_b1")  # a receiver, not the issuer: cannot accept
    client.post(url, {"action": "accept"})
    own.refresh_from_db()
    assert own.status == "reported"
    login(client, county, "county")
    client.post(url, {"action": "accept"})
    own.refresh_from_db()
    assert own.status == "accepted"


def test_board_shows_roll_up_and_sums(client, county, assignment):
    services.report(rb(assignment, "TA01"), values={"attendees": 20})
    services.report(rb(assignment, "TB01"), values={"attendees": 15})
    login(client, county, "county")
    page = client.get(reverse("tasks:board", args=[assignment.pk]))
    rows = {r["organization"].code: r for r in page.context["rows"]}
    assert rows["TA"]["reported"] == 1 and rows["TA"]["receivers"] == 2 and rows["TA"]["linkable"]
    assert page.context["total"]["reported"] == 2
    assert {s["field"].key: s["value"] for s in page.context["summed"]}["attendees"] == 35
    drill = client.get(reverse("tasks:board", args=[assignment.pk]) + "?org=TA")
    assert {r["organization"].code for r in drill.context["rows"]} == {"TA01", "TA02"}
    assert {s["field"].key: s["value"] for s in drill.context["summed"]}["attendees"] == 20
    assert [c.code for c in drill.context["crumbs"]] == ["T"]
    reported = client.get(reverse("tasks:board", args=[assignment.pk]) + "?status=reported")
    assert {r.organization.code for r in reported.context["report_backs"]} == {"TA01", "TB01"}


# ---- export ----------------------------------------------------------------------------------


def exported(client, url):
    response = client.get(url)
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb["晒账单"].iter_rows(values_only=True))
    assert rows[-1][0] == f"合计（{len(rows) - 2}行）"  # the ledger's 合计 row
    return rows[0], rows[1:-1]


def test_export_is_scoped(client, county, assignment):
    services.report(rb(assignment, "TA01"), values={"attendees": 20, "done": True}, text="好")
    url = reverse("tasks:export", args=[assignment.pk])
    login(client, county, "county")
    header, rows = exported(client, url)
    assert header[:4] == ("组织编码", "组织名称", "所属乡镇（街道）", "参加人数（人）")
    assert "状态" in header and "是否逾期" in header and "报送时间" in header
    assert [r[0] for r in rows] == ["TA01", "TA02", "TB01"]
    ta01 = dict(zip(header, rows[0], strict=True))
    assert (ta01["参加人数（人）"], ta01["是否完成"], ta01["状态"], ta01["文字说明"]) == (
        20,
        "是",
        "已报送",
        "好",
    )
    assert isinstance(ta01["报送时间"], datetime.datetime)
    _h, narrowed = exported(client, url + "?org=TB")
    assert [r[0] for r in narrowed] == ["TB01"]
    login(client, county, "town_a")
    # Exactly what the board shows: the shared board, narrowed to the township on request.
    _h, rows = exported(client, url)
    assert [r[0] for r in rows] == ["TA01", "TA02", "TB01"]
    _h, rows = exported(client, url + "?org=TA")
    assert [r[0] for r in rows] == ["TA01", "TA02"]
    assert client.get(url + "?org=TB").status_code == 404
    login(client, county, "nobody")
    assert client.get(url).status_code == 404


def test_export_of_private_board(client, county, today):
    a = services.issue(
        county.root,
        title="不共享",
        content="x",
        starts_on=today,
        deadline=today + DAY,
        receivers={"mode": "filter", "levels": ["village"]},
        board_shared=False,
    )
    login(client, county, "branch_b1")
    _h, rows = exported(client, reverse("tasks:export", args=[a.pk]))
    assert [r[0] for r in rows] == ["TB01"]
    login(client, county, "town_a")
    _h, rows = exported(client, reverse("tasks:export", args=[a.pk]))
    assert [r[0] for r in rows] == ["TA01", "TA02"]


# ---- pledges, work meetings, secretary projects ---------------------------------------------


def pledge_data(**overrides):
    data = {
        "issuer": "T",
        "organization": "TA",
        "year": str(timezone.localdate().year),
        "title": "目标责任书",
        "targets-TOTAL_FORMS": "3",
        "targets-INITIAL_FORMS": "3",
        "targets-0-text": "发展党员",
        "targets-0-target_value": "10",
        "targets-0-unit": "名",
        "targets-1-text": "活动场所达到五有标准",
        "targets-1-target_value": "",
        "targets-1-unit": "",
        "targets-2-text": "",
        "targets-2-target_value": "",
        "targets-2-unit": "",
    }
    data.update(overrides)
    return data


def test_pledge_create_sign_progress_cascade(client, county):
    login(client, county, "county")
    response = client.post(reverse("tasks:pledge_create"), pledge_data())
    pledge = Pledge.objects.get()
    assert response.url == reverse("tasks:pledge", args=[pledge.pk])
    number, text = pledge.targets.all()
    assert (number.kind, number.target_value, number.unit, text.kind) == (
        "number",
        10,
        "名",
        "text",
    )
    url = reverse("tasks:pledge", args=[pledge.pk])
    login(client, county, "town_a")
    client.post(url, {"action": "sign"})
    pledge.refresh_from_db()
    assert pledge.signed_on == timezone.localdate()
    client.post(
        url,
        {"action": "cascade", "target": number.pk, f"c{number.pk}-organizations": ["TA01", "TA02"]},
    )
    assert PledgeTarget.objects.filter(source=number).count() == 2
    login(client, county, "branch_a1")
    part = PledgeTarget.objects.get(source=number, pledge__organization__code="TA01")
    child_url = reverse("tasks:pledge", args=[part.pledge_id])
    response = client.post(
        child_url, {"action": "progress", "target": part.pk, f"t{part.pk}-progress_value": "abc"}
    )
    assert response.status_code == 200 and f"t{part.pk}" in response.content.decode()
    client.post(
        child_url,
        {
            "action": "progress",
            "target": part.pk,
            f"t{part.pk}-progress_value": "6",
            f"t{part.pk}-progress_note": "已发展6名",
        },
    )
    part.refresh_from_db()
    assert part.progress_value == 6
    login(client, county, "town_a")
    page = client.get(url)
    row = page.context["rows"][0]
    assert row["effective"] == 6 and not row["met"] and len(row["parts"]) == 2
    client.post(url, {"action": "progress", "target": text.pk, f"t{text.pk}-met": "on"})
    text.refresh_from_db()
    assert text.met
    assert client.get(child_url).status_code == 200
    login(client, county, "town_b")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"organization": "TB01X"}, "organization"),
        ({"issuer": "TA", "organization": "TB01"}, "organization"),
        ({"targets-0-text": "", "targets-1-text": ""}, None),
        (
            {"targets-0-unit": "名", "targets-0-target_value": "", "targets-0-text": "发展党员"},
            None,
        ),
    ],
)
def test_pledge_errors_save_nothing(client, county, overrides, field):
    login(client, county, "county")
    response = client.post(reverse("tasks:pledge_create"), pledge_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    if field:
        assert form.errors.get(field), form.errors
    else:
        assert form.errors or any(f.errors for f in response.context["rows"].forms)
    assert not Pledge.objects.exists()


def test_work_meeting_form(client, county, assignment, today):
    login(client, county, "county")
    url = reverse("tasks:meeting_create")
    data = {
        "organization": "T",
        "held_on": today.isoformat(),
        "month": today.strftime("%Y-%m"),
        "attendees": "县委组织部全体",
        "notes": "讲评本月晒账单",
        "assignments": [str(assignment.pk)],
    }
    future = client.post(url, data | {"held_on": (today + 3 * DAY).isoformat()})
    assert "held_on" in future.context["form"].errors
    bad_month = client.post(url, data | {"month": "2026-13"})
    assert "month" in bad_month.context["form"].errors
    assert not WorkMeeting.objects.exists()
    assert client.post(url, data).status_code == 302
    meeting = WorkMeeting.objects.get()
    assert list(meeting.assignments.all()) == [assignment]
    assert "讲评本月晒账单" in client.get(reverse("tasks:meetings")).content.decode()
    login(client, county, "town_b")
    assert "讲评本月晒账单" not in client.get(reverse("tasks:meetings")).content.decode()


def test_secretary_project_forms(client, county):
    year = timezone.localdate().year
    secretary = county.members["TA01"][0]
    orgs.appoint_officer(
        county.village_a1, secretary, "secretary", term_start=datetime.date(2024, 1, 1)
    )
    login(client, county, "branch_a1")
    url = reverse("tasks:project_create")
    data = {
        "secretary": str(secretary.pk),
        "year": str(year),
        "title": "葡萄示范园",
        "brand": "紫色甲一",
        "goal": "带动30户种植",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "2",
        "items-0-month": f"{year}-03",
        "items-0-text": "选址",
        "items-1-month": f"{year - 1}-12",
        "items-1-text": "越年",
    }
    response = client.post(url, data)
    assert "月份应为" in response.context["rows"].forms[1].errors["month"][0]
    assert not SecretaryProject.objects.exists()
    response = client.post(url, data | {"items-1-month": f"{year}-04", "items-1-text": "育苗"})
    project = SecretaryProject.objects.get()
    assert response.url == reverse("tasks:project", args=[project.pk])
    item = project.items.first()
    detail = reverse("tasks:project", args=[project.pk])
    client.post(
        detail,
        {
            "action": "item",
            "item": item.pk,
            f"i{item.pk}-progress": "已选定",
            f"i{item.pk}-done": "on",
        },
    )
    item.refresh_from_db()
    assert item.done and item.progress == "已选定"
    response = client.post(detail, {"action": "add", "new-month": "bad", "new-text": "x"})
    assert "month" in response.context["add_form"].errors
    assert project.items.count() == 2
    photo = SimpleUploadedFile("园区.jpg", b"\xff\xd8 jpeg", content_type="image/jpeg")
    response = client.post(
        detail,
        {
            "action": "results",
            "res-results": "带动32户",
            "res-brand": "紫色甲一",
            "res-photos": [photo],
        },
    )
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    [photo] = project.photos.all()
    photo_url = reverse("tasks:project_photo", args=[photo.pk])
    assert "带动32户" in page and photo_url in page
    assert client.get(photo_url)["Content-Type"] == "image/jpeg"
    login(client, county, "member_a1")
    assert client.post(detail, {"action": "results", "res-results": "x"}).status_code == 403
    login(client, county, "county")
    showcase = client.get(reverse("tasks:projects")).content.decode()
    assert "紫色甲一" in showcase and "1/2" in showcase
    login(client, county, "town_b")
    assert client.get(detail).status_code == 404
    assert client.get(photo_url).status_code == 404
    assert "葡萄示范园" not in client.get(reverse("tasks:projects")).content.decode()


def test_org_page_links_to_its_tasks_and_pledges_filter_by_subtree(client, county):
    year = timezone.localdate().year
    for org in (county.town_a, county.town_b):
        services.create_pledge(
            county.root,
            org,
            year=year,
            title=f"{org.name}责任书",
            targets=[{"text": "发展党员", "target_value": 2}],
        )
    login(client, county, "county")
    page = client.get(reverse("orgs:detail", args=["TA"])).content.decode()
    assert f"{reverse('tasks:issue')}?org=TA" in page
    assert f"{reverse('tasks:pledge_create')}?issuer=TA" in page
    assert f"{reverse('tasks:projects')}?org=TA" in page
    pledges = client.get(reverse("tasks:pledges"), {"org": "TA"}).content.decode()
    assert "甲镇党委责任书" in pledges and "乙镇党委责任书" not in pledges
    both = client.get(reverse("tasks:pledges")).content.decode()
    assert "甲镇党委责任书" in both and "乙镇党委责任书" in both
    # A branch issues nothing, so its page offers no issuing links.
    page = client.get(reverse("orgs:detail", args=["TA01"])).content.decode()
    assert f"{reverse('tasks:projects')}?org=TA01" in page
    assert reverse("tasks:issue") not in page and reverse("tasks:pledge_create") not in page
    login(client, county, "town_b")
    assert client.get(reverse("tasks:pledges"), {"org": "TA"}).status_code == 404


def _sheet(response):
    assert response["Content-Type"] == XLSX_TYPE
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_task_lists_export_what_the_list_shows(client, county):
    year = timezone.localdate().year
    today = timezone.localdate()
    for org in (county.town_a, county.town_b):
        pledge = services.create_pledge(
            county.root,
            org,
            year=year,
            title=f"{org.name}责任书",
            targets=[{"text": "发展党员", "target_value": 2, "unit": "名"}, {"text": "阵地达标"}],
        )
    services.update_target(pledge.targets.get(kind="number"), progress_value=2)
    for org in (county.village_a1, county.village_b1):
        secretary = county.members[org.code][0]
        orgs.appoint_officer(org, secretary, "secretary", term_start=datetime.date(2024, 1, 1))
        services.create_project(
            org,
            secretary=secretary,
            year=year,
            title=f"{org.name}项目",
            goal="带动增收",
            items=[(f"{year}-03", "选址")],
        )
    a = services.issue(
        county.town_a,
        title="甲镇主题党日",
        content="报送参加人数",
        starts_on=today,
        deadline=today + datetime.timedelta(days=5),
        receivers={"mode": "subtree"},
        fields=[],
    )
    services.record_work_meeting(
        county.town_a,
        held_on=today,
        month=f"{today:%Y-%m}",
        notes="讲评本月晒账单",
        assignments=[a],
    )
    login(client, county, "town_a")
    rows = _sheet(client.get(reverse("tasks:pledges_export")))
    assert rows[0][:6] == ["年度", "下达组织", "责任组织编码", "责任组织", "签订日期", "目标"]
    assert [(r[2], r[5]) for r in rows[1:]] == [("TA", "发展党员"), ("TA", "阵地达标")]
    rows = _sheet(client.get(reverse("tasks:projects_export")))
    assert [r[4] for r in rows[1:]] == ["甲一村党支部项目"] and rows[1][7:9] == [1, 0]
    rows = _sheet(client.get(reverse("tasks:meetings_export")))
    assert rows[1][5:] == ["讲评本月晒账单", "甲镇主题党日"]
    rows = _sheet(client.get(reverse("tasks:assignments_export")))
    assert rows[1][1] == "甲镇主题党日" and rows[1][5] == 2  # TA01 and TA02 receive it
    login(client, county, "county")
    rows = _sheet(client.get(reverse("tasks:pledges_export"), {"org": "TB"}))
    assert [(r[2], r[9], r[11]) for r in rows[1:]] == [("TB", 2, "是"), ("TB", None, "否")]
    assert len(_sheet(client.get(reverse("tasks:projects_export")))) == 3
    login(client, county, "town_b")
    assert client.get(reverse("tasks:pledges_export"), {"org": "TA"}).status_code == 404
    assert client.get(reverse("tasks:projects_export"), {"org": "TA"}).status_code == 404
    assert len(_sheet(client.get(reverse("tasks:meetings_export")))) == 1


def test_reported_and_accepted_the_returned_notice_is_gone(client, county, assignment):
    """Issue 11, defect 6: after a returned report is re-reported and accepted, the branch's
    tasks page and reminders no longer say it was returned (nor that it is still due)."""
    from dangjian.core.models import Reminder
    from dangjian.core.reminders import make

    own = rb(assignment, "TA01")
    services.report(own, values={"attendees": 8})
    services.return_(own, reason="人数与签到表不符", actor=county.users["county"])
    make(assignment.deadline - 2 * DAY)  # "将于…截止，请及时报送" for the returned one
    keys = set(
        Reminder.objects.filter(organization=county.village_a1).values_list("key", flat=True)
    )
    assert any(":returned:" in k for k in keys) and any(":soon:" in k for k in keys)
    login(client, county, "branch_a1")
    assert "人数与签到表不符" in client.get(reverse("tasks:home")).content.decode()
    assert post_report(client, own, v_attendees="9").status_code == 302
    services.accept(rb(assignment, "TA01"), actor=county.users["county"])
    home = client.get(reverse("tasks:home")).content.decode()
    assert "被退回" not in home and "人数与签到表不符" not in home
    left = Reminder.objects.filter(
        organization=county.village_a1, key__contains=f":{assignment.pk}:"
    )
    assert not left.filter(key__contains=":returned:").exists()
    assert not left.filter(key__contains=":soon:").exists()
    # Other receivers still to report keep theirs.
    assert Reminder.objects.filter(organization=county.village_b1, key__contains=":soon:").exists()
