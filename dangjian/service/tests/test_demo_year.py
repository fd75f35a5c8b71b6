"""The demo's year of serving the public: deterministic, never after yesterday, rows the
services would accept, and figures that add up over the tree."""

import datetime

import pytest
from django.db.models import Count, F, Max

from dangjian.core.periods import Period
from dangjian.demo import generator, loader
from dangjian.orgs.models import Organization
from dangjian.service import selectors
from dangjian.service.models import (
    Concern,
    Pledge,
    PostClaim,
    ProxyRequest,
    ServicePost,
    ServiceRecord,
    Suggestion,
    Visit,
    WorkTeam,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)
LAST = TODAY - datetime.timedelta(days=1)


def snapshot():
    code = dict(Organization.objects.values_list("id", "code"))
    return {
        "pledges": sorted(
            (code[o], c, s, str(d))
            for o, c, s, d in Pledge.objects.values_list(
                "organization_id", "content", "status", "due_on"
            )
        ),
        "concerns": sorted(
            (code[o], c, s, str(d))
            for o, c, s, d in Concern.objects.values_list(
                "organization_id", "category", "status", "raised_on"
            )
        ),
        "records": ServiceRecord.objects.count(),
        "visits": Visit.objects.count(),
    }


def test_the_demo_year_of_serving_the_public():
    loader.load(generator.province(150, 1500, seed=9), activity=True, today=TODAY)
    first = snapshot()
    assert first["pledges"] and first["concerns"] and first["visits"]
    # Nothing after yesterday.
    assert Visit.objects.aggregate(m=Max("visited_on"))["m"] <= LAST
    assert Concern.objects.aggregate(m=Max("closed_on"))["m"] <= LAST
    assert ServiceRecord.objects.aggregate(m=Max("served_on"))["m"] <= LAST
    assert ProxyRequest.objects.aggregate(m=Max("done_on"))["m"] <= LAST
    # What the services require.
    assert not Concern.objects.filter(status__in=["solved", "answered"], outcome="").exists()
    assert not Concern.objects.filter(closed_on__lt=F("raised_on")).exists()
    assert not Pledge.objects.filter(status="done", evidence="").exists()
    assert not Pledge.objects.filter(status="not_done", reason="").exists()
    for post in ServicePost.objects.annotate(n=Count("claims")):
        assert post.claimed == post.n <= post.places
    homes = PostClaim.objects.values("member_id").annotate(
        n=Count("organization_id", distinct=True)
    )
    assert all(row["n"] == 1 for row in homes)
    assert not ServiceRecord.objects.filter(served_on__lt=F("claim__claimed_on")).exists()
    assert not Suggestion.objects.filter(status="replied", reply="").exists()
    assert WorkTeam.objects.filter(extended_to__isnull=False).exists()
    # Figures add up: each count = the children's + the organization's own.
    period = Period(2026)
    root = Organization.objects.get(depth=1)
    total = selectors.service_figures(root, period)
    children = [selectors.service_figures(c, period) for c in root.children()]
    own = Concern.objects.filter(organization=root).count()
    assert total["concerns"] == sum(c["concerns"] for c in children) + own
    own_visits = Visit.objects.filter(organization=root, kind="household").count()
    assert (
        total["households_visited"] == sum(c["households_visited"] for c in children) + own_visits
    )
    assert (
        total["pledges_made"]["member"]
        == sum(c["pledges_made"]["member"] for c in children)
        + Pledge.objects.filter(organization=root, member__isnull=False).count()
    )
    # Deterministic: the same seed and day give the same rows.
    loader.wipe()
    loader.load(generator.province(150, 1500, seed=9), activity=True, today=TODAY)
    assert snapshot() == first
