"""Pages of dues: the figures of an organization and the level below, the ledger (paged,
filtered by organization, month and status, exported to .xlsx), a branch's year grid and
its month form (every member's due prefilled, one submit for the month), a member's
re-base and multi-month payment, the arrears list and a member's own dues (我的党费).
Thin: reads through the selectors, writes through the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.files import xlsx_response
from dangjian.core.forms import normalize_code
from dangjian.core.periods import Period, PeriodError
from dangjian.core.toolkit import paginate, subtree_phrase
from dangjian.members.selectors import visible_members
from dangjian.orgs.selectors import home_organization, visible_orgs

from . import exports, rules, selectors, services
from .models import DuesCategory

PERM = services.PERM


def _org(request, code):
    return get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))


def _managed(request, code):
    org = _org(request, code)
    if not request.user.has_perm(PERM, org):
        raise PermissionDenied(_("您无权管理该组织的党费"))
    return org


def _scope(request):
    code = normalize_code(request.GET.get("org"))
    if code:
        return _org(request, code)
    org = home_organization(request.user)
    if org is None or not request.user.has_perm(PERM, org):
        raise PermissionDenied(_("党费台账由党组织管理者查看；党员请看“我的党费”"))
    return org


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _month(text):
    try:
        period = Period.parse(text)
    except PeriodError:
        return None
    return period.start if period.month else None


def _errors(request, error: ValidationError):
    for field_messages in error.message_dict.values():
        for message in field_messages:
            messages.error(request, message)


def _ctx(**extra):
    return {"nav": "dues", **extra}


@login_required
def home(request):
    org = _scope(request)
    year = _year(request)
    period = Period(year)
    figures = selectors.dues_figures(org, period)
    children = selectors.children_figures(org, period)
    ref = selectors.reference_month(period)
    return render(
        request,
        "dues/home.html",
        _ctx(
            org=org,
            year=year,
            figures=figures,
            children=children,
            ref=ref,
            counts=selectors.arrears_counts(org, ref),
        ),
    )


def _ledger_filters(request):
    org = _scope(request)
    year = _year(request)
    try:
        month = int(request.GET.get("month", "") or 0)
    except ValueError:
        month = 0
    month = month if 1 <= month <= 12 else None
    status = request.GET.get("status", "")
    status = status if status in selectors.STATUSES else ""
    q = (request.GET.get("q") or "").strip()[:40]
    return org, {"year": year, "month": month, "status": status, "q": q}


@login_required
def ledger(request):
    org, f = _ledger_filters(request)
    rows, pager = paginate(request, selectors.ledger(request.user, org, **f))
    return render(
        request,
        "dues/ledger.html",
        _ctx(org=org, rows=rows, **pager, **f, months=range(1, 13), query=request.GET.urlencode()),
    )


@login_required
def ledger_export(request):
    org, f = _ledger_filters(request)
    if not request.user.has_perm(PERM, org):
        raise PermissionDenied(_("您无权导出该组织的党费台账"))
    out = exports.ledger(org, f["year"], scope=subtree_phrase(org), user=request.user)
    return xlsx_response(out, f"党费收缴台账_{f['year']}")


@login_required
def grid(request, code):
    org = _managed(request, code)
    year = _year(request)
    if request.method == "POST":
        try:
            out = services.open_months(request.user, org, f"{year}-01", f"{year}-12")
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("已建立 %(n)s 条党费记录") % {"n": out["created"]})
            if out["missing"]:
                messages.warning(
                    request,
                    _("以下党员尚未核定党费基数：%(names)s")
                    % {"names": "、".join(m.name for m in out["missing"][:30])},
                )
        return redirect(f"{request.path}?year={year}")
    table = [
        (member, [cells.get(m) for m in range(1, 13)])
        for member, cells in selectors.month_grid(org, year).items()
    ]
    return render(
        request,
        "dues/grid.html",
        _ctx(
            org=org, year=year, table=table, months=[(m, f"{year}-{m:02d}") for m in range(1, 13)]
        ),
    )


@login_required
def month_form(request, code, month):
    org = _managed(request, code)
    first = _month(month)
    if first is None:
        raise Http404(_("月份应写作 2026-03 这样"))
    rows = list(selectors.month_rows(org, first))
    today = timezone.localdate()
    if request.method == "POST":
        entries = {r.member_id: request.POST.get(f"paid_{r.member_id}", "") for r in rows}
        try:
            n = services.record_month(
                request.user,
                org,
                first,
                entries,
                paid_on=request.POST.get("paid_on"),
                collector=request.POST.get("collector", ""),
            )
        except ValidationError as error:
            _errors(request, error)
            posted = entries
        else:
            messages.success(request, _("已登记 %(n)s 人的党费") % {"n": n})
            return redirect("dues:grid", code=org.code)
    else:
        posted = {}
    lines = [
        (
            r,
            posted.get(r.member_id)
            if r.member_id in posted
            else rules.fen_to_yuan(r.paid_fen if r.paid_fen else r.due_fen),
        )
        for r in rows
    ]
    return render(
        request,
        "dues/month.html",
        _ctx(
            org=org,
            month=first,
            lines=lines,
            today=today,
            paid_on=request.POST.get("paid_on", today.isoformat()),
            collector=request.POST.get("collector", ""),
        ),
    )


@login_required
def member_dues(request, pk):
    member = get_visible_or_404(visible_members(request.user), pk=pk)
    if not request.user.has_perm(PERM, member):
        raise PermissionDenied(_("您无权管理该党员的党费"))
    if request.method == "POST":
        try:
            if "pay" in request.POST:
                total = services.pay_months(
                    request.user,
                    member,
                    request.POST.get("first"),
                    request.POST.get("last"),
                    paid_on=request.POST.get("paid_on"),
                    collector=request.POST.get("collector", ""),
                )
                messages.success(
                    request, _("已登记党费 %(y)s 元") % {"y": rules.fen_to_yuan(total)}
                )
            else:
                services.set_base(
                    request.user,
                    member,
                    effective_from=request.POST.get("effective_from"),
                    category=request.POST.get("category"),
                    base_yuan=request.POST.get("base_yuan", ""),
                    rural_yuan=request.POST.get("rural_yuan", ""),
                    exempt=request.POST.get("exempt") == "1",
                    reduced_yuan=request.POST.get("reduced_yuan", ""),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("党费基数已核定"))
        except ValidationError as error:
            _errors(request, error)
        else:
            return redirect("dues:member", pk=member.pk)
    year = _year(request)
    return render(
        request,
        "dues/member.html",
        _ctx(
            member=member,
            year=year,
            rows=selectors.own_dues(member, year),
            bases=member.dues_bases.all()[:12],
            categories=DuesCategory.choices,
            default_category=rules.category_of(member.category),
            this_month=timezone.localdate().strftime("%Y-%m"),
            today=timezone.localdate(),
            post=request.POST,
        ),
    )


@login_required
def arrears(request, code):
    org = _managed(request, code)
    ref = rules.month_start(timezone.localdate())
    if request.GET.get("month"):
        ref = _month(request.GET["month"]) or ref
    warn = services.Scheme(org).warn_months
    rows = selectors.arrears(org, months=warn, ref=ref)
    leave = services.Scheme(org).leave_months
    return render(
        request,
        "dues/arrears.html",
        _ctx(org=org, ref=ref, rows=rows, leave=leave, warn=warn),
    )


@login_required
def mine(request):
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404(_("您的账号没有关联党员信息"))
    year = _year(request)
    rows = list(selectors.own_dues(member, year))
    return render(
        request,
        "dues/mine.html",
        _ctx(
            member=member,
            year=year,
            rows=rows,
            base=selectors.current_base(member),
            due=sum(r.due_fen for r in rows),
            paid=sum(r.paid_fen for r in rows),
        ),
    )
