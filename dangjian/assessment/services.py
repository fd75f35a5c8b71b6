"""Writes of assessment: schemes and their versions, opening an assessment for a period,
computing its scores (a background job for a large tree), hand scores, publishing with a
notice. Each write checks who may, runs in a transaction and is audited."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config, jobs
from dangjian.core.periods import Period, PeriodError
from dangjian.core.services import Errors, invalid, require, validate_choice
from dangjian.orgs.models import Organization

from . import rules, sources
from .models import (
    Assessment,
    HandScore,
    IfNoData,
    Indicator,
    Method,
    PeriodKind,
    Scheme,
    SchemeVersion,
    Score,
    Status,
)

INDICATOR_FIELDS = (
    "code",
    "name",
    "method",
    "source",
    "weight",
    "zero_at",
    "full_at",
    "if_no_data",
    "description",
)


def grades_of(org) -> list:
    grades = config.get(org, "assessment.grades")
    return grades if not rules.check_grades(grades) else rules.DEFAULT_GRADES


# ---- schemes ------------------------------------------------------------------------------


def _clean_indicators(rows) -> list[dict]:
    out = []
    for row in rows:
        row = {k: row.get(k) for k in INDICATOR_FIELDS}
        row = {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items()}
        if row["method"] == Method.HAND:
            row["source"] = ""
            row["zero_at"], row["full_at"] = 0, 1
        if row["zero_at"] in (None, ""):
            row["zero_at"] = 0
        if row["full_at"] in (None, ""):
            row["full_at"] = 1
        row["if_no_data"] = row.get("if_no_data") or IfNoData.FULL
        out.append(row)
    return out


def _write_version(actor, scheme, rows, note, number) -> SchemeVersion:
    version = SchemeVersion.objects.create(
        scheme=scheme, number=number, note=(note or "")[:200], created_by=audit.user_of(actor)
    )
    Indicator.objects.bulk_create(
        Indicator(
            version=version,
            position=i,
            code=row["code"],
            name=row["name"][:120],
            method=row["method"],
            source=row["source"] or "",
            weight=rules.dec(row["weight"]),
            zero_at=rules.dec(row["zero_at"]) or 0,
            full_at=rules.dec(row["full_at"]) or 0,
            if_no_data=row["if_no_data"],
            description=(row["description"] or "")[:300],
        )
        for i, row in enumerate(rows, 1)
    )
    return version


def _check_rows(rows, total_points, errors):
    for field, message in rules.check_indicators(rows, total_points, sources.REGISTRY):
        errors.add(field, message)
    for i, row in enumerate(rows, 1):
        if row["if_no_data"] not in IfNoData.values:
            errors.add("indicators", _("第%(i)s项指标：无数据时的处理不在可选范围内") % {"i": i})


@transaction.atomic
def create_scheme(
    actor, organization: Organization, *, name, period_kind, indicators, total_points=100
) -> Scheme:
    """A scheme of `organization` with its first version of `indicators` (dicts of
    INDICATOR_FIELDS). Every problem is reported at once, each naming the indicator's row;
    the weights must add up to the scheme's full score."""
    require(actor, "assessment.manage", organization, _("您无权为该组织制定考核方案"))
    errors = Errors()
    name = (name or "").strip()
    if not name:
        errors.add("name", _("请填写方案名称"))
    elif len(name) > 120:
        errors.add("name", _("方案名称不能超过120字"))
    with errors.collect():
        validate_choice("period_kind", period_kind, PeriodKind, _("考核周期"))
    total = rules.dec(total_points)
    if total is None or total <= 0:
        errors.add("total_points", _("满分应为大于0的数"))
        total = Decimal(100)
    rows = _clean_indicators(indicators)
    _check_rows(rows, total, errors)
    errors.raise_any()
    scheme = Scheme.objects.create(
        organization=organization,
        name=name,
        period_kind=period_kind,
        total_points=total,
        created_by=audit.user_of(actor),
    )
    _write_version(actor, scheme, rows, _("初始版本"), 1)
    audit.record(actor, "create", scheme, organization=organization, summary=f"考核方案：{name}")
    return scheme


@transaction.atomic
def revise_scheme(actor, scheme: Scheme, *, indicators, note="") -> SchemeVersion:
    """A change of the scheme's indicators: written as the next version, the earlier ones
    untouched (the scores computed under them keep them). The open assessments of the
    scheme are marked for recomputation; published ones keep their scores."""
    require(actor, "assessment.manage", scheme.organization, _("您无权修改该考核方案"))
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    errors = Errors()
    rows = _clean_indicators(indicators)
    _check_rows(rows, scheme.total_points, errors)
    errors.raise_any()
    last = scheme.current_version()
    version = _write_version(actor, scheme, rows, note, (last.number if last else 0) + 1)
    Assessment.objects.filter(scheme=scheme, status=Status.OPEN).update(stale=True)
    audit.record(
        actor,
        "update",
        scheme,
        organization=scheme.organization,
        summary=f"考核方案：{scheme.name} 第{version.number}版（{note}）",
        changes={"version": [last.number if last else None, version.number]},
    )
    return version


