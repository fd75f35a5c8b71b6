"""The pages: a member sees their own points and the records behind them, never another's;
the scheme form refuses bad input with clear messages; saving recomputes in the background;
the members' list and its export for the subtree's managers."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.points import services
from dangjian.points.models import MemberPoints, Scheme
from dangjian.testing import run_jobs

from .conftest import YEAR, meeting

pytestmark = pytest.mark.django_db
THEME = "life.attendance.theme_day"


@pytest.fixture
def computed(county):
    a, b, c = county.members["TA01"]
    today = timezone.localdate()
    meeting(county.village_a1, "theme_day", today, present=[a, b], topic="学习党章")
    meeting(county.village_b1, "theme_day", today, present=county.members["TB01"], topic="乙村学习")
    services.save_scheme(
        county.users["county"], county.root, YEAR, [{"source": THEME, "points": 2}]
    )
    services.compute_year(county.root, YEAR)
    return county


def test_a_member_sees_their_points_and_the_record_behind_each(client, computed):
    client.force_login(computed.users["member_a1"])
    page = client.get("/points/mine/").content.decode()
    assert "我的积分" in page
    assert "<strong>2</strong>" in page
    assert "学习党章" in page and "+2" in page
    assert "历年积分" in page
    # The desk: one line, this year's points.
    desk = client.get("/").content.decode()
    assert f"{YEAR}年：2分" in desk


def test_a_member_sees_only_their_own(client, computed):
    own = computed.members["TA01"][0]
    other = computed.members["TA01"][1]
    client.force_login(computed.users["member_a1"])
    assert client.get(f"/points/members/{own.pk}/").status_code == 200
    assert client.get(f"/points/members/{other.pk}/").status_code == 404
    assert client.get("/points/org/TA01/members/").status_code == 403
    assert client.get("/points/org/TA01/").status_code == 403
    assert client.get("/points/org/TA01/members/export.xlsx").status_code == 403
    assert client.get("/points/").status_code == 302  # to 我的积分
    # The API says the same.
    assert client.get(f"/api/points/members/{other.pk}").status_code == 404
    assert client.get("/api/points/organizations/TA01/members").status_code == 403
    mine = client.get("/api/points/me").json()
    assert mine["points"] == 2 and mine["lines"][0]["behind"][0]["points"] == 2


def test_the_branch_sees_its_members_and_not_another_branch(client, computed):
    client.force_login(computed.users["branch_a1"])
    page = client.get("/points/org/TA01/members/").content.decode()
    names = [m.name for m in computed.members["TA01"]]
    assert all(n in page for n in names)
    assert computed.members["TB01"][0].name not in page
    assert client.get("/points/org/TB01/members/").status_code == 404
    assert client.get(f"/points/members/{computed.members['TB01'][0].pk}/").status_code == 404
    detail = client.get(f"/points/members/{computed.members['TA01'][1].pk}/").content.decode()
    assert "学习党章" in detail


def test_the_export_holds_the_subtree_s_members(client, computed):
    client.force_login(computed.users["town_a"])
    response = client.get("/points/org/TA/members/export.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-1] == "合计积分"
    body = rows[1:-1]
    assert len(body) == 6  # TA01's three and TA02's three
    assert sorted(r[-1] for r in body) == [0, 0, 0, 0, 2, 2]
    assert rows[-1][-1] == 4  # the 合计 row
    assert not any("乙" in str(r[1]) for r in body)


def test_the_scheme_form_refuses_bad_input_with_clear_messages(client, county):
    client.force_login(county.users["county"])
    url = f"/points/scheme/T/?year={YEAR}"
    page = client.get(url).content.decode()
    assert "参加主题党日" in page
    response = client.post(
        url,
        {
            "year": YEAR,
            f"points-{THEME}": "-2",
            "points-life.attendance.party_lecture": "5",
            "cap-life.attendance.party_lecture": "3",
            "points-tasks.report_back_on_time": "两分",
            "cap-life.attendance.group_meeting": "4",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "“参加主题党日”的分值应为正整数" in text
    assert "“参加党课”的年度上限（3分）不能小于每条记录的分值（5分）" in text
    assert "“按时报送晒账单”的分值应为整数，不是“两分”" in text
    assert "请填写“参加党小组会”每条记录的分值" in text
    assert not Scheme.objects.exists()


def test_saving_the_scheme_recomputes_in_the_background(client, county):
    a = county.members["TA01"][0]
    meeting(county.village_a1, "theme_day", timezone.localdate(), present=[a])
    client.force_login(county.users["county"])
    response = client.post(
        f"/points/scheme/T/?year={YEAR}", {"year": YEAR, f"points-{THEME}": "3", "note": "首版"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    run_jobs()
    job_page = client.get(response["Location"]).content.decode()
    assert "积分已计算" in job_page
    assert MemberPoints.objects.get(member=a, year=YEAR).points == 3
    page = client.get(f"/points/scheme/T/?year={YEAR}").content.decode()
    assert "首版" in page


def test_everyone_in_the_county_reads_the_scheme_only_the_county_edits_it(client, county):
    services.save_scheme(
        county.users["county"], county.root, YEAR, [{"source": THEME, "points": 2}]
    )
    for name in ("town_a", "branch_a1", "member_a1"):
        client.force_login(county.users[name])
        page = client.get("/points/scheme/T/").content.decode()
        assert "参加主题党日" in page and '<form method="post" class="form' not in page
        response = client.post("/points/scheme/T/", {"year": YEAR, f"points-{THEME}": "9"})
        assert response.status_code == 403, name
        assert client.post("/points/scheme/T/recompute/", {"year": YEAR}).status_code == 403
    assert Scheme.objects.get().items.get().points == 2
    client.force_login(county.users["nobody"])
    assert client.get("/points/scheme/T/").status_code == 404
    client.force_login(county.users["county"])
    assert client.get("/points/scheme/TA/").status_code == 404  # not a county


def test_api_refuses_bad_items_naming_each(client, county):
    client.force_login(county.users["county"])
    response = client.post(
        "/api/points/schemes/T",
        {
            "year": YEAR,
            "items": [
                {"source": "checkin.daily", "points": 1},
                {"source": THEME, "points": -1},
                {"source": "life.attendance.party_lecture", "points": 5, "cap": 2},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    detail = {d["field"]: d["message"] for d in response.json()["detail"]}
    assert "没有名为“checkin.daily”的积分来源" in detail["items.0.source"]
    assert "应为正整数" in detail["items.1.points"]
    assert "不能小于每条记录的分值" in detail["items.2.cap"]
    ok = client.post(
        "/api/points/schemes/T",
        {"year": YEAR, "items": [{"source": THEME, "points": 2, "cap": 10}]},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["items"] == [
        {"source": THEME, "label": "参加主题党日", "points": 2, "cap": 10}
    ]
    sources = client.get("/api/points/sources").json()
    assert {s["key"] for s in sources} >= {THEME, "tasks.report_back_on_time"}


def test_messages_in_english(county):
    from django.utils import translation

    from dangjian.points import rules
    from dangjian.points.sources import labels

    with translation.override("en"):
        _item, errors = rules.item_errors(0, THEME, "5", "2", labels())
        assert errors == [
            (
                "items.0.cap",
                "The yearly cap of “Theme day attended” (2 points) cannot be below the "
                "points per record (5)",
            )
        ]


def test_api_lists_the_subtree_s_members_only(client, computed):
    client.force_login(computed.users["town_a"])
    rows = client.get("/api/points/organizations/TA/members").json()["items"]
    assert {r["organization"] for r in rows} == {"TA01", "TA02"}
    assert sum(r["points"] for r in rows) == 4
    assert client.get("/api/points/organizations/TB/members").status_code == 404
    org = client.get("/api/points/organizations/TA01").json()
    assert org["organization"] == "TA01" and org["points"] == 0
