"""Reads of assessment, scoped like every read: the schemes and assessments of the
organizations a user manages, the scores of their subtree (a branch sees its own once
published), the ranking from the bottom, an organization's score card and its history;
`grade_of` and `bottom_of` for the apps above (weak organizations)."""

from collections import Counter

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import get_visible_or_404, managed_q
from dangjian.core.periods import Period
from dangjian.orgs.models import Level, Organization, Sector

from . import rules, sources
from .models import Assessment, HandScore, Method, Scheme, Score, Status

NOTICE_ROWS = 150  # the notice's table of last places stays printable; the rest is the .xlsx


def grades_of(assessment) -> list:
    return assessment.grades or rules.DEFAULT_GRADES


# ---- schemes and assessments -------------------------------------------------------------


def visible_schemes(user):
    return Scheme.objects.filter(managed_q(user, "organization__")).select_related("organization")


def find_scheme(user, pk) -> Scheme:
    return get_visible_or_404(visible_schemes(user), pk=pk)


def visible_assessments(user):
    """Assessments a user sees: those of an organization they manage (or one above), and
    those over their subtree (a township sees the county's assessment of its villages)."""
    own = managed_q(user, "organization__")
    below = Q()
    paths = _managed_paths(user)
    if paths is not None:
        below = Q(pk__in=[])
        for path in paths:
            below |= Q(organization__path__in=_prefixes(path))
    return Assessment.objects.filter(own | below).select_related("organization", "scheme")


def _managed_paths(user):
    from dangjian.accounts.scoping import is_unrestricted, managed_paths

    return None if is_unrestricted(user) else managed_paths(user)


def _prefixes(path):
    return [path[:i] for i in range(4, len(path) + 1, 4)]


def find_assessment(user, pk) -> Assessment:
    return get_visible_or_404(visible_assessments(user), pk=pk)


def may_manage(user, assessment) -> bool:
    return user.has_perm("assessment.manage", assessment.organization)


# ---- scores -----------------------------------------------------------------------------


def visible_scores(user):
    """Scores of the organizations a user manages: of those strictly below their own at any
    time (they may score them), of their own organization once published."""
    return Score.objects.filter(
        managed_q(user, "organization__")
        & (Q(assessment__status=Status.PUBLISHED) | _above_q(user))
    )


def _above_q(user) -> Q:
    """Scores of organizations strictly below one the user manages (those they may score)."""
    paths = _managed_paths(user)
    if paths is None:
        return Q()
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(organization__path__startswith=path) & ~Q(organization__path=path)
    return q


def ranking(user, assessment, *, org=None, level="", sector="", grade="", missing=False):
    """The scores of an assessment a user sees, from the bottom: by place within the level
    and sector (1 = last), the lower total first between groups."""
    qs = visible_scores(user).filter(assessment=assessment)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    if level:
        qs = qs.filter(level=level)
    if sector:
        qs = qs.filter(sector=sector)
    if grade:
        qs = qs.filter(grade=grade)
    if missing:
        qs = qs.filter(hand_missing__gt=0)
    return qs.select_related("organization").order_by(
        "rank_from_bottom", "total", "organization__code"
    )


def grade_counts(qs, grades) -> list[tuple[str, str, int]]:
    counts = dict(qs.order_by().values_list("grade").annotate(n=Count("id")))
    return [(code, label, counts.get(code, 0)) for code, label, _low in grades]


def group_choices(assessment):
    """The (level, sector) pairs the assessment has, for the filters."""
    rows = (
        Score.objects.filter(assessment=assessment)
        .order_by()
        .values_list("level", "sector")
        .distinct()
    )
    levels = sorted({lv for lv, _s in rows})
    sectors = sorted({s for _lv, s in rows})
    return (
        [(lv, Level(lv).label if lv in Level.values else lv) for lv in levels],
        [(s, Sector(s).label if s in Sector.values else s) for s in sectors],
    )


def score_of(user, assessment, org) -> Score | None:
    return visible_scores(user).filter(assessment=assessment, organization=org).first()


def history(user, org) -> list[Score]:
    """An organization's scores across periods (newest first), as the user sees them."""
    return list(
        visible_scores(user)
        .filter(organization=org)
        .select_related("assessment", "assessment__organization", "version")
        .order_by("-assessment__period")
    )


