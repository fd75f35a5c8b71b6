"""Pages of development: the pipeline per level with drill-down, a branch's list, one
person's steps with the next step's form (it tells the earliest allowed date), the
application form and the ledger's .xlsx. Thin: reads through selectors, writes through
services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core import staging
from dangjian.core.files import accepts_uploads, serve_upload, xlsx_response
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.toolkit import paginate, subtree_phrase
from dangjian.members.models import Member, Status
from dangjian.orgs.selectors import home_organization, visible_orgs

from . import exports, forms, rules, selectors, services
from .models import Stage

PERM = services.PERM


def _org(request, code):
    return get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))


def _scope_org(request):
    code = normalize_code(request.GET.get("org"))
    if code:
        return get_visible_or_404(visible_orgs(request.user), code=code)
    return home_organization(request.user)


def _ctx(request, **extra):
    return {"nav": "development", **extra}


@login_required
def home(request):
    """The pipeline of an organization's subtree and of each organization below it."""
    org = _scope_org(request)
    if org is None:
        return render(request, "development/home.html", _ctx(request, org=None))
    today = timezone.localdate()
    figs = selectors.figures.figures(org)
    manages = request.user.has_perm(PERM, org)
    # Below a city the lists read rows of the subtree; above, only the roll-ups are read.
    local = org.level not in ("province", "city")
    return render(
        request,
        "development/home.html",
        _ctx(
            request,
            org=org,
            pipeline=selectors.figures.pipeline_of(figs),
            double=selectors.double_strong(org, figs) if local else None,
            children=selectors.pipeline_by_child(org),
            manages=manages,
            conversions=selectors.conversions_due(request.user, org, today)[:50] if local else [],
            decisions=selectors.decisions_pending(
                selectors.in_subtree(selectors.visible_candidacies(request.user), org),
                today,
                services.settings_of(org),
                overdue_only=True,
            )[:20]
            if manages and local
            else [],
        ),
    )


@login_required
def org_list(request, code):
    """A branch's (or any subtree's) people in development."""
    org = _org(request, code)
    qs = selectors.in_subtree(selectors.visible_candidacies(request.user), org)
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    rows, pager = paginate(request, qs.order_by("organization__path", "applied_on", "pk"))
    return render(
        request,
        "development/list.html",
        _ctx(
            request,
            org=org,
            rows=rows,
            **pager,
            stage=stage,
            stages=Stage.choices,
            can_apply=request.user.has_perm(PERM, org),
        ),
    )


@login_required
def apply(request, code):
    org = _org(request, code)
    if not request.user.has_perm(PERM, org):
        raise PermissionDenied(_("您无权为该组织登记入党申请"))
    form = forms.ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = run_service(form, lambda: services.apply(request.user, org, **form.cleaned_data))
        if c:
            messages.success(request, _("已登记入党申请"))
            return redirect("development:candidacy", c.pk)
    return render(request, "development/apply.html", _ctx(request, org=org, form=form))


def _may_record(request, pk) -> bool:
    """Before the body is read: the user manages the person's branch (or one above it)."""
    c = selectors.find_candidacy(request.user, pk)
    return request.user.has_perm(PERM, c.organization)