# ---- assessments --------------------------------------------------------------------------


def parse_period(text, kind: str, errors: Errors, field="period"):
    try:
        period = text if isinstance(text, Period) else Period.parse(str(text or ""))
    except PeriodError as error:
        errors.add(field, str(error))
        return None
    if period.kind != kind:
        errors.add(
            field,
            _("该方案按%(kind)s考核，期间应写作%(eg)s")
            % {
                "kind": PeriodKind(kind).label,
                "eg": "2026" if kind == PeriodKind.YEAR else "2026-Q1",
            },
        )
        return None
    return period


@transaction.atomic
def open_assessment(actor, scheme: Scheme, period) -> Assessment:
    """Open the assessment of `period` under `scheme` for the scheme's organization and its
    whole subtree (one a period for an organization); its scores are computed next."""
    org = scheme.organization
    require(actor, "assessment.manage", org, _("您无权组织该考核"))
    errors = Errors()
    period = parse_period(period, scheme.period_kind, errors)
    if period and Assessment.objects.filter(organization=org, period=str(period)).exists():
        errors.add(
            "period",
            _("%(org)s%(period)s的考核已经开启")
            % {"org": org.name, "period": rules.period_label(str(period))},
        )
    if org.is_dissolved:
        errors.add("scheme", _("“%(name)s”已撤销") % {"name": org.name})
    errors.raise_any()
    assessment = Assessment.objects.create(
        organization=org,
        scheme=scheme,
        period=str(period),
        grades=grades_of(org),
        created_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "create",
        assessment,
        organization=org,
        summary=f"开启考核：{org.name} {assessment.period_label}",
    )
    return assessment


def assessed(assessment) -> "Q":
    """The organizations an assessment scores: its subtree below the assessing organization,
    active, without groups (党小组 are part of their branch)."""
    root = assessment.organization
    return Q(path__startswith=root.path, depth__gt=root.depth, dissolved_on__isnull=True) & ~Q(
        kind="group"
    )


def _hand_detail(ind: Indicator, hand) -> dict:
    entry = {
        "code": ind.code,
        "name": ind.name,
        "method": Method.HAND,
        "weight": str(ind.weight),
    }
    if hand is None:
        return entry | {"points": "0.00", "missing": True}
    return entry | {
        "points": str(rules.cents(min(hand["score"], ind.weight))),
        "reason": hand["reason"],
        "by": hand["by"],
        "source": hand["source"],
        "at": hand["at"],
    }


def _hand_scores(assessment) -> dict:
    out = {}
    for h in HandScore.objects.filter(assessment=assessment).values(
        "organization_id",
        "indicator_code",
        "score",
        "reason",
        "source",
        "updated_at",
        "created_by__username",
        "created_by__first_name",
    ):
        out[(h["organization_id"], h["indicator_code"])] = {
            "score": h["score"],
            "reason": h["reason"],
            "source": h["source"],
            "by": h["created_by__first_name"] or h["created_by__username"] or "",
            "at": timezone.localtime(h["updated_at"]).strftime("%Y-%m-%d"),
        }
    return out


