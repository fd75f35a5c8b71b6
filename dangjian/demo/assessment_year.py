"""The demo county's assessment year (issue 12): a yearly scheme with indicators computed
from the records and an inspection score given by hand; last year's assessment computed and
published with its notice; a quarterly scheme with this year's finished quarters computed,
the earlier ones published and the last one still open with some hand scores to give (the
desk shows them).

Deterministic (seeded rng); hand scores are written in bulk, the scores by the assessment's
own `compute` (the same code the background job runs)."""

import datetime
import random

from django.utils import timezone

from dangjian.assessment import services
from dangjian.assessment.models import Assessment, HandScore, Method
from dangjian.core.periods import Period
from dangjian.orgs.models import Organization

MAX_ORGS = 5000  # a province-scale tree gets no demo assessment (the bench makes its own)

YEARLY = [
    {
        "code": "meetings",
        "name": "三会一课等组织生活按期召开",
        "method": "computed",
        "source": "life.meeting_compliance",
        "weight": "30",
        "zero_at": "0.6",
        "full_at": "1",
        "description": "按期召开率60%及以下不得分，100%得满分",
    },
    {
        "code": "report_backs",
        "name": "晒账单按时报送",
        "method": "computed",
        "source": "tasks.report_backs_on_time",
        "weight": "20",
        "zero_at": "0.5",
        "full_at": "1",
    },
    {
        "code": "pledges",
        "name": "目标责任书目标完成",
        "method": "computed",
        "source": "tasks.pledge_targets_met",
        "weight": "15",
        "zero_at": "0",
        "full_at": "1",
    },
    {
        "code": "elections",
        "name": "按期换届",
        "method": "computed",
        "source": "health.elections_on_time",
        "weight": "10",
        "zero_at": "0",
        "full_at": "1",
    },
    {
        "code": "inspection",
        "name": "督查考核组评分",
        "method": "hand",
        "weight": "25",
        "description": "季度督查、年终考核组实地查看台账和听取汇报后评分",
    },
]
# Last year the records were not kept here yet: the inspection groups scored organizational
# life by hand (version 1); this year's version computes it from the records (version 2).
LAST_YEAR = [
    {
        "code": "life",
        "name": "组织生活（年终检查评分）",
        "method": "hand",
        "weight": "50",
        "description": "查阅会议记录本评分",
    },
    dict(YEARLY[3], weight="10"),
    dict(YEARLY[4], weight="40"),
]
QUARTERLY = [
    dict(YEARLY[0], weight="45", zero_at="0.4", description="按期召开率40%及以下不得分"),
    dict(YEARLY[1], weight="30", zero_at="0.3"),
    YEARLY[4],
]

REASONS_GOOD = ["台账齐全，组织生活规范", "阵地建设达标，服务群众成效明显", "书记项目推进有力"]
REASONS_WEAK = ["会议记录不全，部分党员长期未参加组织生活", "村务公开不及时", "整改措施未落实"]


def _hand_scores(assessment, orgs, users, rng, share=1.0):
    """Hand scores of every hand indicator for `share` of the assessed organizations: most
    between 70% and 100% of the weight, a few weak ones lower, each with a reason and the
    inspector who gave it."""
    rows = []
    version = assessment.scheme.current_version()
    for indicator in version.indicators.filter(method=Method.HAND):
        weight = float(indicator.weight)
        for org_id in orgs:
            if rng.random() > share:
                continue
            weak = rng.random() < 0.08
            part = rng.uniform(0.3, 0.6) if weak else rng.uniform(0.7, 1.0)
            rows.append(
                HandScore(
                    assessment=assessment,
                    organization_id=org_id,
                    indicator_code=indicator.code,
                    score=round(weight * part, 1),
                    reason=rng.choice(REASONS_WEAK if weak else REASONS_GOOD),
                    source="督查组",
                    created_by_id=rng.choice(users) if users else None,
                )
            )
    HandScore.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def run(activity) -> None:
    world = activity.world
    if world.root is None or len(world.orgs) > MAX_ORGS:
        return
    root = Organization.objects.get(pk=world.root.id)
    if Assessment.objects.filter(organization=root).exists():
        return
    activity.say("正在生成考核评议（方案、去年的年度考核和今年的季度考核）……")
    rng = random.Random(activity.seed * 1_000_003 + 7919 * 41)
    today = activity.today
    users = [u for u in (activity.user("county"), activity.user("township")) if u]
    yearly = services.create_scheme(
        None, root, name="基层党组织年度考核方案", period_kind="year", indicators=LAST_YEAR
    )
    quarterly = services.create_scheme(
        None, root, name="基层党组织季度考核方案", period_kind="quarter", indicators=QUARTERLY
    )
    made = {"assessments": 0, "hand_scores": 0, "notices": 0}

    def assess(scheme, period: Period, *, publish_on=None, share=1.0):
        a = services.open_assessment(None, scheme, str(period))
        Assessment.objects.filter(pk=a.pk).update(
            created_at=timezone.make_aware(
                datetime.datetime.combine(
                    min(today, period.end + datetime.timedelta(days=3)), datetime.time(9)
                )
            )
        )
        orgs = list(Organization.objects.filter(services.assessed(a)).values_list("id", flat=True))
        made["hand_scores"] += _hand_scores(a, orgs, users, rng, share)
        services.compute(a, today=today)
        made["assessments"] += 1
        if publish_on is not None and publish_on <= today:
            services.publish(None, a, today=publish_on)
            made["notices"] += 1
        return a

    last_year = Period(today.year - 1)
    assess(yearly, last_year, publish_on=datetime.date(today.year, 1, 20))
    services.revise_scheme(
        None, yearly, indicators=YEARLY, note="今年起组织生活、晒账单、目标责任书按系统记录计分"
    )
    # This year's quarters that have ended: published a month after, the last one still open
    # with a tenth of its hand scores to give.
    quarters = [
        Period(today.year, quarter=q)
        for q in range(1, 5)
        if Period(today.year, quarter=q).end < today
    ]
    for i, quarter in enumerate(quarters):
        last = i == len(quarters) - 1
        publish_on = None if last else quarter.end + datetime.timedelta(days=30)
        assess(quarterly, quarter, publish_on=publish_on, share=0.9 if last else 1.0)
    activity.made.update({f"assessment_{k}": v for k, v in made.items()})
