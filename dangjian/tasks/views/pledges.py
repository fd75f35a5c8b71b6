"""Pledges (目标责任书): the list and its export, issuing, signing, progress, cascading."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import (
    covers,
    get_visible_or_404,
)
from dangjian.core.files import xlsx_response
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.toolkit import paginate, percent, subtree_phrase
from dangjian.orgs.models import Kind
from dangjian.orgs.selectors import visible_orgs

from .. import exports, forms, selectors, services
from .common import (
    can_issue_somewhere,
    issuing_orgs,
    pledge_summary,
    run_message,
    year_param,
    years,
)


def _pledges(request):
    """(year, org, queryset) of the pledges list: one year, optionally one org's subtree."""
    user = request.user
    year = year_param(request)
    code = normalize_code(request.GET.get("org"))
    org = get_visible_or_404(visible_orgs(user), code=code) if code else None
    qs = selectors.visible_pledges(user).filter(year=year)
    if org is not None:  # the pledges received within one organization's subtree
        qs = qs.filter(organization__path__startswith=org.path)
    qs = (
        qs.select_related("issuer", "organization")
        .prefetch_related("targets__cascaded__cascaded__cascaded")
        .order_by("organization__path", "issuer__path")
    )
    return year, org, qs


@login_required
def pledge_list(request):
    user = request.user
    year, org, qs = _pledges(request)
    pledges, pager = paginate(request, qs)
    for p in pledges:
        pledge_summary(p)
    return render(
        request,
        "tasks/pledges.html",
        {
            "nav": "tasks",
            "pledges": pledges,
            "org": org,
            "year": year,
            "years": years(year),
            **pager,
            "can_issue": can_issue_somewhere(user),
        },
    )


@login_required
def pledges_export(request):
    year, org, qs = _pledges(request)
    scope = subtree_phrase(org) if org else "本人管辖的全部组织"
    out = exports.pledge_targets(
        qs.iterator(chunk_size=500), scope=scope, year=year, user=request.user
    )
    return xlsx_response(out, f"目标责任书_{year}")


@login_required
def pledge_create(request):
    user = request.user
    issuers = issuing_orgs(user, request.GET.get("issuer") or request.POST.get("issuer"))
    if not issuers:
        raise PermissionDenied(_("您没有可以下达目标责任书的组织"))
    if request.method == "POST":
        form = forms.PledgeForm(request.POST, issuers=issuers, user=request.user)
        adding = "add_row" in request.POST
        rows = forms.target_rowset(request.POST, add_row=adding)
        if not adding and form.is_valid() & rows.is_valid():
            data = form.cleaned_data
            issuer = next(o for o in issuers if o.code == data["issuer"])
            code = data["organization"]  # OrgCodeField: trimmed, upper-cased
            org = visible_orgs(user).filter(code=code).first()
            targets = [t for t in (r.as_target() for r in rows.forms) if t]
            if org is None:
                form.add_error(
                    "organization", _("未找到组织编码为“%(code)s”的组织") % {"code": code}
                )
            elif not targets:
                form.add_error(None, _("目标责任书至少要有一项目标"))
            else:
                pledge = run_service(
                    form,
                    lambda: services.create_pledge(
                        issuer,
                        org,
                        year=data["year"],
                        title=data["title"],
                        targets=targets,
                        actor=user,
                    ),
                    {"targets": None},
                )
                if pledge:
                    messages.success(request, _("目标责任书已下达"))
                    return redirect("tasks:pledge", pk=pledge.pk)
    else:
        year = timezone.localdate().year
        issuer = normalize_code(request.GET.get("issuer")) or issuers[0].code
        form = forms.PledgeForm(
            issuers=issuers,
            user=request.user,
            initial={
                "issuer": issuer,
                "organization": normalize_code(request.GET.get("org")),
                "year": year,
                "title": _("%(year)s年基层党建工作目标责任书") % {"year": year},
            },
        )
        rows = forms.target_rowset()
    children = []
    top = next((o for o in issuers if o.code == form["issuer"].value()), issuers[0])
    children = list(
        visible_orgs(user)
        .active()
        .filter(path__startswith=top.path, depth=top.depth + 1)
        .exclude(kind=Kind.GROUP)
        .order_by("path")[:500]
    )
    return render(
        request,
        "tasks/pledge_form.html",
        {"nav": "tasks", "form": form, "rows": rows, "children": children},
    )


