"""Pages of assessment: schemes and their versions, opening an assessment, the ranking from
the bottom (filterable by level, sector and grade), an organization's score card with its
reasons and history, hand-score entry, computing (a job) and publishing (a notice)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scoping import get_visible_or_404, managed_paths
from dangjian.core.files import xlsx_response
from dangjian.core.forms import apply_errors, normalize_code, run_service
from dangjian.core.toolkit import paginate
from dangjian.orgs.models import Organization
from dangjian.orgs.selectors import visible_orgs

from . import exports, forms, rules, selectors, services, sources
from .models import Status

NAV = {"nav": "assessment"}


def _errors(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for messages_ in error.message_dict.values() for m in messages_]
    return list(error.messages)


@login_required
def index(request):
    assessments = selectors.visible_assessments(request.user).order_by("-period", "-pk")
    schemes = selectors.visible_schemes(request.user)
    return render(
        request,
        "assessment/index.html",
        {
            **NAV,
            "assessments": assessments[:100],
            "schemes": schemes[:100],
            "can_create": bool(managed_paths(request.user)) or request.user.is_superuser,
        },
    )


def _rows_context(rows=None, version=None):
    if rows is None:
        rows = []
        if version is not None:
            rows = [
                {f: getattr(i, f) for f in services.INDICATOR_FIELDS}
                for i in version.indicators.order_by("position")
            ]
    rows = list(rows) + [{} for _i in range(3)]
    return {"rows": rows, **forms.row_choices()}


@login_required
def scheme_create(request):
    home = visible_orgs(request.user).filter(path__in=managed_paths(request.user)).first()
    form = forms.SchemeForm(
        request.POST or None,
        user=request.user,
        initial={"organization": home.code if home else "", "total_points": 100},
    )
    rows, extra = None, []
    if request.method == "POST":
        rows = forms.indicator_rows(request.POST)
        if form.is_valid():
            org = get_visible_or_404(
                visible_orgs(request.user), code=form.cleaned_data["organization"]
            )
            data = {k: v for k, v in form.cleaned_data.items() if k != "organization"}
            try:
                scheme = services.create_scheme(request.user, org, indicators=rows, **data)
            except ValidationError as error:
                extra = error.message_dict.get("indicators", [])
                apply_errors(form, _strip(error))
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已制定考核方案"))
                return redirect("assessment:scheme", scheme.pk)
    return render(
        request,
        "assessment/scheme_form.html",
        {
            **NAV,
            "form": form,
            "extra_errors": extra,
            "extra_anchor": "indicators",
            **_rows_context(rows),
        },
    )


def _strip(error: ValidationError) -> ValidationError:
    """The error without its indicator rows (shown above the table instead)."""
    return ValidationError({k: v for k, v in error.message_dict.items() if k != "indicators"})


@login_required
def scheme_detail(request, pk):
    scheme = selectors.find_scheme(request.user, pk)
    can_manage = request.user.has_perm("assessment.manage", scheme.organization)
    version = scheme.current_version()
    indicators = list(version.indicators.order_by("position")) if version else []
    labels = dict(sources.choices())
    for i in indicators:
        i.source_label = labels.get(i.source, i.source)
    revision = forms.RevisionForm(request.POST or None)
    rows, extra = None, []
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        rows = forms.indicator_rows(request.POST)
        if revision.is_valid():
            try:
                new = services.revise_scheme(
                    request.user, scheme, indicators=rows, note=revision.cleaned_data["note"]
                )
            except ValidationError as error:
                extra = _errors(error)
            else:
                messages.success(request, _("已保存为第%(n)s版") % {"n": new.number})
                return redirect("assessment:scheme", scheme.pk)
    return render(
        request,
        "assessment/scheme.html",
        {
            **NAV,
            "scheme": scheme,
            "version": version,
            "indicators": indicators,
            "versions": scheme.versions.order_by("-number"),
            "assessments": scheme.assessment_set.order_by("-period"),
            "can_manage": can_manage,
            "form": revision,
            "open_form": forms.OpenForm(),
            "extra_errors": extra,
            "extra_anchor": "indicators",
            **_rows_context(rows, version),
        },
    )


@login_required
@require_POST
def assessment_open(request, pk):
    scheme = selectors.find_scheme(request.user, pk)
    form = forms.OpenForm(request.POST)
    if form.is_valid():
        assessment = run_service(
            form,
            lambda: services.open_assessment(request.user, scheme, form.cleaned_data["period"]),
        )
        if assessment:
            job = services.compute_in_background(request.user, assessment)
            return redirect("jobs:detail", job.pk)
    for e in form.errors.get("period", []) + list(form.non_field_errors()):
        messages.error(request, e)
    return redirect("assessment:scheme", scheme.pk)


def _org_filter(request):
    code = request.GET.get("org", "")
    if not code:
        return None
    return get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))


@login_required
def ranking(request, pk):
    assessment = selectors.find_assessment(request.user, pk)
    org = _org_filter(request)
    level = request.GET.get("level", "")
    sector = request.GET.get("sector", "")
    grade = request.GET.get("grade", "")
    missing = request.GET.get("missing") == "1"
    qs = selectors.ranking(
        request.user, assessment, org=org, level=level, sector=sector, grade=grade, missing=missing
    )
    scores, pager = paginate(request, qs, 50)
    grades = selectors.grades_of(assessment)
    labels = rules.grade_labels(grades)
    for s in scores:
        s.grade_label = labels.get(s.grade, s.grade)
    levels, sectors = selectors.group_choices(assessment)
    counts = selectors.grade_counts(
        selectors.ranking(request.user, assessment, org=org, level=level, sector=sector), grades
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessment/ranking.html",
        {
            **NAV,
            "assessment": assessment,
            "scores": scores,
            **pager,
            "levels": levels,
            "sectors": sectors,
            "grades": grades,
            "grade_counts": counts,
            "lowest": grades[-1][0],
            "level": level,
            "sector": sector,
            "grade": grade,
            "missing": missing,
            "org": org,
            "query": query.urlencode(),
            "tie_rule": rules.TIE_RULE,
            "can_manage": selectors.may_manage(request.user, assessment),
            "is_open": assessment.status == Status.OPEN,
        },
    )


@login_required
def export(request, pk):
    assessment = selectors.find_assessment(request.user, pk)
    qs = selectors.ranking(
        request.user,
        assessment,
        org=_org_filter(request),
        level=request.GET.get("level", ""),
        sector=request.GET.get("sector", ""),
    ).order_by("level", "sector", "rank_from_bottom")
    out = exports.ranking(assessment, qs, user=request.user)
    return xlsx_response(out, f"考核结果_{assessment.period}")


@login_required
@require_POST
def compute(request, pk):
    assessment = selectors.find_assessment(request.user, pk)
    try:
        job = services.compute_in_background(request.user, assessment)
    except ValidationError as error:
        for e in _errors(error):
            messages.error(request, e)
        return redirect("assessment:ranking", assessment.pk)
    return redirect("jobs:detail", job.pk)


@login_required
@require_POST
def publish(request, pk):
    assessment = selectors.find_assessment(request.user, pk)
    try:
        notice = services.publish(request.user, assessment)
    except ValidationError as error:
        for e in _errors(error):
            messages.error(request, e)
        return redirect("assessment:ranking", assessment.pk)
    messages.success(request, _("考核结果已发布，通报 %(n)s 已发出") % {"n": notice.number})
    return redirect(notice.get_absolute_url())


@login_required
def card(request, pk, code):
    assessment = selectors.find_assessment(request.user, pk)
    org = get_visible_or_404(
        Organization.objects.filter(
            pk__in=selectors.visible_scores(request.user)
            .filter(assessment=assessment)
            .values("organization_id")
        ),
        code=normalize_code(code),
    )
    score = selectors.score_of(request.user, assessment, org)
    can_score = assessment.status == Status.OPEN and request.user.has_perm("assessment.score", org)
    indicators = selectors.hand_indicators(assessment) if can_score else []
    form = forms.HandScoreForm(request.POST or None, indicators=indicators) if indicators else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            saved = run_service(
                form,
                lambda: services.record_hand_score(
                    request.user,
                    organization=org,
                    period=assessment.period,
                    indicator_code=data["indicator_code"],
                    score=data["score"],
                    reason=data["reason"],
                ),
            )
            if saved:
                messages.success(request, _("已保存评分；排名将在重新计算后更新"))
                return redirect("assessment:card", assessment.pk, org.code)
    labels = rules.grade_labels(selectors.grades_of(assessment))
    history = selectors.history(request.user, org)
    for h in history:
        h.grade_label = rules.grade_labels(selectors.grades_of(h.assessment)).get(h.grade, h.grade)
    return render(
        request,
        "assessment/card.html",
        {
            **NAV,
            "assessment": assessment,
            "org": org,
            "score": score,
            "grade_label": labels.get(score.grade, score.grade) if score else "",
            "reasons": selectors.reasons(score) if score else [],
            "history": history,
            "form": form,
            "tie_rule": rules.TIE_RULE,
            "ranking_url": reverse("assessment:ranking", args=[assessment.pk])
            + f"?level={score.level}&sector={score.sector}"
            if score
            else "",
        },
    )