@accepts_uploads(gate=_may_record)
@login_required
def candidacy(request, pk):
    c = selectors.find_candidacy(request.user, pk)
    done = services.done_of(c)
    number = services.next_step(c)
    s = services.settings_of(c.organization)
    form = None
    if number is not None:
        low, why = rules.earliest(number, done, s, birth_date=c.birth_date)
        may = request.user.has_perm(
            services.DECIDE if number in services.DECISION_STEPS else PERM, c.organization
        )
        members = Member.objects.active().filter(
            organization__path__startswith=c.organization.path[: -c.organization.steplen]
            or c.organization.path,
            status=Status.FULL,
        )
        if may:
            form = forms.StepForm(
                request.POST if "step" in request.POST else None,
                request.FILES if "step" in request.POST else None,
                number=number,
                members=members.order_by("name_pinyin")[:300]
                if request.method != "POST"
                else members,
                earliest=(_("最早可填日期：%(d)s（%(w)s）") % {"d": low, "w": why}) if low else "",
            )
    end_form = None
    if c.stage in (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE) and request.user.has_perm(
        PERM, c.organization
    ):
        end_form = forms.EndForm(request.POST if "end" in request.POST else None)
    if request.method == "POST":
        if "step" in request.POST and form is not None:
            staging.bind(form, request.user)
            if form.is_valid():
                data = dict(form.cleaned_data)
                if "people" in data:
                    data["people"] = list(data["people"])
                if run_service(
                    form,
                    lambda: services.record_step(request.user, c, number=number, **data),
                ):
                    staging.done(form)
                    messages.success(request, _("已登记：%(s)s") % {"s": rules.step_name(number)})
                    return redirect("development:candidacy", c.pk)
            staging.keep(form)
        elif "end" in request.POST and end_form is not None and end_form.is_valid():
            d = end_form.cleaned_data
            if run_service(
                end_form,
                lambda: services.end(request.user, c, reason=d["end_reason"], on=d["ended_on"]),
            ):
                messages.success(request, _("已终止发展程序"))
                return redirect("development:candidacy", c.pk)
        elif form is None and end_form is None:
            raise PermissionDenied(_("您无权登记该步骤"))
    steps = [(s, rules.step_name(s.number)) for s in c.steps.all()]
    return render(
        request,
        "development/candidacy.html",
        _ctx(
            request,
            c=c,
            steps=steps,
            number=number,
            next_name=rules.step_name(number) if number else "",
            form=form,
            end_form=end_form,
        ),
    )


@login_required
def export(request):
    org = _scope_org(request)
    if org is None:
        raise PermissionDenied
    rows = selectors.ledger(request.user, org)
    return xlsx_response(
        exports.ledger(rows.iterator(chunk_size=500), scope=subtree_phrase(org), user=request.user),
        "发展党员台账",
    )


@login_required
def step_file(request, pk):
    return serve_upload(selectors.find_step_file(request.user, pk))


# ---- four cultivations -----------------------------------------------------------------------


@login_required
def cultivations(request, code):
    """The four cultivations' people of a subtree; a manager adds one at the organization."""
    org = _org(request, code)
    qs = selectors.in_subtree(selectors.visible_cultivations(request.user), org)
    rows, pager = paginate(request, qs.order_by("organization__path", "stage", "name", "pk"))
    form = None
    if request.user.has_perm(PERM, org):
        members = Member.objects.active().filter(organization=org).order_by("name_pinyin")
        form = forms.CultivationForm(request.POST or None, members=members)
        if request.method == "POST" and form.is_valid():
            if run_service(
                form, lambda: services.add_cultivation(request.user, org, **form.cleaned_data)
            ):
                messages.success(request, _("已登记培养对象"))
                return redirect("development:cultivations", org.code)
    elif request.method == "POST":
        raise PermissionDenied(_("您无权为该组织登记培养对象"))
    return render(
        request,
        "development/cultivations.html",
        _ctx(request, org=org, rows=rows, **pager, form=form),
    )


@login_required
def cultivation(request, pk):
    c = get_visible_or_404(selectors.visible_cultivations(request.user), pk=pk)
    form = None
    if request.user.has_perm(PERM, c.organization):
        members = (
            Member.objects.active().filter(organization=c.organization).order_by("name_pinyin")
        )
        form = forms.MoveForm(request.POST or None, members=members)
        if request.method == "POST" and form.is_valid():
            if run_service(
                form, lambda: services.move_cultivation(request.user, c, **form.cleaned_data)
            ):
                messages.success(request, _("已推进培养阶段"))
                return redirect("development:cultivation", c.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("您无权修改该培养对象"))
    return render(
        request,
        "development/cultivation.html",
        _ctx(request, c=c, moves=list(c.moves.all()), form=form),
    )