def _children_for_cascade(user, org):
    return list(
        visible_orgs(user)
        .active()
        .filter(path__startswith=org.path, depth=org.depth + 1)
        .exclude(kind=Kind.GROUP)
        .order_by("path")[:500]
    )


@login_required
def pledge_detail(request, pk):
    user = request.user
    pledge = get_visible_or_404(
        selectors.visible_pledges(user).select_related("issuer", "organization", "signed_by"),
        pk=pk,
    )
    org = pledge.organization
    can_report = user.has_perm("tasks.report", org)
    can_cascade = user.has_perm("tasks.issue", org)
    children = _children_for_cascade(user, org) if can_cascade else []
    targets = list(
        pledge.targets.select_related("source__pledge__organization").prefetch_related(
            "cascaded__pledge__organization", "cascaded__cascaded__cascaded"
        )
    )
    errors_for = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "sign":
            if run_message(request, lambda: services.sign(pledge, actor=user)):
                messages.success(request, _("已签订目标责任书"))
            return redirect("tasks:pledge", pk=pledge.pk)
        target = next((t for t in targets if str(t.pk) == request.POST.get("target")), None)
        if target is None:
            raise Http404
        if action == "progress":
            form = forms.TargetProgressForm(request.POST, prefix=f"t{target.pk}")
            if form.is_valid():
                data = form.cleaned_data
                kwargs = {"progress_note": data["progress_note"]}
                if target.kind == "number":
                    kwargs["progress_value"] = data["progress_value"]
                else:
                    kwargs["met"] = data["met"]
                if run_service(form, lambda: services.update_target(target, actor=user, **kwargs)):
                    messages.success(request, _("已更新目标进展"))
                    return redirect("tasks:pledge", pk=pledge.pk)
            errors_for[target.pk] = ("progress", form)
        elif action == "cascade":
            form = forms.CascadeForm(request.POST, prefix=f"c{target.pk}", children=children)
            if form.is_valid():
                chosen = [c for c in children if c.code in form.cleaned_data["organizations"]]
                if run_service(form, lambda: services.cascade(target, chosen, actor=user)):
                    messages.success(request, _("目标已分解到%(n)s个下级组织") % {"n": len(chosen)})
                    return redirect("tasks:pledge", pk=pledge.pk)
            errors_for[target.pk] = ("cascade", form)
    rows = []
    for t in targets:
        kind, bad = errors_for.get(t.pk, (None, None))
        progress_form = (
            bad
            if kind == "progress"
            else forms.TargetProgressForm(
                prefix=f"t{t.pk}",
                initial={
                    "progress_value": t.progress_value,
                    "met": t.met,
                    "progress_note": t.progress_note,
                },
            )
        )
        cascade_form = (
            bad if kind == "cascade" else forms.CascadeForm(prefix=f"c{t.pk}", children=children)
        )
        effective = services.effective_progress(t)
        rows.append(
            {
                "target": t,
                "effective": effective,
                "met": services.is_met(t),
                "percent": (
                    min(100, percent(effective, t.target_value))
                    if effective is not None and t.target_value
                    else None
                ),
                "parts": list(t.cascaded.all()),
                "progress_form": progress_form,
                "cascade_form": cascade_form,
                "open": kind,
            }
        )
    return render(
        request,
        "tasks/pledge.html",
        {
            "nav": "tasks",
            "pledge": pledge,
            "rows": rows,
            # Signing is the receiving organization's own act, not that of those above it.
            "can_sign": can_report and not pledge.signed_on and not covers(user, org, strict=True),
            "can_report": can_report,
            "can_cascade": can_cascade and bool(children),
        },
    )
