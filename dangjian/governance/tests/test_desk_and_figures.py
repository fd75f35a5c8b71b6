"""Village governance on the desk and in `stats`: the next step of each open matter, the
roster's gaps, the matters below a township, and the roll-up of matters by status."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.core.periods import Period
from dangjian.desk import registry
from dangjian.governance import services
from dangjian.governance.models import Matter
from dangjian.reports.stats import stats_for

pytestmark = pytest.mark.django_db


def new_matter(county, org, user, title):
    return services.create_matter(
        county.users[user], org, title=title, category="project", content="内容"
    )


def desk_text(county, user) -> str:
    client = Client()
    client.force_login(county.users[user])
    return client.get("/").content.decode()


def test_the_branch_desk_shows_each_open_matter_with_its_next_step(county):
    m = new_matter(county, county.village_a1, "branch_a1", "村道硬化")
    today = timezone.localdate()
    services.record_step(county.users["branch_a1"], m, step=1, held_on=today, text="提议")
    html = desk_text(county, "branch_a1")
    assert "村道硬化：下一步 村“两委”联席会议商议" in html
    assert f"/governance/matters/{m.pk}/" in html
    # The township sees it below; the other township does not.
    assert "甲一村党支部：村道硬化，下一步 村“两委”联席会议商议" in desk_text(county, "town_a")
    assert "村道硬化" not in desk_text(county, "town_b")


def test_a_stalled_matter_is_marked_late(county):
    m = new_matter(county, county.village_a1, "branch_a1", "坑塘承包")
    old = timezone.now() - datetime.timedelta(days=61)
    Matter.objects.filter(pk=m.pk).update(updated_at=old)
    items = registry.ENTRIES["governance.matters"].provider(
        county.users["branch_a1"], timezone.localdate()
    )
    (line,) = items[0].lines
    assert line.badge == "late"
    Matter.objects.filter(pk=m.pk).update(updated_at=timezone.now())
    items = registry.ENTRIES["governance.matters"].provider(
        county.users["branch_a1"], timezone.localdate()
    )
    assert items[0].lines[0].badge == ""


def test_the_roster_item_lists_short_weekdays_and_disappears_when_full(county):
    user, org = county.users["branch_a1"], county.village_a1
    roster = registry.ENTRIES["governance.roster"].provider
    today = datetime.date(2026, 12, 7)
    (item,) = roster(user, today)
    assert len([line for line in item.lines if "在岗 0 小时" in line.text]) == 5  # Mon–Fri
    for weekday in range(5):
        services.add_office_hours(
            user,
            org,
            person_name="王村委",
            post="村委委员",
            work_phone="0571-1234567",
            starts_at="08:30",
            ends_at="17:00",
            weekday=weekday,
        )
    # Weekdays are full; the rest days of the next two weeks still have nobody.
    (item,) = roster(user, today)
    assert all("休息日" in line.text for line in item.lines) and len(item.lines) == 4
    for n in range(14):
        day = today + datetime.timedelta(days=n)
        if day.weekday() >= 5:
            services.add_office_hours(
                user,
                org,
                person_name="李村委",
                post="村委委员",
                work_phone="0571-1234567",
                starts_at="09:00",
                ends_at="12:00",
                on_date=day,
            )
    assert roster(user, today) == []


def test_matters_roll_up_by_status(county):
    today = timezone.localdate()
    branch = county.users["branch_a1"]
    open_a1 = new_matter(county, county.village_a1, "branch_a1", "甲一事项")
    services.record_step(branch, open_a1, step=1, held_on=today, text="提议")
    new_matter(county, county.village_a1, "branch_a1", "甲一事项二")
    new_matter(county, county.village_a2, "county", "甲二事项")
    new_matter(county, county.village_b1, "county", "乙一事项")
    period = Period(today.year)
    root, town_a = stats_for(county.root, period), stats_for(county.town_a, period)
    children = [stats_for(c, period) for c in county.root.children()]
    # Only proposed matters (step 1 recorded) count in the period: one so far.
    assert town_a["four_deliberations_matters"] == 1
    assert root["four_deliberations_matters"] == sum(
        c["four_deliberations_matters"] for c in children
    )
    for m in Matter.objects.exclude(pk=open_a1.pk):
        services.record_step(county.users["county"], m, step=1, held_on=today, text="提议")
    root, town_a = stats_for(county.root, period), stats_for(county.town_a, period)
    children = [stats_for(c, period) for c in county.root.children()]
    assert town_a["four_deliberations_matters"] == 3
    assert (
        root["four_deliberations_matters"]
        == 4
        == sum(c["four_deliberations_matters"] for c in children)
    )
    assert root["four_deliberations_matters_by_status"]["open"] == 4
    assert stats_for(county.town_a, Period(today.year - 1))["four_deliberations_matters"] == 0


def test_the_ledger_export_holds_the_votes_and_the_list_filters(county):
    import io

    from openpyxl import load_workbook

    today = timezone.localdate()
    branch = county.users["branch_a1"]
    m = new_matter(county, county.village_a1, "branch_a1", "村道硬化")
    services.record_step(branch, m, step=1, held_on=today, text="提议")
    services.record_step(
        branch, m, step=2, held_on=today, text="商议", due=7, present=6, yes=5, no=1
    )
    new_matter(county, county.village_b1, "county", "乙村事项")
    client = Client()
    client.force_login(branch)
    response = client.get("/governance/export.xlsx", {"status": "open", "year": today.year})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["组织编码", "党组织", "事项名称"]
    (row,) = [r for r in rows[1:] if r[2] == "村道硬化"]
    assert row[0] == "TA01" and row[7] == "办理中" and row[8] == "7/6/5"
    assert not any("乙村事项" in str(r) for r in rows)  # another township's
    # A year with no proposals: only the 合计 row.
    response = client.get("/governance/export.xlsx", {"year": today.year - 3})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert [c.value for c in list(sheet.iter_rows())[1]][0].startswith("合计（0行）")
