"""延期 for one receiver (issue 11 §1): a report-back's own deadline, in force for it
everywhere (report, late badges, 已截止, progress, reminders, board, export, API, desk),
granted only by the reviewing or issuing organization's managers, with a reason, audited,
the receiver told; and how it meets moving the assignment's deadline and relays."""

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.accounts import tokens
from dangjian.core.models import AuditEvent, Reminder
from dangjian.tasks import services
from dangjian.tasks.models import ReportBack

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


def issue(county, today, *, deadline, reviewer="issuer"):
    return services.issue(
        county.root,
        title="两学一做",
        content="学习",
        starts_on=today - 10 * DAY,
        deadline=deadline,
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=[{"key": "n", "label": "人数", "type": "integer"}],
        reviewer=reviewer,
        actor=county.users["county"],
    )


def rb(assignment, code) -> ReportBack:
    return ReportBack.objects.select_related("assignment", "organization").get(
        assignment=assignment, organization__code=code
    )


def test_extension_is_in_force_for_that_receiver_only(county, today):
    a = issue(county, today, deadline=today - DAY)  # closed yesterday
    new = today + 5 * DAY
    services.extend_deadline(county.users["county"], rb(a, "TA01"), new, "村里换届，推迟一周")
    a1, a2 = rb(a, "TA01"), rb(a, "TA02")
    assert a1.deadline == new and a1.effective_deadline == new and a1.extended
    assert a2.effective_deadline == today - DAY and not a2.extended
    assert a1.phase == "active" and a2.phase == "closed"
    # Audited, and the receiver told.
    event = AuditEvent.objects.get(action="extend")
    assert event.changes["deadline"] == [(today - DAY).isoformat(), new.isoformat()]
    told = Reminder.objects.get(organization=county.village_a1, key__contains=":extended:")
    assert new.isoformat() in told.text and "村里换届" in told.text
    # Reported now: on time for TA01, late for TA02.
    services.report(a1, values={"n": 3})
    services.report(a2, values={"n": 4})
    rows = services.progress(a, county.town_a, today=today)
    row = {r["organization"].code: r for r in rows}
    assert (row["TA01"]["on_time"], row["TA01"]["late"]) == (1, 0)
    assert (row["TA02"]["on_time"], row["TA02"]["late"]) == (0, 1)
    # TB01 not reported: late on the assignment's deadline.
    assert services.totals(services.progress(a, county.root, today=today))["late"] == 2
    # Reporting resolves that reminder too.
    assert not Reminder.objects.filter(pk=told.pk).exists()


def test_refusals_name_the_field(county, today):
    a = issue(county, today, deadline=today + 3 * DAY)
    target = rb(a, "TA01")
    county_user = county.users["county"]
    with pytest.raises(ValidationError) as e:
        services.extend_deadline(county_user, target, today + 2 * DAY, "原因")
    assert "延期后的截止日期应晚于现在的截止日期" in e.value.message_dict["deadline"][0]
    with pytest.raises(ValidationError) as e:
        services.extend_deadline(county_user, target, None, "原因")
    assert "延期后的截止日期" in e.value.message_dict["deadline"][0]
    with pytest.raises(ValidationError) as e:
        services.extend_deadline(county_user, target, today + 9 * DAY, "  ")
    assert "延期原因" in e.value.message_dict["reason"][0]
    with pytest.raises(PermissionDenied):  # a receiver cannot extend its own
        services.extend_deadline(county.users["branch_a1"], target, today + 9 * DAY, "原因")
    with pytest.raises(PermissionDenied):  # the issuer reviews; a township neither
        services.extend_deadline(county.users["town_a"], target, today + 9 * DAY, "原因")
    services.report(target, values={"n": 1})
    with pytest.raises(ValidationError) as e:
        services.extend_deadline(county_user, rb(a, "TA01"), today + 9 * DAY, "原因")
    assert "已报送" in e.value.message_dict["status"][0]
    services.withdraw(a, reason="重复", actor=county_user)
    with pytest.raises(ValidationError) as e:
        services.extend_deadline(county_user, rb(a, "TA02"), today + 9 * DAY, "原因")
    assert "已撤回" in e.value.message_dict["status"][0]
    assert rb(a, "TA02").deadline is None


def test_reviewing_township_extends_its_villages_only(county, today):
    a = issue(county, today, deadline=today + 3 * DAY, reviewer="parent")
    town = county.users["town_a"]
    services.extend_deadline(town, rb(a, "TA01"), today + 6 * DAY, "农忙")
    assert rb(a, "TA01").effective_deadline == today + 6 * DAY
    with pytest.raises(PermissionDenied):
        services.extend_deadline(town, rb(a, "TB01"), today + 6 * DAY, "农忙")