def compute(assessment: Assessment, *, today=None, progress=None) -> int:
    """Compute every score of an open assessment under the scheme's current version: the
    computed indicators from their sources, the hand ones from the hand scores given; then
    grades and places from the bottom. Replaces the assessment's scores; returns how many."""
    progress = progress or (lambda *a, **k: None)
    today = today or timezone.localdate()
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == Status.PUBLISHED:
        raise invalid("assessment", _("考核结果已发布，不能重新计算"))
    root = assessment.organization
    period = Period.parse(assessment.period)
    version = assessment.scheme.current_version()
    indicators = list(version.indicators.order_by("position"))
    progress(0, None, _("正在读取组织"))
    everyone = dict(
        Organization.objects.filter(path__startswith=root.path, dissolved_on__isnull=True)
        .order_by()
        .values_list("id", "path")
    )
    orgs = list(
        Organization.objects.filter(assessed(assessment))
        .order_by()
        .values("id", "code", "level", "sector")
    )
    figures = {}
    computed = [i for i in indicators if i.method == Method.COMPUTED]
    steps = len({i.source for i in computed}) + 2
    for n, code in enumerate(dict.fromkeys(i.source for i in computed), 1):
        source = sources.REGISTRY.get(code)
        progress(n, steps, _("正在计算：%(s)s") % {"s": source.label if source else code})
        figures[code] = source.fn(root, period, today, everyone) if source else {}
    hand = _hand_scores(assessment)
    grades = grades_of(root)
    progress(steps - 1, steps, _("正在评定等次和排名"))
    rows, made = [], []
    for o in orgs:
        details, pts, missing = [], [], 0
        for ind in indicators:
            if ind.method == Method.COMPUTED:
                source = sources.REGISTRY.get(ind.source)
                value, inputs = figures[ind.source].get(o["id"], (None, {}))
                p = rules.points(ind.weight, value, ind.zero_at, ind.full_at, ind.if_no_data)
                details.append(
                    {
                        "code": ind.code,
                        "name": ind.name,
                        "method": Method.COMPUTED,
                        "weight": str(ind.weight),
                        "points": str(p),
                        "source": ind.source,
                        "value": None if value is None else round(float(value), 4),
                        "inputs": {k: inputs.get(k, 0) for k, _label in source.inputs}
                        if source
                        else {},
                        "zero_at": str(ind.zero_at),
                        "full_at": str(ind.full_at),
                        "if_no_data": ind.if_no_data,
                    }
                )
            else:
                h = hand.get((o["id"], ind.code))
                missing += h is None
                entry = _hand_detail(ind, h)
                p = Decimal(entry["points"])
                details.append(entry)
            pts.append(p)
        total = rules.cents(sum(pts, Decimal(0)))
        made.append((o, total, details, missing))
        rows.append((o["id"], (o["level"], o["sector"]), total, pts, o["code"]))
    places = rules.rank_from_bottom(rows)
    Score.objects.filter(assessment=assessment).delete()
    Score.objects.bulk_create(
        (
            Score(
                assessment=assessment,
                organization_id=o["id"],
                version=version,
                level=o["level"],
                sector=o["sector"],
                total=total,
                grade=rules.grade_for(total, grades),
                rank_from_bottom=places[o["id"]][0],
                group_size=places[o["id"]][1],
                details=details,
                hand_missing=missing,
            )
            for o, total, details, missing in made
        ),
        batch_size=2000,
    )
    assessment.version = version
    assessment.grades = grades
    assessment.computed_at = timezone.now()
    assessment.stale = False
    assessment.save(update_fields=["version", "grades", "computed_at", "stale"])
    progress(steps, steps, _("已计算%(n)s个组织的得分") % {"n": len(made)})
    return len(made)


def compute_in_background(actor, assessment: Assessment) -> jobs.Job:
    require(actor, "assessment.manage", assessment.organization, _("您无权组织该考核"))
    if assessment.status == Status.PUBLISHED:
        raise invalid("assessment", _("考核结果已发布，不能重新计算"))
    return jobs.start(
        "assessment",
        "dangjian.assessment.services.compute_job",
        actor,
        organization=assessment.organization,
        title=_("计算考核得分：%(a)s") % {"a": str(assessment)},
        assessment_id=assessment.pk,
        user_id=getattr(actor, "pk", None),
    )


def compute_job(progress, *, assessment_id, user_id=None) -> dict:
    assessment = Assessment.objects.select_related("organization").get(pk=assessment_id)
    n = compute(assessment, progress=progress)
    audit.record(
        None if user_id is None else _user(user_id),
        "update",
        assessment,
        organization=assessment.organization,
        summary=f"计算考核得分：{assessment}（{n}个组织）",
    )
    return {
        "summary": _("已计算%(n)s个组织的得分") % {"n": n},
        "url": reverse("assessment:ranking", args=[assessment.pk]),
        "link_text": _("查看排名"),
    }


def _user(pk):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=pk).first()


# ---- hand scores --------------------------------------------------------------------------


def assessment_over(org: Organization, period: Period, *, status=None):
    """The assessment of `period` that scores `org`: opened by its nearest ancestor."""
    qs = Assessment.objects.filter(
        period=str(period), organization__path__in=org.ancestor_paths()[:-1]
    ).select_related("organization", "scheme")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-organization__depth").first()


