"""The demo's year of development: never after yesterday, every candidacy's steps accepted by
the rules replayed in order (the services would have taken them), the roll-ups equal to a
rebuild from the rows."""

import datetime

import pytest
from django.db.models import Max

from dangjian.demo import generator, loader
from dangjian.development import rules, selectors, services
from dangjian.development.models import Candidacy, Cultivation, DevelopmentStep
from dangjian.orgs.models import Organization
from dangjian.rollups import services as rollups

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)
LAST = TODAY - datetime.timedelta(days=1)


def test_the_demo_year_of_development():
    loader.load(generator.province(60, 700, seed=9), activity=True, today=TODAY)
    assert Candidacy.objects.exists() and Cultivation.objects.exists()
    assert DevelopmentStep.objects.aggregate(m=Max("done_on"))["m"] <= LAST
    for c in Candidacy.objects.select_related("organization").prefetch_related("steps__people"):
        s = services.settings_of(c.organization)
        done = []
        for step in sorted(c.steps.all(), key=lambda x: (x.done_on, x.number)):
            attempt = rules.Step(
                step.number,
                step.done_on,
                people=[(m.name, m.status, False) for m in step.people.all()],
                hours=step.hours,
                days=step.days,
                notice_from=step.notice_from,
            )
            assert rules.check(attempt, done, s, birth_date=c.birth_date) == {}, (c.pk, step.number)
            done.append(rules.Done(step.number, step.done_on))
        assert rules.stage_after(done) == c.stage and c.last_step == done[-1].number
    root = Organization.objects.get(depth=1)
    before = selectors.pipeline(root), selectors.double_strong(root)
    rollups.rebuild()
    assert (selectors.pipeline(root), selectors.double_strong(root)) == before
    assert before[0]["applicants"] and before[0]["activists"]
