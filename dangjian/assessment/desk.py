"""Assessment on the work desk: for the upper levels, the open assessments over their
subtree with hand scores still missing; for a branch, its own grade once published."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.desk.registry import BRANCH, UPPER, Item, Line, orgs_of, register

from . import rules, selectors
from .models import Score, Status

RECENT_DAYS = 60  # a published grade stays on the branch's desk this long


def hand_scores_missing(user, today) -> list[Item]:
    lines = []
    for assessment in selectors.visible_assessments(user).filter(status=Status.OPEN)[:20]:
        n = selectors.missing_hand_scores(user, assessment)
        if not n:
            continue
        url = reverse("assessment:ranking", args=[assessment.pk]) + "?missing=1"
        lines.append(
            Line(
                _("%(a)s：%(n)s个组织还缺人工评分") % {"a": str(assessment), "n": n},
                url=url,
                badge="due",
            )
        )
    if not lines:
        return []
    return [Item(_("考核待评分"), lines, more_url=reverse("assessment:index"))]


def own_grade(user, today) -> list[Item]:
    orgs = [o for o in orgs_of(user, BRANCH) if not o.is_dissolved]
    if not orgs:
        return []
    since = today - datetime.timedelta(days=RECENT_DAYS)
    scores = (
        Score.objects.filter(
            organization__in=orgs,
            assessment__status=Status.PUBLISHED,
            assessment__published_on__gte=since,
        )
        .select_related("assessment", "assessment__organization", "organization")
        .order_by("-assessment__published_on")[:10]
    )
    lines = []
    for s in scores:
        label = rules.grade_labels(selectors.grades_of(s.assessment)).get(s.grade, s.grade)
        lines.append(
            Line(
                _("%(org)s %(period)s考核：%(total)s分，%(grade)s（同层级同领域倒数第%(r)s/%(n)s）")
                % {
                    "org": s.organization.name,
                    "period": s.assessment.period_label,
                    "total": s.total,
                    "grade": label,
                    "r": s.rank_from_bottom,
                    "n": s.group_size,
                },
                url=reverse("assessment:card", args=[s.assessment_id, s.organization.code]),
            )
        )
    if not lines:
        return []
    return [Item(_("考核结果"), lines)]


def register_all() -> None:
    register("assessment.hand_scores", hand_scores_missing, roles=(UPPER,), order=600)
    register("assessment.own_grade", own_grade, roles=(BRANCH,), order=610)
