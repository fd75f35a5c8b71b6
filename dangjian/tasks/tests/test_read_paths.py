"""Every read path of the tasks app shows the same records: for each model and each role of
the test county, the HTML list, the API list and the .xlsx export (where they exist) hold
the same set, and a record's own page (and API detail) opens exactly for the listed ones.
They all call `tasks.selectors`, so this holds by construction; these tests keep it so."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.accounts import tokens
from dangjian.accounts.models import RoleName
from dangjian.orgs import services as orgs
from dangjian.tasks import services
from dangjian.tasks.models import Assignment, Pledge, ReportBack, SecretaryProject, WorkMeeting
from dangjian.testing import make_user

ROLES = ["county", "town_a", "branch_a1", "member_a1", "member_ta"]
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(county):
    """Assignments, pledges, work meetings and projects at several levels, and one more user:
    a member role at the township that issues (member_ta)."""
    county.users["member_ta"] = make_user("member_ta", RoleName.MEMBER, county.town_a)
    today = timezone.localdate()
    year = today.year
    villages = {"mode": "filter", "levels": ["village"], "kinds": ["branch"]}
    for issuer, title, receivers, shared in [
        (county.root, "县委共享交办单", villages, True),
        (county.root, "县委不共享交办单", villages, False),
        (county.town_a, "甲镇交办单", {"mode": "subtree"}, True),
        (county.town_b, "乙镇交办单", {"mode": "subtree"}, True),
    ]:
        services.issue(
            issuer,
            title=title,
            content="内容",
            starts_on=today,
            deadline=today + 10 * DAY,
            receivers=receivers,
            fields=[],
            board_shared=shared,
        )
    for issuer, org in [
        (county.root, county.town_a),
        (county.root, county.town_b),
        (county.town_a, county.village_a1),
    ]:
        services.create_pledge(
            issuer,
            org,
            year=year,
            title=f"{org.name}责任书",
            targets=[{"text": f"{org.code}的目标", "target_value": 2}],
        )
    for org in (county.root, county.town_a, county.town_b, county.village_a1):
        services.record_work_meeting(
            org, held_on=today, month=f"{today:%Y-%m}", notes=f"{org.code}的例会"
        )
    for org in (county.village_a1, county.village_b1):
        secretary = county.members[org.code][0]
        orgs.appoint_officer(org, secretary, "secretary", term_start=datetime.date(2024, 1, 1))
        services.create_project(
            org, secretary=secretary, year=year, title=f"{org.code}项目", goal="带动增收"
        )
    return county


def page_client(county, role):
    client = Client()
    client.force_login(county.users[role])
    return client


def api_client(county, role):
    _, raw = tokens.create(county.users[role])
    return Client(headers={"Authorization": f"Bearer {raw}"})


def api_items(client, path, **params):
    response = client.get(f"/api/tasks{path}", {"limit": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["items"]


def sheet(response):
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)][1:]


@pytest.mark.parametrize("role", ROLES)
def test_assignments_list_page_api_and_export_agree(world, role):
    pages, api = page_client(world, role), api_client(world, role)
    titles = dict(Assignment.objects.values_list("title", "pk"))
    for side in ("issued", "received"):
        html = {
            a.pk
            for a in pages.get(reverse("tasks:assignments"), {"tab": side}).context["assignments"]
        }
        by_api = {a["id"] for a in api_items(api, "/assignments", side=side)}
        rows = sheet(pages.get(reverse("tasks:assignments_export"), {"tab": side}))
        exported = {titles[r[1]] for r in rows}
        assert html == by_api == exported, (role, side)
    listed = {
        a.pk
        for tab in ("issued", "received")
        for a in pages.get(reverse("tasks:assignments"), {"tab": tab}).context["assignments"]
    }
    assert {a["id"] for a in api_items(api, "/assignments")} == listed
    for pk in titles.values():
        page = pages.get(reverse("tasks:board", args=[pk])).status_code
        detail = api.get(f"/api/tasks/assignments/{pk}").status_code
        expected = 200 if pk in listed else 404
        assert page == detail == expected, (role, pk, page, detail)


@pytest.mark.parametrize("role", ROLES)
def test_report_backs_board_api_and_export_agree(world, role):
    pages, api = page_client(world, role), api_client(world, role)
    seen = set()
    for assignment in Assignment.objects.all():
        board = pages.get(reverse("tasks:board", args=[assignment.pk]))
        if board.status_code == 404:
            continue
        html = {rb.pk for rb in board.context["report_backs"]}
        by_api = {r["id"] for r in api_items(api, f"/assignments/{assignment.pk}/report-backs")}
        codes = {r[0] for r in sheet(pages.get(reverse("tasks:export", args=[assignment.pk])))}
        exported = set(
            assignment.report_backs.filter(organization__code__in=codes).values_list(
                "pk", flat=True
            )
        )
        assert html == by_api == exported, (role, assignment.title)
        seen |= html
    for pk in ReportBack.objects.values_list("pk", flat=True):
        status = pages.get(reverse("tasks:report", args=[pk])).status_code
        assert status == (200 if pk in seen else 404), (role, pk)


@pytest.mark.parametrize("role", ROLES)
def test_pledges_list_api_and_export_agree(world, role):
    pages, api = page_client(world, role), api_client(world, role)
    year = timezone.localdate().year
    html = {p.pk for p in pages.get(reverse("tasks:pledges"), {"year": year}).context["pledges"]}
    by_api = {p["id"] for p in api_items(api, "/pledges", year=year)}
    rows = sheet(pages.get(reverse("tasks:pledges_export"), {"year": year}))
    exported = set(
        Pledge.objects.filter(targets__text__in=[r[5] for r in rows]).values_list("pk", flat=True)
    )
    assert html == by_api == exported, role
    for pk in Pledge.objects.values_list("pk", flat=True):
        page = pages.get(reverse("tasks:pledge", args=[pk])).status_code
        detail = api.get(f"/api/tasks/pledges/{pk}").status_code
        assert page == detail == (200 if pk in html else 404), (role, pk)


@pytest.mark.parametrize("role", ROLES)
def test_work_meetings_list_and_export_agree(world, role):
    pages = page_client(world, role)
    html = {m.pk for m in pages.get(reverse("tasks:meetings")).context["meetings"]}
    notes = [r[5] for r in sheet(pages.get(reverse("tasks:meetings_export")))]
    exported = set(WorkMeeting.objects.filter(notes__in=notes).values_list("pk", flat=True))
    assert html == exported, role


@pytest.mark.parametrize("role", ROLES)
def test_projects_list_export_and_pages_agree(world, role):
    pages = page_client(world, role)
    html = {p.pk for p in pages.get(reverse("tasks:projects")).context["projects"]}
    titles = [r[4] for r in sheet(pages.get(reverse("tasks:projects_export")))]
    exported = set(SecretaryProject.objects.filter(title__in=titles).values_list("pk", flat=True))
    assert html == exported, role
    for pk in SecretaryProject.objects.values_list("pk", flat=True):
        status = pages.get(reverse("tasks:project", args=[pk])).status_code
        assert status == (200 if pk in html else 404), (role, pk)


def test_a_member_role_at_the_issuer_sees_what_its_organization_received_only(world):
    """The member-role case that used to read three ways: listed on the page (issued tab),
    404 on the assignment's page and 200 with the full detail from the API."""
    pages, api = page_client(world, "member_ta"), api_client(world, "member_ta")
    issued = Assignment.objects.get(title="甲镇交办单")
    listed = [
        a.pk
        for tab in ("issued", "received")
        for a in pages.get(reverse("tasks:assignments"), {"tab": tab}).context["assignments"]
    ]
    assert issued.pk not in listed
    assert pages.get(reverse("tasks:board", args=[issued.pk])).status_code == 404
    assert api.get(f"/api/tasks/assignments/{issued.pk}").status_code == 404
    assert issued.pk not in {a["id"] for a in api_items(api, "/assignments")}
    # A member of a receiving branch sees what its branch received, on every path.
    pages, api = page_client(world, "member_a1"), api_client(world, "member_a1")
    received = [
        a.pk
        for a in pages.get(reverse("tasks:assignments"), {"tab": "received"}).context["assignments"]
    ]
    assert issued.pk in received
    assert pages.get(reverse("tasks:board", args=[issued.pk])).status_code == 200
    assert api.get(f"/api/tasks/assignments/{issued.pk}").status_code == 200
