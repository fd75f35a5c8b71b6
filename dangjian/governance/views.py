"""Pages of village governance: the matters (list, one with its steps and the form of the
next), the station's roster, and the village's public page (no login)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_POST

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.files import xlsx_response
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.toolkit import paginate
from dangjian.core.xlsx import label
from dangjian.orgs.models import Organization
from dangjian.orgs.selectors import visible_orgs

from . import exports, forms, rules, selectors, services
from .models import MatterStatus


def _filtered_matters(request):
    """The user's matters with the list's filters (status, year proposed), and the filters."""
    qs = selectors.visible_matters(request.user)
    status = request.GET.get("status", "")
    if status in MatterStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    year = request.GET.get("year", "")
    if year.isdigit() and len(year) == 4:
        qs = qs.filter(proposed_on__year=int(year))
    else:
        year = ""
    return qs, status, year


@login_required
def matter_list(request):
    qs, status, year = _filtered_matters(request)
    matters, pager = paginate(request, qs.order_by("-created_at"), 30)
    query = urlencode({k: v for k, v in (("status", status), ("year", year)) if v})
    return render(
        request,
        "governance/matters.html",
        {
            "matters": matters,
            **pager,
            "statuses": MatterStatus.choices,
            "status": status,
            "year": year,
            "query": query,
        },
    )


@login_required
def matter_export(request):
    qs, status, year = _filtered_matters(request)
    # Files are always in simplified Chinese (core.xlsx), whatever the page's language.
    scope = "本人可见范围"
    if status:
        scope += f"，{label(MatterStatus, status)}"
    if year:
        scope += f"，{year}年提议"
    rows = qs.prefetch_related("steps").order_by("organization__path", "proposed_on", "pk")
    out = exports.matters(rows.iterator(chunk_size=500), scope=scope, user=request.user)
    return xlsx_response(out, "四议两公开台账")


def _org(request, code):
    return get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))


def _managed_org(request, code):
    org = _org(request, code)
    if not request.user.has_perm("governance.record", org):
        raise PermissionDenied(_("您无权为该组织登记村级重大事项"))
    return org


@login_required
def matter_create(request, code):
    org = _managed_org(request, code)
    form = forms.MatterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        matter = run_service(
            form, lambda: services.create_matter(request.user, org, **form.cleaned_data)
        )
        if matter:
            messages.success(request, _("已登记事项，请登记第一步：村党组织提议"))
            return redirect("governance:matter", matter.pk)
    return render(request, "governance/matter_form.html", {"form": form, "org": org})


@login_required
def matter_detail(request, pk):
    matter = selectors.find_matter(request.user, pk)
    steps = selectors.steps_of(matter)
    done = [s.step for s in steps]
    step = rules.next_step(done, matter.status == MatterStatus.REJECTED)
    can_record = step is not None and request.user.has_perm(
        "governance.record", matter.organization
    )
    form = None
    if can_record:
        form = forms.StepForm(request.POST or None, step=step)
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items()}
            recorded = run_service(
                form, lambda: services.record_step(request.user, matter, step=step, **data)
            )
            if recorded:
                messages.success(request, _("已登记：%(step)s") % {"step": rules.STEP_LABELS[step]})
                return redirect("governance:matter", matter.pk)
    return render(
        request,
        "governance/matter.html",
        {
            "matter": matter,
            "steps": steps,
            "labels": [(n, rules.STEP_LABELS[n], n in done) for n in rules.STEPS],
            "next_step": step,
            "next_label": rules.STEP_LABELS.get(step),
            "form": form,
        },
    )


@login_required
def office_hours(request, code):
    org = _org(request, code)
    can_edit = request.user.has_perm("governance.record", org) and services.governs(org)
    form = forms.OfficeHoursForm(request.POST or None) if can_edit else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = run_service(form, lambda: services.add_office_hours(request.user, org, **data))
        if entry:
            messages.success(request, _("已添加"))
            return redirect("governance:office_hours", org.code)
    return render(
        request,
        "governance/office_hours.html",
        {
            "org": org,
            "form": form,
            "roster": selectors.roster(org, timezone.localdate()),
            "can_edit": can_edit,
        },
    )


@login_required
@require_POST
def office_hours_remove(request, pk):
    entry = selectors.find_office_hours(request.user, pk)
    services.remove_office_hours(request.user, entry)
    messages.success(request, _("已删除"))
    return redirect("governance:office_hours", entry.organization.code)


# ---- the public page ---------------------------------------------------------------------


def _public_org(code):
    org = get_object_or_404(Organization, code=normalize_code(code))
    if not services.governs(org):
        raise PermissionDenied  # only villages and communities have a public board
    return org


def _etag(request, code):
    try:
        org = _public_org(code)
    except (Http404, PermissionDenied):  # the view answers 404/403 itself
        return None
    return selectors.board_stamp(org, timezone.localdate())


@condition(etag_func=_etag)
def public_board(request, code):
    """The village's public board (村务公开栏), for anyone: disclosures, today's office
    hours, the weekly roster with work phones. Revalidated by ETag: it is rebuilt only
    when a record behind it (or the day) changes."""
    org = _public_org(code)
    today = timezone.localdate()
    response = render(
        request,
        "governance/public.html",
        {"org": org, "today": today, **selectors.public_board(org, today), "public": True},
    )
    patch_cache_control(response, public=True, max_age=300)
    return response