def reasons(score: Score) -> list[dict]:
    """Each indicator's points of a score, with its reason in words: the source figure's
    values and the formula, or the hand score's reason, who gave it and where from."""
    out = []
    for d in score.details:
        row = dict(d)
        if d["method"] == Method.COMPUTED:
            source = sources.REGISTRY.get(d.get("source", ""))
            labels = dict(source.inputs) if source else {}
            row["source_label"] = source.label if source else d.get("source", "")
            row["inputs_text"] = _("、").join(
                f"{labels.get(k, k)} {v}" for k, v in (d.get("inputs") or {}).items()
            )
            row["value_text"] = (
                _("无数据")
                if d.get("value") is None
                else f"{d['value'] * 100:.1f}%"
                if (source is None or source.unit == "rate")
                else str(d["value"])
            )
            row["source_formula"] = source.formula if source else ""
            row["formula"] = rules.formula_text(
                d["weight"], d.get("zero_at", 0), d.get("full_at", 1), d.get("if_no_data", "full")
            )
        out.append(row)
    return out


# ---- figures for the apps above -------------------------------------------------------------


def _published_over(org, period: Period):
    return (
        Assessment.objects.filter(
            period=str(period),
            status=Status.PUBLISHED,
            organization__path__in=org.ancestor_paths(),
        )
        .order_by("-organization__depth")
        .first()
    )


def grade_of(org: Organization, period: Period) -> str | None:
    """The grade code of `org` in the published assessment of `period` over it, or None."""
    assessment = _published_over(org, period)
    if assessment is None:
        return None
    return (
        Score.objects.filter(assessment=assessment, organization=org)
        .values_list("grade", flat=True)
        .first()
    )


def _bottom_q(assessment, share) -> Q:
    """Scores in the lowest grade or in the last places of their group: place 1, or
    (place − 1) × b < size × a, i.e. place ≤ ceil(size × a / b) (rules.bottom_places)."""
    a, b = share
    lowest = grades_of(assessment)[-1][0]
    return Q(grade=lowest) | Q(rank_from_bottom=1) | Q(bottom_lhs__lt=F("group_size") * a)


def _with_bottom(qs, share):
    b = share[1]
    return qs.annotate(
        bottom_lhs=ExpressionWrapper((F("rank_from_bottom") - 1) * b, output_field=IntegerField())
    )


def bottom_scores(assessment, root_org=None, *, level=None, sector=None):
    from dangjian.core import config

    share = config.get(assessment.organization, "assessment.bottom_share")
    qs = _with_bottom(Score.objects.filter(assessment=assessment), share)
    if root_org is not None:
        qs = qs.filter(organization__path__startswith=root_org.path)
    if level:
        qs = qs.filter(level=level)
    if sector:
        qs = qs.filter(sector=sector)
    return qs.filter(_bottom_q(assessment, share))


def bottom_of(root_org: Organization, period: Period, *, level=None, sector=None) -> list[tuple]:
    """(organization id, total, grade, rank_from_bottom) of the organizations of `root_org`'s
    subtree in the lowest grade or in the last places of their level and sector (the county's
    "assessment.bottom_share", at least the last one), in the published assessment of
    `period` over `root_org`; [] when none is published."""
    assessment = _published_over(root_org, period)
    if assessment is None:
        return []
    return list(
        bottom_scores(assessment, root_org, level=level, sector=sector)
        .order_by("rank_from_bottom", "total", "organization__code")
        .values_list("organization_id", "total", "grade", "rank_from_bottom")
    )


def assessment_figures(org: Organization, period: Period) -> dict:
    """Stats keys: `grade` of the organization (where assessed, published), and
    `organizations_by_grade` of its subtree (the sum over children plus its own)."""
    assessment = _published_over(org, period)
    if assessment is None:
        return {"grade": None, "organizations_by_grade": {}}
    counts = dict(
        Score.objects.filter(assessment=assessment, organization__path__startswith=org.path)
        .order_by()
        .values_list("grade")
        .annotate(n=Count("id"))
    )
    return {
        "grade": grade_of(org, period),
        "organizations_by_grade": {
            code: counts.get(code, 0) for code, _label, _low in grades_of(assessment)
        },
    }


# ---- hand scores ----------------------------------------------------------------------------


def hand_indicators(assessment):
    version = assessment.scheme.current_version()
    return list(version.indicators.filter(method=Method.HAND).order_by("position"))


