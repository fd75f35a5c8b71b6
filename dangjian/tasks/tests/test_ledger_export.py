"""The report-back ledger a township can file (issue 11 §4): like the meeting ledger, the
column of the township (the level below the board's organization), a 合计 row and, with
?by=level, one sheet per township, each with its own 合计 row; cells stay formula-safe."""

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.tasks import services

DAY = datetime.timedelta(days=1)


def workbook(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows(ws):
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], r, strict=True)) for r in values[1:]]


def test_report_back_ledger_has_township_totals_and_sheets(client, county):
    today = timezone.localdate()
    a = services.issue(
        county.root,
        title="党员志愿服务",
        content="内容",
        starts_on=today,
        deadline=today + 5 * DAY,
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=[
            {"key": "n", "label": "服务人次", "type": "integer"},
            {"key": "note", "label": "备注", "type": "text", "required": False},
        ],
        actor=county.users["county"],
    )
    for code, n in (("TA01", 5), ("TA02", 7), ("TB01", 11)):
        services.report(
            a.report_backs.get(organization__code=code), values={"n": n, "note": "=1+1"}
        )
    client.force_login(county.users["county"])
    url = reverse("tasks:export", args=[a.pk])
    board = client.get(reverse("tasks:board", args=[a.pk])).content.decode()
    assert f'href="{url}?by=level"' in board
    wb = workbook(client, url + "?by=level")
    main = rows(wb["晒账单"])
    assert [r["所属乡镇（街道）"] for r in main[:-1]] == ["甲镇党委", "甲镇党委", "乙镇党委"]
    assert main[-1]["组织编码"] == "合计（3行）" and main[-1]["服务人次"] == 23
    assert main[0]["备注"] == "=1+1"  # text, not a formula
    assert wb["晒账单"].cell(row=2, column=5).data_type == "s"
    town_a = rows(wb["甲镇党委"])
    assert [r["组织编码"] for r in town_a] == ["TA01", "TA02", "合计（2行）"]
    assert town_a[-1]["服务人次"] == 12
    assert rows(wb["乙镇党委"])[-1]["服务人次"] == 11
    assert "说明" in wb.sheetnames
    # Without ?by=level: one ledger sheet (and the notes).
    assert workbook(client, url).sheetnames == ["晒账单", "说明"]
    # Narrowed to a township, the column names its villages' level (所属下级组织).
    narrowed = rows(workbook(client, url + "?org=TA")["晒账单"])
    assert [r["所属下级组织"] for r in narrowed[:-1]] == ["甲一村党支部", "甲二村党支部"]