def test_moving_the_assignments_deadline(county, today):
    a = issue(county, today, deadline=today + 3 * DAY)
    county_user = county.users["county"]
    services.extend_deadline(county_user, rb(a, "TA01"), today + 6 * DAY, "农忙")
    # Later than the extension: the assignment's is in force, nothing cleared.
    services.revise(a, reason="统一延后", actor=county_user, deadline=today + 8 * DAY)
    assert rb(a, "TA01").effective_deadline == today + 8 * DAY
    assert rb(a, "TA01").deadline == today + 6 * DAY
    # Earlier than the extension: the extension granted stands, the others move.
    services.revise(a, reason="提前", actor=county_user, deadline=today + 2 * DAY)
    assert rb(a, "TA01").effective_deadline == today + 6 * DAY
    assert rb(a, "TA02").effective_deadline == today + 2 * DAY


def test_relays_stay_within_the_relayers_deadline(county, today):
    a = services.issue(
        county.root,
        title="走访",
        content="走访群众",
        starts_on=today,
        deadline=today + 5 * DAY,
        receivers={"mode": "orgs", "codes": ["TA"]},
        fields=[{"key": "n", "label": "户数", "type": "integer"}],
        actor=county.users["county"],
    )
    county_user, town = county.users["county"], county.users["town_a"]
    ta = rb(a, "TA")
    services.extend_deadline(county_user, ta, today + 10 * DAY, "镇里统筹")
    # The relayer may relay up to its own (extended) deadline, not beyond.
    with pytest.raises(ValidationError) as e:
        services.relay(rb(a, "TA"), deadline=today + 11 * DAY, actor=town)
    assert (today + 10 * DAY).isoformat() in e.value.message_dict["deadline"][0]
    relayed = services.relay(rb(a, "TA"), deadline=today + 7 * DAY, actor=town)
    # A relayed receiver is extended no later than the relayer's deadline.
    with pytest.raises(ValidationError) as e:
        services.extend_deadline(town, rb(relayed, "TA01"), today + 11 * DAY, "原因")
    assert "转办单位的截止日期" in e.value.message_dict["deadline"][0]
    services.extend_deadline(town, rb(relayed, "TA01"), today + 9 * DAY, "原因")
    # The county moves the original earlier: TA's extension stands, so the relay is kept.
    services.revise(a, reason="提前", actor=county_user, deadline=today + 3 * DAY)
    relayed.refresh_from_db()
    assert relayed.deadline == today + 7 * DAY
    assert rb(relayed, "TA01").effective_deadline == today + 9 * DAY


def test_relay_capped_when_the_relayer_has_no_extension(county, today):
    a = services.issue(
        county.root,
        title="走访",
        content="走访群众",
        starts_on=today,
        deadline=today + 5 * DAY,
        receivers={"mode": "orgs", "codes": ["TA"]},
        fields=[{"key": "n", "label": "户数", "type": "integer"}],
        actor=county.users["county"],
    )
    town = county.users["town_a"]
    relayed = services.relay(rb(a, "TA"), deadline=today + 5 * DAY, actor=town)
    services.revise(a, reason="提前", actor=county.users["county"], deadline=today + 4 * DAY)
    relayed.refresh_from_db()
    assert relayed.deadline == today + 4 * DAY


def test_reminders_follow_the_receivers_own_deadline(county, today):
    a = issue(county, today, deadline=today - DAY)
    services.extend_deadline(county.users["county"], rb(a, "TA01"), today + 2 * DAY, "原因")
    out = {oid: (key, text) for oid, key, text, _due in services.report_back_reminders(today)}
    key, text = out[county.village_a1.pk]
    assert ":soon:" in key and (today + 2 * DAY).isoformat() in text
    assert ":late:" in out[county.village_a2.pk][0]
    # Urging tells each receiver its own date.
    services.urge(a, actor=county.users["county"])
    urged = Reminder.objects.get(organization=county.village_a1, key__contains=":urge:")
    assert (today + 2 * DAY).isoformat() in urged.text


