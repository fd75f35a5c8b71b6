"""No exported cell is a formula, whatever the text of a record starts with (issue 10).

Every .xlsx route of the site is downloaded by the county admin after the records behind
it were renamed to text a spreadsheet would run: "=HYPERLINK(...)", "+1", "-1", "@SUM(...)",
"#N/A". The file is reopened with openpyxl and its XML read: no cell may hold a formula or
an error, and the hostile text must be there, as text.
"""

import io
import zipfile

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core import xlsx
from dangjian.core.tests.test_url_scoping import TODAY, build_world, walked_names
from dangjian.development.models import Candidacy
from dangjian.health.models import Unit
from dangjian.life.models import Leader, Meeting, Talk
from dangjian.members.models import Member
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Organization
from dangjian.service.models import Concern, Pledge
from dangjian.supervision.models import Guarantor, RectificationItem
from dangjian.tasks.models import (
    Assignment,
    PledgeTarget,
    ReportBack,
    SecretaryProject,
    WorkMeeting,
)
from dangjian.testing import build_county
from dangjian.village.models import PayLine, Venue

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/","点我")'
HOSTILE = (LINK, "+1", "-1", "@SUM(A1:A9)", "=1+1", "#N/A")

# Every .xlsx route, as the county admin opens it (the names are checked against the walk).
EXPORTS = {
    "training:hours_export": [(None, "?org=T")],
    "reports:export": [("members", ""), ("organizations", "?org=T")],
    "health:setup_export": [("T", "")],
    "health:elections_export": [("T", "")],
    "health:coverage_export": [("T", "")],
    "life:overview_export": [(None, "?org=T")],
    "life:meetings_export": [("TB01", "")],
    "life:reviews_export": [("TB01", "")],
    "life:talks_export": [("TB01", "")],
    "life:participation_export": [("T", "")],
    "tasks:assignments_export": [(None, "")],
    "tasks:export": [("assignment", "")],
    "tasks:pledges_export": [(None, "?org=T")],
    "tasks:meetings_export": [(None, "")],
    "tasks:projects_export": [(None, "?org=T")],
    "governance:matters_export": [(None, "")],
    "assessment:export": [("assessment", "")],
    "points:members_export": [("TB", "")],
    "supervision:ledger_export": [(None, "?org=TB")],
    "weakorgs:export": [("T", f"?year={TODAY.year}")],
    "service:pledges_export": [(None, "")],
    "service:concerns_export": [(None, "")],
    "village:venues_export": [(None, "?org=TB")],
    "village:sheets_export": [(None, "?org=TB")],
    "development:export": [(None, "?org=T")],
    "members:transfers_export": [("TB01", "")],
    "members:mobile_export": [("TB01", "")],
    "reports:mapped_export": [("mapping", "")],
    "dues:ledger_export": [(None, "?org=TB")],
}


def make_hostile(world):
    """The records of the world renamed to text a spreadsheet would run."""
    tb = world.tb
    # A branch without members: the setup-flag export lists it.
    org_services.create_child(
        tb.org, code="TB09", name="乙九村党支部", kind="branch", level="village", sector="rural"
    )
    for i, org in enumerate(Organization.objects.exclude(depth=1).order_by("path")):
        Organization.objects.filter(pk=org.pk).update(name=HOSTILE[i % len(HOSTILE)])
    Member.objects.filter(pk=tb.secretary.pk).update(name="+1", ethnicity="=1+1")
    Member.objects.filter(pk=tb.member.pk).update(name="@SUM(A1:A9)")
    Meeting.objects.filter(pk=tb.meeting.pk).update(topic="-1")
    Talk.objects.filter(pk=tb.talk.pk).update(topic=LINK)
    Leader.objects.filter(pk=tb.leader.pk).update(title="#N/A")
    Unit.objects.filter(pk=tb.unit.pk).update(name=LINK)
    Assignment.objects.filter(pk=tb.assignment.pk).update(title="=1+1")
    ReportBack.objects.filter(pk=tb.report_back.pk).update(text="-1")
    PledgeTarget.objects.filter(pk=tb.target.pk).update(text="@SUM(A1:A9)", progress_note="+1")
    WorkMeeting.objects.filter(pk=tb.work_meeting.pk).update(notes=LINK, attendees="+1")
    SecretaryProject.objects.filter(pk=tb.project.pk).update(
        title=LINK, brand="+1", goal="-1", results="@SUM(A1:A9)"
    )
    Pledge.objects.filter(pk=tb.public_pledge.pk).update(content=LINK, beneficiary="+1")
    Concern.objects.filter(pk=tb.concern.pk).update(content="=1+1", owner="@SUM(A1:A9)")
    RectificationItem.objects.filter(pk=tb.rect_item.pk).update(
        problem=LINK, measures="=1+1", owner_name="+1"
    )
    Guarantor.objects.filter(item=tb.rect_item).update(name="@SUM(A1:A9)", post="-1")
    Venue.objects.filter(pk=tb.village_venue.pk).update(address=LINK, office_phone="+1")
    PayLine.objects.filter(sheet=tb.village_sheet).update(name="=1+1")
    Candidacy.objects.filter(pk=tb.development_candidacy.pk).update(
        name="=1+1", end_reason="@SUM(A1:A9)"
    )


def formulas(content: bytes) -> list[str]:
    """The cells of a workbook that hold a formula or an error, as openpyxl reads them back,
    and any <f> element in its XML."""
    found = []
    wb = load_workbook(io.BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            found += [f"{ws.title}!{c.coordinate}" for c in row if c.data_type in ("f", "e")]
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and b"<f>" in z.read(name):
                found.append(f"<f> in {name}")
    return found


def texts(content: bytes) -> set[str]:
    wb = load_workbook(io.BytesIO(content))
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}


def test_every_export_route_is_checked():
    exports = {n for n in walked_names() if n.endswith("export")}
    assert exports == set(EXPORTS)


def test_no_exported_cell_is_a_formula(client, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        world = build_world(build_county())
    make_hostile(world)
    client.force_login(world.county.users["county"])
    for name, cases in EXPORTS.items():
        for arg, query in cases:
            if arg == "assignment":
                arg = world.tb.assignment.pk
            elif arg == "assessment":
                arg = world.tb.assessment.pk
            elif arg == "mapping":
                arg = world.tb.reports_mapping.pk
            url = reverse(name, args=[arg] if arg is not None else []) + query
            response = client.get(url)
            assert response.status_code == 200, url
            content = b"".join(response.streaming_content)
            assert formulas(content) == [], url
            # The hostile text is in the file, as text.
            assert texts(content) & set(HOSTILE), url


def test_text_that_looks_like_a_formula_stays_text():
    out = xlsx.workbook("测试", [("值", 10)], [[v] for v in HOSTILE], notes=[LINK])
    content = out.read()
    assert formulas(content) == []
    wb = load_workbook(io.BytesIO(content))
    column = [c.value for c in wb.worksheets[0]["A"][1:]]
    assert column == list(HOSTILE)
    # Marked as text for Excel too: editing the cell does not turn it into a formula.
    assert all(c.quotePrefix for c in wb.worksheets[0]["A"][1:])
    assert LINK in {c.value for c in wb["说明"]["A"]}