def hand_scores_of(assessment, org) -> dict:
    return {
        h.indicator_code: h
        for h in HandScore.objects.filter(assessment=assessment, organization=org).select_related(
            "created_by"
        )
    }


def missing_hand_scores(user, assessment) -> int:
    """Hand scores still to give in an open assessment, over the organizations the user may
    score (their subtree, below their own organization)."""
    return (
        visible_scores(user)
        .filter(assessment=assessment, hand_missing__gt=0)
        .order_by()
        .aggregate(n=Count("id"))["n"]
    )


# ---- the notice -----------------------------------------------------------------------------


def notice_sections(assessment) -> list[dict]:
    """The notice's body: how many were assessed and under which scheme, the grades (per
    level), the last places of each level and sector (at most NOTICE_ROWS rows) and the
    tie rule."""
    grades = grades_of(assessment)
    labels = rules.grade_labels(grades)
    scores = Score.objects.filter(assessment=assessment)
    total = scores.count()
    by_level = Counter()
    for level, grade, n in scores.order_by().values_list("level", "grade").annotate(n=Count("id")):
        by_level[(level, grade)] += n
    levels = sorted({lv for lv, _g in by_level})
    grade_rows = [
        [Level(lv).label if lv in Level.values else lv]
        + [str(by_level[(lv, code)]) for code, _l, _low in grades]
        + [str(sum(by_level[(lv, code)] for code, _l, _low in grades))]
        for lv in levels
    ]
    grade_rows.append(
        [_("合计")]
        + [str(sum(by_level[(lv, code)] for lv in levels)) for code, _l, _low in grades]
        + [str(total)]
    )
    bottom = list(
        bottom_scores(assessment)
        .select_related("organization")
        .order_by("level", "sector", "rank_from_bottom", "organization__code")[: NOTICE_ROWS + 1]
    )
    more = len(bottom) > NOTICE_ROWS
    bottom = bottom[:NOTICE_ROWS]
    scheme = assessment.scheme
    version = assessment.version
    sections = [
        {
            "paragraphs": [
                _(
                    "按照《%(scheme)s》（第%(v)s版），对%(n)s个基层党组织%(period)s的工作进行了考核。"
                    "各项指标中按数据计算的部分取自系统中的组织生活、清单式工作和组织建设记录，"
                    "人工评分部分由考核组和督查组评定。现将考核结果通报如下。"
                )
                % {
                    "scheme": scheme.name,
                    "v": version.number if version else 1,
                    "n": total,
                    "period": assessment.period_label,
                }
            ]
        },
        {
            "heading": _("一、等次情况"),
            "table": {
                "columns": [_("层级")] + [label for _c, label, _low in grades] + [_("合计")],
                "rows": grade_rows,
            },
        },
        {
            "heading": _("二、排名靠后的党组织"),
            "paragraphs": [
                _(
                    "以下为各层级、各领域中等次为“%(low)s”或排名靠后的党组织（倒数名次1为最后一名）。"
                )
                % {"low": grades[-1][1]}
                + (
                    _("名单较长，本通报只列出前%(n)s个，完整排名见考核结果表（Excel）。")
                    % {"n": NOTICE_ROWS}
                    if more
                    else ""
                ),
            ],
            "table": {
                "columns": [
                    _("序号"),
                    _("党组织"),
                    _("层级"),
                    _("领域"),
                    _("总分"),
                    _("等次"),
                    _("倒数名次"),
                ],
                "rows": [
                    [
                        str(i),
                        s.organization.name,
                        Level(s.level).label if s.level in Level.values else s.level,
                        Sector(s.sector).label if s.sector in Sector.values else s.sector,
                        str(s.total),
                        str(labels.get(s.grade, s.grade)),
                        f"{s.rank_from_bottom}/{s.group_size}",
                    ]
                    for i, s in enumerate(bottom, 1)
                ],
            }
            if bottom
            else None,
        },
        {
            "heading": _("三、有关要求"),
            "paragraphs": [
                str(rules.TIE_RULE),
                _(
                    "排名靠后和等次为“%(low)s”的党组织要认真查找原因，制定整改措施，"
                    "所在乡镇（街道）党（工）委要加强指导，限期整改。"
                )
                % {"low": grades[-1][1]},
            ],
        },
    ]
    if sections[2]["table"] is None:
        del sections[2]["table"]
    return sections
