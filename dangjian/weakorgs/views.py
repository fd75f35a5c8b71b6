"""Pages of weak organizations: the year's candidates with their evidence, one flag with the
county's decision, the hand-flag form, the year's list by sector and level (and its .xlsx),
an organization's history. Thin: the services decide, the selectors scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scoping import covers, get_visible_or_404, managed_paths
from dangjian.core.files import xlsx_response
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.toolkit import paginate, rate_text, subtree_phrase
from dangjian.orgs.models import Organization
from dangjian.orgs.selectors import visible_orgs

from . import exports, forms, selectors, services
from .models import FlagStatus


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
    except ValueError:
        return today.year
    return year if services.FIRST_YEAR <= year <= today.year else today.year


def _org(request, code):
    """An organization the user manages (at it or above): flags are managers' business."""
    org = get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))
    if not covers(request.user, org):
        raise PermissionDenied(_("软弱涣散排查只对本组织及上级党组织的管理者开放"))
    return org


@login_required
def index(request):
    if request.user.is_superuser:
        org = Organization.objects.filter(depth=1).first()
    else:
        paths = managed_paths(request.user)
        org = Organization.objects.filter(path=paths[0]).first() if paths else None
    if org is None:
        raise PermissionDenied(_("软弱涣散排查只对党组织的管理者开放"))
    return redirect("weakorgs:candidates", org.code)


@login_required
def candidates(request, code):
    org = _org(request, code)
    year = _year(request)
    status = request.GET.get("status", "")
    flags, pager = paginate(
        request,
        selectors.year_flags(
            request.user, org, year, status if status in FlagStatus.values else None
        ),
        100,
    )
    can_decide = request.user.has_perm("weakorgs.decide", org)
    return render(
        request,
        "weakorgs/candidates.html",
        {
            "org": org,
            "year": year,
            "years": sorted({year, *selectors.years_of(request.user, org)}, reverse=True),
            "status": status,
            "statuses": FlagStatus.choices,
            "flags": flags,
            **pager,
            "counts": selectors.status_counts(request.user, org, year),
            "can_decide": can_decide,
            "fixed": services.fixed_list(org, year),
        },
    )


@login_required
@require_POST
def detect(request, code):
    org = _org(request, code)
    try:
        job = services.start_detection(request.user, org, request.POST.get("year"))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("weakorgs:candidates", org.code)
    return redirect("jobs:detail", job.pk)


@login_required
def flag(request, pk):
    flag = selectors.find_flag(request.user, pk)
    can_decide = (
        flag.status == FlagStatus.PENDING
        and request.user.has_perm("weakorgs.decide", flag.organization)
        and not services.fixed_list(flag.organization, flag.year)
    )
    action = request.POST.get("action") if request.method == "POST" else None
    confirm_form = forms.ConfirmForm(request.POST if action == "confirm" else None)
    dismiss_form = forms.DismissForm(request.POST if action == "dismiss" else None)
    if action and not can_decide:
        raise PermissionDenied(_("只有县委组织部可以认定或排除"))
    if action == "confirm" and confirm_form.is_valid():
        done = run_service(
            confirm_form,
            lambda: services.confirm(request.user, flag, **confirm_form.service_data()),
        )
        if done:
            messages.success(request, _("已认定为软弱涣散党组织，并建立整改台账"))
            return redirect("weakorgs:flag", flag.pk)
    elif action == "dismiss" and dismiss_form.is_valid():
        done = run_service(
            dismiss_form,
            lambda: services.dismiss(request.user, flag, **dismiss_form.cleaned_data),
        )
        if done:
            messages.success(request, _("已排除"))
            return redirect("weakorgs:flag", flag.pk)
    return render(
        request,
        "weakorgs/flag.html",
        {
            "flag": flag,
            "findings": list(flag.findings.all()),
            "can_decide": can_decide,
            "confirm_form": confirm_form,
            "dismiss_form": dismiss_form,
        },
    )


@login_required
def hand_flag(request, code):
    org = _org(request, code)
    if not request.user.has_perm("weakorgs.flag", org):
        raise PermissionDenied(_("只有上级党组织可以提出软弱涣散情形"))
    form = forms.HandFlagForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        finding = run_service(
            form, lambda: services.flag_by_hand(request.user, org, **form.cleaned_data)
        )
        if finding:
            messages.success(request, _("已提出，等待县委组织部认定"))
            return redirect("weakorgs:flag", finding.flag_id)
    return render(request, "weakorgs/hand_flag.html", {"org": org, "form": form})


@login_required
def year_list(request, code):
    org = _org(request, code)
    year = _year(request)
    can_fix = request.user.has_perm("weakorgs.decide", org)
    if request.method == "POST":
        if not can_fix:
            raise PermissionDenied(_("只有县委组织部可以确定年度名单"))
        try:
            services.fix_list(request.user, org, year=year)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("%(y)s年度名单已定档") % {"y": year})
        return redirect(f"{request.path}?year={year}")
    data = selectors.year_list(request.user, org, year)
    data["flags"], pager = paginate(request, data["flags"], 100)
    return render(
        request,
        "weakorgs/list.html",
        {
            "org": org,
            "year": year,
            "years": sorted({year, *selectors.years_of(request.user, org)}, reverse=True),
            "can_fix": can_fix and not data["fixed"],
            "share_text": rate_text(data["village_share"]),
            **pager,
            **data,
        },
    )


@login_required
def export(request, code):
    org = _org(request, code)
    year = _year(request)
    data = selectors.year_list(request.user, org, year)
    out = exports.year_list(
        data["flags"], top=org, year=year, scope=subtree_phrase(org), user=request.user
    )
    return xlsx_response(out, f"软弱涣散党组织名单_{year}_{org.code}")


@login_required
def history(request, code):
    org = _org(request, code)
    return render(
        request,
        "weakorgs/history.html",
        {
            "org": org,
            "flags": selectors.history(request.user, org),
            "can_flag": request.user.has_perm("weakorgs.flag", org),
        },
    )
