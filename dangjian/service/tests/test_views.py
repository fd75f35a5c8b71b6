"""The pages of serving the public: a cadre records a visit with a concern and follows it to
solved; a member claims a post and records service; the ledger filters; exports; and no page
shows another subtree's records."""

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from dangjian.orgs import services as org_services
from dangjian.service import services
from dangjian.service.models import Concern, ConcernStatus, ServiceRecord
from dangjian.testing import build_county

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def county():
    return build_county()


def login(user):
    c = Client()
    c.force_login(user)
    return c


def test_cadre_records_a_visit_with_a_concern_and_closes_it_only_with_an_outcome(county):
    c = login(county.users["branch_a1"])
    assert c.get("/service/").status_code == 200
    r = c.post(
        "/service/org/TA01/visits/new/",
        {
            "kind": "household",
            "visitor": "王书记",
            "household": "李大爷家",
            "visited_on": "2026-11-02",
            "findings": "老人独居",
            "category": "hardship",
            "content": "冬季取暖困难",
            "owner": "村委会",
            "due_on": "2026-11-30",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    concern = Concern.objects.get()
    url = f"/service/concerns/{concern.pk}/"
    r = c.post(url, {"close": "1", "status": "solved", "outcome": ""})
    assert r.status_code == 200 and "没有结果的民情事项不能办结" in r.content.decode()
    assert c.post(url, {"follow": "1", "text": "联系民政办"}).status_code == 302
    assert (
        c.post(url, {"close": "1", "status": "solved", "outcome": "已发放取暖补贴"}).status_code
        == 302
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.SOLVED
    page = c.get("/service/concerns/?category=hardship&status=solved").content.decode()
    assert "冬季取暖困难" in page
    assert "冬季取暖困难" not in c.get("/service/concerns/?category=dispute").content.decode()
    xlsx = c.get("/service/concerns/export.xlsx?category=hardship")
    rows = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.values)
    assert rows[1][3] == "冬季取暖困难" and rows[1][7] == "已解决"
    # Others: a member and another village's secretary never see it.
    assert login(county.users["member_a1"]).get(url).status_code == 404
    assert login(county.users["branch_b1"]).get(url).status_code == 404
    assert (
        "冬季取暖困难"
        not in login(county.users["branch_b1"]).get("/service/concerns/").content.decode()
    )


def test_member_claims_a_post_and_records_service(county):
    street = org_services.create_child(
        county.root,
        code="TS",
        name="城关街道",
        kind="working_committee",
        level="street",
        sector="community",
    )
    community = org_services.create_child(
        street,
        code="TS01",
        name="东关社区党支部",
        kind="branch",
        level="community",
        sector="community",
    )
    post = services.publish_post(
        county.users["county"], community, title="楼栋联络员", duties="联系住户", places=2
    )
    c = login(county.users["member_a1"])
    assert "楼栋联络员" in c.get("/service/posts/").content.decode()
    r = c.post(f"/service/posts/{post.pk}/")
    assert r.status_code == 302
    claim_url = r["Location"]
    r = c.post(
        claim_url,
        {
            "served_on": datetime.date.today().isoformat(),
            "hours": "2",
            "people_served": "8",
            "content": "政策宣传",
        },
    )
    assert r.status_code == 302
    assert ServiceRecord.objects.get().people_served == 8
    r = c.post(claim_url, {"served_on": "", "hours": "40", "people_served": "", "content": ""})
    assert r.status_code == 200 and 'class="error"' in r.content.decode()
    r = c.post(
        claim_url, {"served_on": "2000-01-01", "hours": "30", "people_served": "1", "content": "x"}
    )
    page = r.content.decode()
    assert "服务时长应大于0且不超过24小时" in page and "不能早于认领岗位的日期" in page
    assert ServiceRecord.objects.count() == 1
    desk = c.get("/").content.decode()
    assert "我认领的服务岗位" in desk and "楼栋联络员" in desk


def test_pages_render_for_every_role(county):
    services.make_pledge(
        county.users["branch_a1"],
        county.village_a1,
        content="修缮村道",
        beneficiary="村民",
        due_on=D(2026, 12, 20),
    )
    me = county.members["TA01"][0]
    services.submit_suggestion(county.users["member_a1"], me, title="建议修路", content="路况差")
    for name in ("county", "town_a", "branch_a1", "member_a1"):
        c = login(county.users[name])
        for url in (
            "/service/",
            "/service/pledges/",
            "/service/posts/",
            "/service/visits/",
            "/service/concerns/",
            "/service/proxy/",
            "/service/suggestions/",
            "/service/teams/",
            "/service/contact-points/",
            "/service/pledges/export.xlsx",
        ):
            assert c.get(url).status_code == 200, (name, url)
    assert "修缮村道" in login(county.users["member_a1"]).get("/service/pledges/").content.decode()
    assert (
        "修缮村道" not in login(county.users["branch_b1"]).get("/service/pledges/").content.decode()
    )
    assert (
        "建议修路"
        not in login(county.users["branch_b1"]).get("/service/suggestions/").content.decode()
    )
