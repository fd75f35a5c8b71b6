"""Pages of points: 我的积分 (a member's own, with the record behind each point), the county's
scheme (edited by the county, recomputed in the background), an organization's own points,
the members' points of a subtree (its managers only) and its .xlsx export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.toolkit import paginate
from dangjian.members.selectors import visible_members
from dangjian.orgs.models import Level, Organization
from dangjian.orgs.selectors import home_organization, visible_orgs

from . import exports, forms, selectors, services, sources


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _years(selected: int) -> list[int]:
    today = timezone.localdate()
    return sorted({*range(today.year - 4, today.year + 1), selected}, reverse=True)


def _org(request, code):
    return get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))


def _managed_org(request, code):
    org = _org(request, code)
    if not selectors.manages_points(request.user, org):
        raise PermissionDenied(_("只有本组织和上级组织的管理者能看到党员积分"))
    return org


def _county(request, code):
    """A county whose scheme the user may read: anyone who sees an organization of it (what
    counts is no secret); only its managers edit it."""
    county = Organization.objects.filter(
        code=normalize_code(code), level=Level.COUNTY, dissolved_on__isnull=True
    ).first()
    if (
        county is None
        or not visible_orgs(request.user).filter(path__startswith=county.path).exists()
    ):
        raise Http404
    return county


@login_required
def home(request):
    """The nav's 积分: a member's own points; a manager's organization pages."""
    org = home_organization(request.user)
    member = getattr(request.user, "member", None)
    if org is None or not selectors.manages_points(request.user, org):
        if member is not None:
            return redirect("points:mine")
        return render(request, "points/home.html", {"org": None, "nav": "points"})
    county = selectors.county_of(org)
    return render(
        request,
        "points/home.html",
        {"org": org, "county": county, "member": member, "nav": "points"},
    )


@login_required
def mine(request):
    member = getattr(request.user, "member", None)
    year = _year(request)
    context = {"nav": "points", "year": year, "years": _years(year), "mine": True}
    if member is None:
        return render(request, "points/member.html", context)
    context.update(selectors.member_year(member, year))
    return render(request, "points/member.html", context)


@login_required
def member(request, pk):
    """A member's points with the records behind them, for those who manage the member
    (visible_members: a member reaches only their own, as on 我的积分)."""
    person = get_visible_or_404(visible_members(request.user).select_related("organization"), pk=pk)
    year = _year(request)
    context = {"nav": "points", "year": year, "years": _years(year), "mine": False}
    context.update(selectors.member_year(person, year))
    return render(request, "points/member.html", context)


@login_required
def scheme(request, code):
    county = _county(request, code)
    year = _year(request)
    state = selectors.year_state(county, year)
    in_force = selectors.scheme_for(county, year)
    used = selectors.scheme_used(county, year)
    can_edit = request.user.has_perm("points.edit_scheme", county)
    closed = bool(state and state.closed)
    form = None
    if can_edit and not closed:
        form = forms.SchemeForm(request.POST or None, scheme=in_force)
        if request.method == "POST" and form.is_valid():
            items, field_map = form.items()
            saved = run_service(
                form,
                lambda: services.save_scheme(
                    request.user, county, year, items, note=form.cleaned_data["note"]
                ),
                field_map,
            )
            if saved:
                job = services.compute_in_background(request.user, county, year)
                messages.success(
                    request,
                    _("已保存%(year)s年积分办法第%(v)s版，正在重新计算积分")
                    % {"year": year, "v": saved.version},
                )
                return redirect("jobs:detail", job.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("只有县（区）委组织部可以修改积分办法"))
    return render(
        request,
        "points/scheme.html",
        {
            "nav": "points",
            "county": county,
            "year": year,
            "years": _years(year),
            "state": state,
            "in_force": in_force,
            "rows": selectors.item_rows(used),
            "used": used,
            "versions": selectors.versions(county),
            "form": form,
            "can_edit": can_edit,
            "closable": can_edit and not closed and year < timezone.localdate().year,
            "sources": sources.all_sources(),
        },
    )


@login_required
@require_POST
def recompute(request, code):
    county = _county(request, code)
    year = _year(request)
    try:
        job = services.compute_in_background(request.user, county, year)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(f"{_scheme_url(county)}?year={year}")
    return redirect("jobs:detail", job.pk)


@login_required
@require_POST
def close(request, code):
    county = _county(request, code)
    year = _year(request)
    try:
        services.close_year(request.user, county, year)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("%(year)s年度积分已结算") % {"year": year})
    return redirect(f"{_scheme_url(county)}?year={year}")


def _scheme_url(county):
    from django.urls import reverse

    return reverse("points:scheme", args=[county.code])


@login_required
def org_points(request, code):
    org = _managed_org(request, code)
    year = _year(request)
    context = selectors.org_year(org, year)
    context.update(
        {
            "nav": "points",
            "years": _years(year),
            "children": selectors.children_points(org, year),
        }
    )
    return render(request, "points/org.html", context)


@login_required
def org_members(request, code):
    org = _managed_org(request, code)
    year = _year(request)
    q = request.GET.get("q", "")
    order = "points" if request.GET.get("order") == "points" else "name"
    qs = selectors.members_points(request.user, org, year, q, order)
    rows, pager = paginate(request, qs, 50)
    county = selectors.county_of(org)
    items = (
        selectors.item_rows(selectors.scheme_used(county, year), sources.MEMBER) if county else []
    )
    by_member = selectors.items_of_members(rows, year)
    for row in rows:
        got = by_member.get(row.member_id, {})
        row.cells = [got.get(i.source, (0, 0)) for i in items]
    return render(
        request,
        "points/members.html",
        {
            "nav": "points",
            "org": org,
            "county": county,
            "year": year,
            "years": _years(year),
            "rows": rows,
            **pager,
            "items": items,
            "q": q,
            "order": order,
            "state": selectors.year_state(county, year) if county else None,
        },
    )


@login_required
def org_members_export(request, code):
    org = _managed_org(request, code)
    year = _year(request)
    return exports.members_points(request.user, org, year)