def _export(client, a):
    response = client.get(reverse("tasks:export", args=[a.pk]))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb["晒账单"].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def test_board_export_api_and_desk_show_the_receivers_deadline(client, county, today):
    a = issue(county, today, deadline=today - DAY)
    new = today + 4 * DAY
    client.force_login(county.users["county"])
    # From the desk: the line of report-backs not in offers 延期 for one receiver.
    desk = client.get(reverse("desk:home")).content.decode()
    assert f'action="{reverse("tasks:extend", args=[a.pk])}"' in desk
    assert "甲村党支部" in desk or county.village_a1.name in desk
    target = rb(a, "TA01")
    url = reverse("tasks:extend", args=[a.pk])
    refused = client.post(
        url, {"report_back": target.pk, "deadline": new, "reason": "", "next": "/"}, follow=True
    )
    assert "延期原因" in refused.content.decode() and rb(a, "TA01").deadline is None
    done = client.post(
        url, {"report_back": target.pk, "deadline": new, "reason": "换届", "next": "/"}
    )
    assert done.status_code == 302 and done.url == "/"
    assert rb(a, "TA01").deadline == new
    # Board: the receiver's own date, and the export's 截止日期 column.
    board = client.get(reverse("tasks:board", args=[a.pk]))
    assert f'data-deadline="{new.isoformat()}"' in board.content.decode()
    late = client.get(reverse("tasks:board", args=[a.pk]) + "?status=late")
    assert {r.organization.code for r in late.context["report_backs"]} == {"TA02", "TB01"}
    rows = {r["组织编码"]: r for r in _export(client, a)}
    assert rows["TA01"]["截止日期"].date() == new and rows["TA01"]["是否逾期"] == "否"
    assert rows["TA02"]["截止日期"].date() == today - DAY and rows["TA02"]["是否逾期"] == "是"
    # The receiver's page shows its new date.
    client.force_login(county.users["branch_a1"])
    page = client.get(reverse("tasks:report", args=[target.pk])).content.decode()
    assert f'data-own-deadline="{new.isoformat()}"' in page
    # A receiver cannot extend (nothing changes).
    client.post(url, {"report_back": target.pk, "deadline": new + DAY, "reason": "x"})
    assert rb(a, "TA01").deadline == new


def api(county, role):
    _, raw = tokens.create(county.users[role])
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_api_extend(county, today):
    a = issue(county, today, deadline=today + 2 * DAY)
    target = rb(a, "TA02")
    path = f"/api/tasks/report-backs/{target.pk}/extend"
    body = {"deadline": (today + 1 * DAY).isoformat(), "reason": "原因"}
    refused = api(county, "county").post(path, json.dumps(body), content_type="application/json")
    assert refused.status_code == 422 and "延期后的截止日期" in refused.content.decode()
    branch = api(county, "branch_b1").post(
        f"/api/tasks/report-backs/{rb(a, 'TB01').pk}/extend",
        json.dumps({**body, "deadline": (today + 6 * DAY).isoformat()}),
        content_type="application/json",
    )
    assert branch.status_code == 403
    ok = api(county, "county").post(
        path,
        json.dumps({**body, "deadline": (today + 6 * DAY).isoformat()}),
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    out = ok.json()
    assert out["deadline"] == (today + 6 * DAY).isoformat() and out["extended"]


def test_stats_and_the_receivers_tasks_page_count_its_own_deadline(client, county, today):
    from dangjian.core.periods import Period

    a = issue(county, today, deadline=today - DAY)
    services.extend_deadline(county.users["county"], rb(a, "TA01"), today + 4 * DAY, "原因")
    period = Period.month_of(a.starts_on)
    figures = services.task_figures(county.root, period, today=today)
    assert figures["report_backs"]["late"] == 2  # TA02 and TB01, not TA01
    client.force_login(county.users["branch_a1"])
    home = client.get(reverse("tasks:home")).content.decode()
    assert (today + 4 * DAY).isoformat() in home and "已延期" in home


def test_follow_up_below_counts_late_receivers_by_their_own_deadline(county, today):
    """The county's desk line (selectors.pending_below) says how many receivers are past the
    deadline in force: an extended one is not late any more."""
    from dangjian.tasks import selectors

    a = issue(county, today, deadline=today - DAY)
    receivers = ReportBack.objects.filter(assignment=a).count()
    (row,) = selectors.pending_below(county.users["county"], today)
    assert (row["pending"], row["late"]) == (receivers, receivers)
    services.extend_deadline(county.users["county"], rb(a, "TA01"), today + 3 * DAY, "换届")
    (row,) = selectors.pending_below(county.users["county"], today)
    assert (row["pending"], row["late"]) == (receivers, receivers - 1)
