"""The three read paths of a list — the HTML page, the API list and the .xlsx export — show
the same records, for every role of the test county and every organization asked for: all
three call the same `life.selectors` function. Where the page is a 404 (an organization
outside the user's subtree), so are the other two."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.life import services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year
ROLES = ["county", "town_a", "town_b", "branch_a1", "branch_b1", "member_a1", "nobody"]
CODES = ["T", "TA", "TA01", "TA0101", "TA02", "TB", "TB01"]


def sheet_rows(response):
    content = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)][1:-1]  # no 合计


def api_rows(client, path, params):
    rows, offset = [], 0
    while True:
        response = client.get(f"/api/life/{path}", {**params, "limit": 100, "offset": offset})
        if response.status_code != 200:
            return response.status_code, None
        page = response.json()
        rows += page["items"]
        offset += 100
        if offset >= page["count"]:
            return 200, rows


@pytest.fixture
def life_records(county):
    """Meetings, reviews and talks in every corner of the county (one meeting voided)."""
    day = TODAY.replace(day=1)
    orgs = {
        "T": county.root,
        "TA": county.town_a,
        "TA01": county.village_a1,
        "TA0101": county.group_a1,
        "TA02": county.village_a2,
        "TB": county.town_b,
        "TB01": county.village_b1,
    }
    for code, org in orgs.items():
        kind = "group_meeting" if org.kind == "group" else "theme_day"
        if org.kind == "committee":
            kind = "committee_session"
        services.record_meeting(org, kind=kind, held_on=day, topic=f"{code}会议")
    voided = services.record_meeting(
        county.village_a1, kind="party_lecture", held_on=day, topic="作废的党课", lecturer="王"
    )
    services.void_meeting(voided, reason="录错")
    for code in ("TA01", "TA02", "TB01"):
        members = county.members[code]
        services.record_reviews(
            orgs[code],
            YEAR,
            {m.pk: ("qualified", "", "") for m in members},
            reviewed_on=day,
        )
        services.record_talk(
            orgs[code],
            held_on=day,
            initiator=members[0],
            counterpart=members[1],
            topic=f"{code}谈话",
        )
    return orgs


# (page url name, API path, extra query of page and export, of the API, the page's list
# in its context, and the record's key on each path)
PATHS = {
    "meetings": (
        "life:meetings",
        "life:meetings_export",
        "meetings",
        {},
        {},
        "meetings",
        lambda m: (m.organization.code, m.topic),
        lambda r: (r["organization"], r["topic"]),
        lambda row: (row[3], row[5]),
    ),
    "meetings_voided": (
        "life:meetings",
        "life:meetings_export",
        "meetings",
        {"voided": "1"},
        {"voided": "true"},
        "meetings",
        lambda m: (m.organization.code, m.topic),
        lambda r: (r["organization"], r["topic"]),
        lambda row: (row[3], row[5]),
    ),
    "reviews": (
        "life:reviews",
        "life:reviews_export",
        "reviews",
        {"year": YEAR},
        {"year": YEAR},
        "listed",
        lambda r: (r.organization.code, r.member.name),
        lambda r: (r["organization"], r["member_name"]),
        lambda row: (row[3], row[4]),
    ),
    "talks": (
        "life:talks",
        "life:talks_export",
        "talks",
        {"year": YEAR},
        {"year": YEAR},
        "listed",
        lambda t: (t.organization.code, t.topic),
        lambda r: (r["organization"], r["topic"]),
        lambda row: (row[3], row[6]),
    ),
}


@pytest.mark.parametrize("which", list(PATHS))
def test_page_api_and_export_show_the_same_records(county, life_records, which):
    page_name, export_name, api_path, query, api_query, listed, page_key, api_key, row_key = PATHS[
        which
    ]
    seen_any = 0
    for role in ROLES:
        client = Client()
        client.force_login(county.users[role])
        for code in CODES:
            page = client.get(reverse(page_name, args=[code]), query)
            status, api = api_rows(client, api_path, {"org": code, **api_query})
            export = client.get(reverse(export_name, args=[code]), query)
            where = (which, role, code)
            if page.status_code == 404:
                assert (status, export.status_code) == (404, 404), where
                continue
            assert (page.status_code, status, export.status_code) == (200, 200, 200), where
            shown = {page_key(x) for x in page.context[listed]}
            assert len(shown) == len(page.context[listed]), where
            assert {api_key(r) for r in api} == shown, where
            assert {row_key(row) for row in sheet_rows(export)} == shown, where
            seen_any += len(shown)
    assert seen_any > 0


def test_the_paths_are_scoped_as_expected(county, life_records):
    """A spot check of what the shared selector answers, so the test above compares
    non-trivial sets: a township sees its villages' meetings, a member only their branch's."""
    client = Client()
    client.force_login(county.users["town_a"])
    status, api = api_rows(client, "meetings", {"org": "TA"})
    assert {r["organization"] for r in api} == {"TA", "TA01", "TA0101", "TA02"}
    client.force_login(county.users["member_a1"])
    status, api = api_rows(client, "meetings", {})
    assert {r["topic"] for r in api} == {"TA01会议"}
    status, api = api_rows(client, "talks", {"year": YEAR})
    assert {r["topic"] for r in api} == {"TA01谈话"}
    assert api_rows(client, "reviews", {"org": "TB01", "year": YEAR})[0] == 404
