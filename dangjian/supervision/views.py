"""Pages of supervision: the rectification ledger (filterable, exportable), an item with its
progress and sign-off, inspection plans and records with their findings, red supervision
orders and interviews. Reads through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scoping import covers, get_visible_or_404, own_org_ids
from dangjian.core import staging
from dangjian.core.files import accepts_uploads, serve_upload, xlsx_response
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.toolkit import paginate
from dangjian.orgs.models import Organization, Sector
from dangjian.orgs.selectors import visible_orgs

from . import exports, forms, selectors, services
from .models import InspectionKind, InspectionStatus, ItemSource, ShownStatus

NAV = "supervision"


def _org(request, code):
    return get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))


def _managed_org(request, code, perm="supervision.record"):
    org = _org(request, code)
    if not request.user.has_perm(perm, org):
        raise PermissionDenied(_("您无权为该组织登记"))
    return org


# ---- the ledger ---------------------------------------------------------------------------


def _own_orgs(request):
    """The organizations where the user holds a manager role: where they record."""
    return list(Organization.objects.filter(pk__in=own_org_ids(request.user), depth__gte=1))


def _ledger_filters(request):
    g = request.GET
    status = g.get("status", "") if g.get("status") in ShownStatus.values else ""
    sector = g.get("sector", "") if g.get("sector") in Sector.values else ""
    source = g.get("source", "") if g.get("source") in ItemSource.values else ""
    code = (g.get("org") or "").strip()
    org = visible_orgs(request.user).filter(code=normalize_code(code)).first() if code else None
    return {"status": status, "sector": sector, "source": source, "org": org, "code": code}


def _ledger_rows(request, filters, today):
    qs = selectors.ledger(
        request.user,
        today=today,
        status=filters["status"],
        sector=filters["sector"],
        source=filters["source"],
        org=filters["org"],
    )
    if filters["code"] and filters["org"] is None:
        qs = qs.none()  # an organization out of reach reads as one without items
    return qs


@login_required
def ledger(request):
    today = timezone.localdate()
    filters = _ledger_filters(request)
    rows, pager = paginate(request, _ledger_rows(request, filters, today), 30)
    for row in rows:
        row.shown = row.shown_status(today)
    return render(
        request,
        "supervision/ledger.html",
        {
            "nav": NAV,
            "items": rows,
            **pager,
            "filters": filters,
            "statuses": ShownStatus.choices,
            "sectors": Sector.choices,
            "sources": ItemSource.choices,
            "own_orgs": _own_orgs(request),
        },
    )


@login_required
def ledger_export(request):
    today = timezone.localdate()
    filters = _ledger_filters(request)
    rows = _ledger_rows(request, filters, today)
    out = exports.ledger(rows, today=today, user=request.user)
    return xlsx_response(out, "整改台账")


@login_required
def item_create(request, code):
    org = _managed_org(request, code)
    form = forms.ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = run_service(
            form,
            lambda: services.create_rectification_item(
                request.user, organization=org, **form.item_data()
            ),
        )
        if item:
            messages.success(request, _("已登记整改事项"))
            return redirect("supervision:item", item.pk)
    return render(request, "supervision/item_form.html", {"nav": NAV, "form": form, "org": org})


def _may_note(request, pk) -> bool:
    item = selectors.find_item(request.user, pk)
    return request.user.has_perm("supervision.record", item.organization)


@accepts_uploads(gate=_may_note)
@login_required
def item_detail(request, pk):
    user = request.user
    item = selectors.find_item(user, pk)
    today = timezone.localdate()
    can_record = user.has_perm("supervision.record", item.organization)
    can_sign = can_record and covers(user, item.organization, strict=True)
    progress_form = forms.ProgressForm(prefix="p")
    sign_form = forms.SignOffForm(prefix="s")
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("您无权填报该事项"))
        action = request.POST.get("action")
        if action == "progress":
            progress_form = forms.ProgressForm(request.POST, request.FILES, prefix="p")
            staging.bind(progress_form, user)
            if progress_form.is_valid():
                d = progress_form.cleaned_data
                done = run_service(
                    progress_form,
                    lambda: services.add_progress(
                        user, item, text=d["text"], noted_on=d["noted_on"], files=d["files"]
                    ),
                )
                if done:
                    staging.done(progress_form)
                    messages.success(request, _("已填报整改进展"))
                    return redirect("supervision:item", item.pk)
            staging.keep(progress_form)
        elif action == "sign_off":
            sign_form = forms.SignOffForm(request.POST, prefix="s")
            if sign_form.is_valid():
                d = sign_form.cleaned_data
                done = run_service(
                    sign_form,
                    lambda: services.sign_off(
                        user, item, rectified_on=d["rectified_on"], note=d["note"]
                    ),
                    field_map={"notes": None, "status": None},
                )
                if done:
                    messages.success(request, _("已验收销号"))
                    return redirect("supervision:item", item.pk)
    return render(
        request,
        "supervision/item.html",
        {
            "nav": NAV,
            "item": item,
            "shown": item.shown_status(today),
            **selectors.item_detail(item),
            "can_record": can_record and item.status != "rectified",
            "can_sign": can_sign and item.status != "rectified",
            "progress_form": progress_form,
            "sign_form": sign_form,
        },
    )


@login_required
def progress_file(request, pk):
    return serve_upload(selectors.find_progress_file(request.user, pk))


# ---- inspections ----------------------------------------------------------------------------


@login_required
def plans(request):
    qs = selectors.visible_plans(request.user)
    kind = request.GET.get("kind", "")
    if kind in InspectionKind.values:
        qs = qs.filter(kind=kind)
    rows, pager = paginate(request, qs.order_by("-starts_on", "-pk"), 30)
    recent = list(selectors.visible_inspections(request.user).order_by("-held_on", "-pk")[:20])
    return render(
        request,
        "supervision/plans.html",
        {
            "nav": NAV,
            "plans": rows,
            **pager,
            "kinds": InspectionKind.choices,
            "kind": kind,
            "recent": recent,
            "own_orgs": _own_orgs(request),
        },
    )


@login_required
def plan_create(request, code):
    org = _managed_org(request, code, "supervision.inspect")
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = run_service(
            form, lambda: services.create_plan(request.user, org, **form.cleaned_data)
        )
        if plan:
            messages.success(request, _("已制定督查计划"))
            return redirect("supervision:plan", plan.pk)
    return render(request, "supervision/plan_form.html", {"nav": NAV, "form": form, "org": org})


@login_required
def plan_detail(request, pk):
    plan = selectors.find_plan(request.user, pk)
    can_inspect = request.user.has_perm("supervision.inspect", plan.organization)
    form = forms.InspectionForm(request.POST or None) if can_inspect else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("您无权登记该计划的督查"))
        if form.is_valid():
            record = run_service(
                form, lambda: services.record_inspection(request.user, plan, **form.cleaned_data)
            )
            if record:
                messages.success(request, _("已登记督查"))
                return redirect("supervision:inspection", record.pk)
    return render(
        request,
        "supervision/plan.html",
        {
            "nav": NAV,
            "plan": plan,
            "records": list(plan.records.order_by("-held_on", "-pk")),
            "form": form,
        },
    )


@login_required
def inspection_detail(request, pk):
    user = request.user
    record = selectors.find_inspection(user, pk)
    can_inspect = (
        user.has_perm("supervision.inspect", record.organization)
        and record.status == InspectionStatus.OPEN
    )
    form = forms.FindingForm(request.POST or None, user=user) if can_inspect else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("您无权登记该督查的发现"))
        if form.is_valid():
            d = form.cleaned_data
            target = visible_orgs(user).filter(code=d["organization"]).first()
            finding = run_service(
                form,
                lambda: services.add_finding(
                    user,
                    record,
                    organization=target,
                    problem=d["problem"],
                    score=d["score"],
                    deadline=d["deadline"],
                    owner_name=d["owner_name"],
                    measure_kind=d["measure_kind"],
                ),
            )
            if finding:
                messages.success(request, _("已登记督查发现"))
                return redirect("supervision:inspection", record.pk)
    return render(
        request,
        "supervision/inspection.html",
        {
            "nav": NAV,
            "record": record,
            "sample": selectors.sample_of(record),
            "findings": selectors.findings_of(record),
            "form": form,
            "can_close": can_inspect,
        },
    )


@login_required
@require_POST
def inspection_close(request, pk):
    record = selectors.find_inspection(request.user, pk)
    if not request.user.has_perm("supervision.inspect", record.organization):
        raise PermissionDenied(_("您无权结束该督查"))
    try:
        notice = services.close_inspection(request.user, record)
    except ValidationError as error:  # closed already
        messages.error(request, "；".join(error.messages))
        return redirect("supervision:inspection", record.pk)
    messages.success(request, _("督查已结束，通报 %(n)s 已发出") % {"n": notice.number})
    return redirect("notices:detail", notice.pk)


# ---- orders and interviews ------------------------------------------------------------------


@login_required
def orders(request):
    qs = selectors.visible_orders(request.user)
    state = request.GET.get("state", "")
    if state == "open":
        qs = qs.filter(replied_on__isnull=True)
    elif state == "replied":
        qs = qs.filter(replied_on__isnull=False)
    rows, pager = paginate(request, qs.order_by("-issued_on", "-pk"), 30)
    return render(
        request, "supervision/orders.html", {"nav": NAV, "orders": rows, **pager, "state": state}
    )


@login_required
def order_detail(request, pk):
    order = selectors.find_order(request.user, pk)
    can_reply = order.replied_on is None and request.user.has_perm(
        "supervision.record", order.organization
    )
    form = forms.ReplyForm(request.POST or None) if can_reply else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("您无权反馈该督办单"))
        if form.is_valid():
            done = run_service(
                form, lambda: services.reply_order(request.user, order, **form.cleaned_data)
            )
            if done:
                messages.success(request, _("已反馈"))
                return redirect("supervision:order", order.pk)
    return render(request, "supervision/order.html", {"nav": NAV, "order": order, "form": form})


@login_required
def interviews(request):
    qs = selectors.visible_interviews(request.user)
    rows, pager = paginate(request, qs.order_by("-held_on", "-pk"), 30)
    return render(request, "supervision/interviews.html", {"nav": NAV, "interviews": rows, **pager})


@login_required
def interview_create(request, code):
    org = _managed_org(request, code)
    item = None
    item_id = request.GET.get("item") or request.POST.get("item")
    if item_id and str(item_id).isdigit():
        item = selectors.visible_items(request.user).filter(pk=item_id, organization=org).first()
    form = forms.InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        interview = run_service(
            form,
            lambda: services.record_interview(request.user, org, item=item, **form.cleaned_data),
        )
        if interview:
            messages.success(request, _("已登记约谈"))
            if item is not None:
                return redirect("supervision:item", item.pk)
            return redirect("supervision:interviews")
    return render(
        request,
        "supervision/interview_form.html",
        {"nav": NAV, "form": form, "org": org, "item": item},
    )
