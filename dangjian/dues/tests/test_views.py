"""The dues pages: a branch opens its year, enters a month for all members at once (a bad
row is named and nothing saved), the ledger, export, arrears and 我的党费 render."""

import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.dues.models import DuesMonth
from dangjian.testing import build_county

pytestmark = pytest.mark.django_db


def test_branch_flow_and_pages():
    c = build_county()
    client = Client()
    client.force_login(c.users["branch_a1"])
    year = timezone.localdate().year
    month = timezone.localdate().strftime("%Y-%m")
    r = client.post(f"/dues/org/TA01/grid/?year={year}")
    assert r.status_code == 302 and DuesMonth.objects.filter(organization=c.village_a1).exists()
    page = client.get(f"/dues/org/TA01/month/{month}/")
    assert page.status_code == 200 and "0.20" in page.content.decode()
    a, b, d = c.members["TA01"]
    bad = client.post(
        f"/dues/org/TA01/month/{month}/",
        {f"paid_{a.pk}": "0.20", f"paid_{b.pk}": "两毛", f"paid_{d.pk}": "", "collector": "张三"},
        follow=True,
    )
    assert b.name in bad.content.decode() and "两毛" in bad.content.decode()
    assert not DuesMonth.objects.filter(paid_fen__gt=0).exists()
    ok = client.post(
        f"/dues/org/TA01/month/{month}/",
        {f"paid_{a.pk}": "0.20", f"paid_{b.pk}": "0.20", f"paid_{d.pk}": "", "collector": "张三"},
    )
    assert ok.status_code == 302 and DuesMonth.objects.filter(paid_fen=20).count() == 2
    for url in (
        "/dues/?org=TA01",
        "/dues/ledger/?org=TA01&status=unpaid",
        "/dues/org/TA01/arrears/",
        f"/dues/member/{a.pk}/",
        f"/dues/org/TA01/grid/?year={year}",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/dues/org/TB01/grid/").status_code in (403, 404)
    out = client.get(f"/dues/ledger/export.xlsx?org=TA01&year={year}")
    ws = load_workbook(io.BytesIO(b"".join(out.streaming_content))).worksheets[0]
    names = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert a.name in names and len(names) == 4  # three members and the 合计 row
    member = Client()
    member.force_login(c.users["member_a1"])
    assert "我的党费" in member.get("/dues/mine/").content.decode()
    assert member.get("/dues/org/TA01/grid/").status_code == 403