@transaction.atomic
def record_hand_score(
    actor, *, organization: Organization, period, indicator_code, score, reason, source=""
) -> HandScore:
    """Give `organization` a hand score for a hand indicator of the period's assessment (an
    inspector's finding, a review's), with the reason; replaces an earlier one of the same
    indicator. Refused, naming the field: no open assessment of the period over the
    organization, an indicator that is not a hand indicator of its scheme, a score outside
    0 to the indicator's weight, no reason."""
    require(actor, "assessment.score", organization, _("只有上级党组织才能给该组织人工评分"))
    errors = Errors()
    if not isinstance(period, Period):
        try:
            period = Period.parse(str(period))
        except PeriodError as error:
            raise invalid("period", str(error)) from None
    assessment = assessment_over(organization, period)
    if assessment is None:
        raise invalid(
            "period",
            _("%(period)s没有包括“%(org)s”的考核")
            % {"period": rules.period_label(str(period)), "org": organization.name},
        )
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == Status.PUBLISHED:
        raise invalid(
            "period", _("%(a)s的考核结果已发布，不能再评分") % {"a": assessment.period_label}
        )
    if not Organization.objects.filter(assessed(assessment), pk=organization.pk).exists():
        errors.add("organization", _("“%(org)s”不参加该考核") % {"org": organization.name})
    version = assessment.scheme.current_version()
    indicator = version.indicators.filter(code=indicator_code, method=Method.HAND).first()
    if indicator is None:
        hand = list(version.indicators.filter(method=Method.HAND).values_list("code", flat=True))
        errors.add(
            "indicator_code",
            _("“%(code)s”不是该考核方案的人工评分指标（可选：%(allowed)s）")
            % {"code": indicator_code, "allowed": "、".join(hand) or _("无")},
        )
    else:
        problem = rules.check_hand_score(score, indicator.weight)
        if problem:
            errors.add("score", problem)
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", _("请填写评分理由"))
    elif len(reason) > 500:
        errors.add("reason", _("评分理由不能超过500字"))
    errors.raise_any()
    value = rules.dec(score)
    before = HandScore.objects.filter(
        assessment=assessment, organization=organization, indicator_code=indicator_code
    ).first()
    hand, _created = HandScore.objects.update_or_create(
        assessment=assessment,
        organization=organization,
        indicator_code=indicator_code,
        defaults={
            "score": value,
            "reason": reason,
            "source": (source or "")[:120],
            "created_by": audit.user_of(actor),
        },
    )
    _update_score(assessment, organization, indicator, hand)
    Assessment.objects.filter(pk=assessment.pk).update(stale=True)
    audit.record(
        actor,
        "update" if before else "create",
        hand,
        organization=organization,
        summary=f"人工评分：{organization.name} {indicator.name} {value}分（{reason[:60]}）",
        changes={"score": [str(before.score) if before else None, str(value)]},
    )
    return hand


def _update_score(assessment, organization, indicator, hand) -> None:
    """The organization's score with the new hand score at once (its place from the bottom
    waits for the next computation: the assessment is marked stale)."""
    row = Score.objects.filter(assessment=assessment, organization=organization).first()
    if row is None:
        return
    by = ""
    if hand.created_by_id:
        by = hand.created_by.first_name or hand.created_by.username
    entry = _hand_detail(
        indicator,
        {
            "score": hand.score,
            "reason": hand.reason,
            "source": hand.source,
            "by": by,
            "at": timezone.localdate().isoformat(),
        },
    )
    details = [entry if d["code"] == indicator.code else d for d in row.details]
    row.details = details
    row.total = rules.cents(sum((Decimal(d["points"]) for d in details), Decimal(0)))
    row.grade = rules.grade_for(row.total, assessment.grades or grades_of(assessment.organization))
    row.hand_missing = sum(1 for d in details if d.get("missing"))
    row.save(update_fields=["details", "total", "grade", "hand_missing"])


# ---- publishing ----------------------------------------------------------------------------


@transaction.atomic
def publish(actor, assessment: Assessment, *, today=None):
    """Publish the results: the scores are final and a notice (考核通报) is issued with the
    grades and the last places of each level and sector (the full ranking is the .xlsx)."""
    from dangjian.notices import services as notices

    from . import selectors

    require(actor, "assessment.manage", assessment.organization, _("您无权发布该考核结果"))
    assessment = (
        Assessment.objects.select_for_update().select_related("organization").get(pk=assessment.pk)
    )
    if assessment.status == Status.PUBLISHED:
        raise invalid("assessment", _("考核结果已经发布"))
    if assessment.computed_at is None or assessment.stale:
        raise invalid("assessment", _("得分有变化（人工评分或方案修改），请先重新计算再发布"))
    today = today or timezone.localdate()
    notice = notices.issue_notice(
        actor,
        issuer=assessment.organization,
        kind="assessment",
        title=_("关于%(period)s基层党组织考核结果的通报") % {"period": assessment.period_label},
        sections=selectors.notice_sections(assessment),
        source_url=reverse("assessment:ranking", args=[assessment.pk]),
        date=today,
    )
    assessment.status = Status.PUBLISHED
    assessment.published_on = today
    assessment.notice_id = notice.pk
    assessment.save(update_fields=["status", "published_on", "notice_id"])
    audit.record(
        actor,
        "update",
        assessment,
        organization=assessment.organization,
        summary=f"发布考核结果：{assessment}（{notice.number}）",
        changes={"status": [Status.OPEN, Status.PUBLISHED]},
    )
    return notice


def opened_on(assessment) -> datetime.date:
    return timezone.localtime(assessment.created_at).date()
