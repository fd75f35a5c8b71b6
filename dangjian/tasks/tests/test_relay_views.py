"""Pages of review by the parent level and of relaying (转办): the issue form's reviewer,
the accept button where the reviewer is, the relay form and its errors, the chain on the
board and the report-back page, and the chain in the board's export."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.tasks import services
from dangjian.tasks.models import Assignment

from .test_views import exported, issue_data, login, rb

DAY = datetime.timedelta(days=1)
FIELDS = [{"key": "people", "label": "走访人数", "type": "integer", "unit": "人"}]


@pytest.fixture
def today():
    return timezone.localdate()


def _issue(county, today, receivers, **kwargs):
    return services.issue(
        county.root,
        title="冬季走访",
        content="走访困难党员",
        starts_on=today,
        deadline=today + 10 * DAY,
        receivers=receivers,
        fields=FIELDS,
        actor=county.users["county"],
        **kwargs,
    )


def test_issue_form_saves_the_reviewer(client, county, today):
    login(client, county, "county")
    page = client.get(reverse("tasks:issue"))
    assert "上级组织审核" in page.content.decode()
    response = client.post(reverse("tasks:issue"), issue_data(today, reviewer="parent"))
    assert response.status_code == 302
    assert Assignment.objects.get().reviewer == "parent"
    response = client.post(reverse("tasks:issue"), issue_data(today, reviewer="everyone"))
    assert response.status_code == 200 and "reviewer" in response.context["form"].errors


def test_township_reviews_its_village_on_the_page(client, county, today):
    a = _issue(county, today, {"mode": "filter", "levels": ["village"]}, reviewer="parent")
    a1 = rb(a, "TA01")
    services.report(a1, values={"people": 3}, actor=county.users["branch_a1"])
    login(client, county, "town_a")
    page = client.get(reverse("tasks:report", args=[a1.pk]))
    assert page.context["can_review"] and page.context["reviewer"] == county.town_a
    assert "由甲镇党委审核" in page.content.decode()
    board = client.get(reverse("tasks:board", args=[a.pk]))
    assert board.context["awaiting_review"] == 1
    client.post(reverse("tasks:report", args=[a1.pk]), {"action": "accept"})
    assert rb(a, "TA01").status == "accepted"
    login(client, county, "county")
    assert client.get(reverse("tasks:board", args=[a.pk])).context["awaiting_review"] == 0
    login(client, county, "branch_b1")  # the village is not under township B
    assert client.get(reverse("tasks:report", args=[a1.pk])).status_code == 200  # shared board
    services.report(rb(a, "TB01"), values={"people": 1}, actor=county.users["branch_b1"])
    login(client, county, "town_a")
    page = client.get(reverse("tasks:report", args=[rb(a, "TB01").pk]))
    assert not page.context["can_review"]


def test_relay_from_the_page_and_the_chain_everywhere(client, county, today):
    a = _issue(county, today, {"mode": "filter", "levels": ["township"]})
    ta = rb(a, "TA")
    login(client, county, "town_a")
    board = client.get(reverse("tasks:board", args=[a.pk]))
    assert reverse("tasks:relay", args=[ta.pk]) in board.content.decode()
    url = reverse("tasks:relay", args=[ta.pk])
    form = client.get(url)
    assert form.context["form"]["codes"].value() == ["TA01", "TA02"]  # direct children
    base = {
        "deadline": (today + 5 * DAY).isoformat(),
        "note": "每村至少5户",
        "fields-TOTAL_FORMS": "1",
        "fields-INITIAL_FORMS": "1",
        "fields-0-label": "",
        "fields-0-type": "integer",
    }
    # Errors beside their fields, nothing written.
    late = client.post(url, {**base, "codes": ["TA01"], "deadline": (a.deadline + DAY).isoformat()})
    assert "不能晚于原交办单的截止日期" in late.context["form"].errors["deadline"][0]
    none = client.post(url, base)
    assert none.context["form"].errors["codes"] == ["请选择转办的组织"]
    assert not Assignment.objects.filter(relayed_from=ta).exists()
    done = client.post(url, {**base, "codes": ["TA01", "TA02"], "fields-0-label": "走访户数"})
    relayed = Assignment.objects.get(relayed_from=ta)
    assert done.status_code == 302 and done.url == reverse("tasks:board", args=[relayed.pk])
    page = client.get(done.url).content.decode()
    assert "交办链：" in page and "中共测试县委</span> → <span>甲镇党委" in page
    assert "每村至少5户" in page
    services.report(
        rb(relayed, "TA01"), values={"people": 4, "extra1": 2}, actor=county.users["branch_a1"]
    )
    # The relayer's page: its own part is what it fills, the relayed sum is shown.
    report = client.get(reverse("tasks:report", args=[ta.pk]))
    assert report.context["relay"] == relayed
    assert "走访人数（人） · 本级自身部分" in report.content.decode()
    assert [s["relayed"] for s in report.context["relayed_fields"]] == [4]
    client.post(reverse("tasks:report", args=[ta.pk]), {"action": "report", "v_people": "1"})
    assert rb(a, "TA").values == {"people": 5}
    # The original board shows who relayed; its export names the chain.
    login(client, county, "county")
    board = client.get(reverse("tasks:board", args=[a.pk]))
    assert f'data-relayed-to="{relayed.pk}"' in board.content.decode()
    header, rows = exported(client, reverse("tasks:export", args=[a.pk]))
    ta_row = dict(zip(header, rows[0], strict=True))
    assert ta_row["交办链"] == "中共测试县委 → 甲镇党委" and ta_row["转办"] == "转办2个组织"
    header, rows = exported(client, reverse("tasks:export", args=[relayed.pk]))
    assert (
        dict(zip(header, rows[0], strict=True))["交办链"]
        == "中共测试县委 → 甲镇党委 → 甲一村党支部"
    )


def test_village_has_no_relay_and_others_get_404(client, county, today):
    a = _issue(county, today, {"mode": "filter", "levels": ["village"]})
    a1 = rb(a, "TA01")
    login(client, county, "branch_a1")
    page = client.get(reverse("tasks:report", args=[a1.pk]))
    assert not page.context["can_relay"]
    assert reverse("tasks:relay", args=[a1.pk]) not in page.content.decode()
    login(client, county, "nobody")
    assert client.get(reverse("tasks:relay", args=[a1.pk])).status_code == 404
    login(client, county, "branch_b1")  # sees the shared board, may not relay for TA01
    assert client.get(reverse("tasks:relay", args=[a1.pk])).status_code == 403
