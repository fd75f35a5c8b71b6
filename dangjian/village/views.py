"""Pages of venues and cadre pay: the overview per level with drill-down, a village's venue
page (with its works and funds), the county's pay rule, the pay sheets (village prepares and
submits → the township or county confirms), and the .xlsx ledgers. Thin: each reads through
the selectors and writes through the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.files import xlsx_response
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.periods import Period
from dangjian.core.toolkit import paginate, subtree_phrase
from dangjian.orgs.models import Level
from dangjian.orgs.selectors import home_organization, visible_orgs

from . import exports, forms, rules, selectors, services
from .models import Funding, Post, SheetStatus, WorkKind

PERM = services.PERM


def _org(request, code):
    return get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))


def _scope_org(request):
    code = normalize_code(request.GET.get("org"))
    return get_visible_or_404(visible_orgs(request.user), code=code) if code else None


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    return year if year is not None and 2000 <= year <= 2100 else timezone.localdate().year


def _ctx(request, **extra):
    return {"nav": "village", "home_org": home_organization(request.user), **extra}


@login_required
def overview(request):
    org = _scope_org(request) or home_organization(request.user)
    year = _year(request)
    figures = selectors.village_figures(org, Period(year)) if org else None
    rows = selectors.overview_rows(org, year) if org else []
    by_source = selectors.works_cost_by_source(org, year) if org else {}
    ctx = _ctx(request, org=org, year=year, figures=figures, rows=rows)
    if figures:
        ctx.update(
            five_share=rules.share(figures["venues_five_haves"], figures["venues"]),
            six_share=rules.share(figures["venues_six_in_one"], figures["venues"]),
            pay=rules.yuan_text(figures["cadre_pay_fen"]),
            office=rules.yuan_text(figures["office_funds_fen"]),
            service=rules.yuan_text(figures["service_funds_fen"]),
            works_cost=rules.yuan_text(figures["venue_works_cost_fen"]),
            sources=[(label, rules.yuan_text(by_source[v])) for v, label in Funding.choices],
            is_village=services.is_village_unit(org),
            county=services.county_of(org),
        )
        for _child, row in rows:
            row["pay"] = rules.yuan_text(row["cadre_pay_fen"])
    return render(request, "village/home.html", ctx)


@login_required
def venues_export(request):
    org = _scope_org(request)
    qs = selectors.venue_ledger(request.user, org=org)
    scope = subtree_phrase(org) if org else "本人管辖的全部组织"
    out = exports.venues(qs.iterator(chunk_size=500), scope=scope, user=request.user)
    return xlsx_response(out, "活动场所台账")


# ---- a village's venue --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def venue(request, code):
    org = _org(request, code)
    if not services.is_village_unit(org):
        raise Http404
    can = request.user.has_perm(PERM, org)
    record = selectors.venue_of(org)
    year = _year(request)
    venue_form = forms.VenueForm(initial=forms.VenueForm.initial_of(record))
    work_form = forms.WorkForm(initial={"year": year})
    funds_form = forms.FundsForm(initial={"year": year})
    action = request.POST.get("action", "")
    if request.method == "POST":
        if not can:
            raise PermissionDenied(_("您无权登记该村（社区）的活动场所"))
        if action == "venue":
            venue_form = forms.VenueForm(request.POST)
            if venue_form.is_valid() and run_service(
                venue_form,
                lambda: services.save_venue(request.user, org, **venue_form.cleaned_data),
            ):
                messages.success(request, _("已保存活动场所"))
                return redirect("village:venue", org.code)
        elif action == "work" and record is not None:
            work_form = forms.WorkForm(request.POST)
            if work_form.is_valid() and run_service(
                work_form, lambda: services.add_work(request.user, record, **work_form.cleaned_data)
            ):
                messages.success(request, _("已登记建设情况"))
                return redirect("village:venue", org.code)
        elif action == "remove_work" and record is not None:
            work = record.works.filter(pk=request.POST.get("work") or 0).first()
            if work is None:
                raise Http404
            services.remove_work(request.user, work)
            messages.success(request, _("已删除"))
            return redirect("village:venue", org.code)
        elif action == "funds":
            funds_form = forms.FundsForm(request.POST)
            if funds_form.is_valid() and run_service(
                funds_form, lambda: services.set_funds(request.user, org, **funds_form.cleaned_data)
            ):
                messages.success(request, _("已保存经费"))
                return redirect("village:venue", org.code)
        else:
            raise Http404
    works = list(record.works.all()) if record else []
    funds = list(selectors.visible_funds(request.user).filter(organization=org).order_by("-year"))
    return render(
        request,
        "village/venue.html",
        _ctx(
            request,
            org=org,
            venue=record,
            can=can,
            venue_form=venue_form,
            work_form=work_form,
            funds_form=funds_form,
            works=[(w, rules.yuan_text(w.cost_fen)) for w in works],
            funds=[
                (f, rules.yuan_text(f.office_fen), rules.yuan_text(f.service_fen)) for f in funds
            ],
            kinds=WorkKind.choices,
        ),
    )


# ---- the county's pay rule ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def pay_rule(request, code):
    org = _org(request, code)
    if org.level != Level.COUNTY:
        raise Http404
    year = _year(request)
    rule = selectors.visible_rules(request.user).filter(organization=org, year=year).first()
    can = request.user.has_perm(services.RULE_PERM, org)
    form = forms.PayRuleForm(initial=forms.PayRuleForm.initial_of(rule, year, org))
    if request.method == "POST":
        if not can:
            raise PermissionDenied(_("报酬标准由县委组织部设定，您无权修改"))
        form = forms.PayRuleForm(request.POST)
        if form.is_valid():
            saved = run_service(
                form, lambda: services.save_pay_rule(request.user, org, **form.rule_data())
            )
            if saved:
                messages.success(request, _("已保存报酬标准"))
                return redirect(f"{request.path}?year={saved.year}")
    schedule = []
    if rule is not None:
        labels = dict(Post.choices)
        terms = services.rule_terms(rule)
        for p in rules.schedule(rule.income, rule.multiple, terms, rule.rounding):
            above = p.above_standard_fen
            schedule.append(
                {
                    "post": labels[p.post],
                    "monthly": rules.yuan_text(p.monthly_fen),
                    "yearly": rules.yuan_text(p.yearly_fen),
                    "standard": rules.yuan_text(p.standard_monthly_fen),
                    "above": rules.yuan_text(above) if above is not None else "—",
                }
            )
    years = list(
        selectors.visible_rules(request.user)
        .filter(organization=org)
        .values_list("year", flat=True)
    )
    return render(
        request,
        "village/rule.html",
        _ctx(
            request,
            org=org,
            year=year,
            rule=rule,
            form=form,
            can=can,
            schedule=schedule,
            years=years,
        ),
    )


# ---- pay sheets -----------------------------------------------------------------------------


def _sheets(request):
    org = _scope_org(request)
    year = _year(request)
    status = request.GET.get("status", "")
    return org, year, status, selectors.sheet_list(request.user, org=org, year=year, status=status)


@login_required
def sheet_list(request):
    org, year, status, qs = _sheets(request)
    sheets, pager = paginate(request, qs)
    target = org or home_organization(request.user)
    may_prepare = (
        target is not None
        and services.is_village_unit(target)
        and request.user.has_perm(PERM, target)
        and selectors.sheet_of(target, year) is None
    )
    return render(
        request,
        "village/sheets.html",
        _ctx(
            request,
            sheets=[(s, rules.yuan_text(s.total_fen)) for s in sheets],
            **pager,
            org=org,
            year=year,
            status=status,
            statuses=SheetStatus.choices,
            prepare_org=target if may_prepare else None,
        ),
    )


@login_required
def sheets_export(request):
    org, year, status, qs = _sheets(request)
    lines = (
        services.PayLine.objects.filter(sheet__in=qs)
        .select_related("sheet__organization")
        .order_by("sheet__organization__path", "pk")
    )
    scope = subtree_phrase(org) if org else "本人管辖的全部组织"
    out = exports.sheets(lines.iterator(chunk_size=500), scope=scope, year=year, user=request.user)
    return xlsx_response(out, f"村干部报酬发放表_{year}")


@login_required
@require_http_methods(["GET", "POST"])
def sheet_create(request, code):
    org = _org(request, code)
    if not request.user.has_perm(PERM, org):
        raise PermissionDenied(_("您无权填报该村（社区）的报酬发放表"))
    year = _year(request)
    form = forms.SheetForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        sheet = run_service(form, lambda: services.prepare_sheet(request.user, org, year=year))
        if sheet:
            messages.success(request, _("已生成报酬发放表，请核对人员"))
            return redirect("village:sheet", sheet.pk)
    return render(
        request, "village/sheet_create.html", _ctx(request, org=org, year=year, form=form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def sheet_detail(request, pk):
    sheet = selectors.find_sheet(request.user, pk)
    org = sheet.organization
    can_edit = request.user.has_perm(PERM, org) and sheet.editable
    can_confirm = (
        request.user.has_perm(services.CONFIRM_PERM, org) and sheet.status == SheetStatus.SUBMITTED
    )
    members = services.member_choices(org)
    line_form = forms.LineForm(members=members)
    return_form = forms.ReturnForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        done = None
        if action in ("add_line", "update_line", "remove_line", "submit"):
            if not request.user.has_perm(PERM, org):
                raise PermissionDenied(_("您无权修改该报酬发放表"))
        if action == "add_line":
            line_form = forms.LineForm(request.POST, members=members)
            if line_form.is_valid():
                done = run_service(
                    line_form,
                    lambda: services.add_line(request.user, sheet, **line_form.cleaned_data),
                )
        elif action in ("update_line", "remove_line"):
            line = sheet.lines.filter(pk=request.POST.get("line") or 0).first()
            if line is None:
                raise Http404
            line_form = forms.LineForm(request.POST, members=None)
            if action == "remove_line":
                done = run_service(
                    line_form, lambda: services.remove_line(request.user, line) or True
                )
            elif line_form.is_valid():
                d = line_form.cleaned_data
                done = run_service(
                    line_form,
                    lambda: services.update_line(
                        request.user,
                        line,
                        name=d["name"] or line.name,
                        post=d["post"],
                        months=d["months"],
                        performance=d["performance"],
                    ),
                )
        elif action == "submit":
            done = run_service(return_form, lambda: services.submit_sheet(request.user, sheet))
        elif action in ("confirm", "return"):
            if not request.user.has_perm(services.CONFIRM_PERM, org):
                raise PermissionDenied(_("报酬发放表由乡镇或县里确认，您无权确认"))
            if action == "confirm":
                done = run_service(return_form, lambda: services.confirm_sheet(request.user, sheet))
            else:
                return_form = forms.ReturnForm(request.POST)
                if return_form.is_valid():
                    done = run_service(
                        return_form,
                        lambda: services.return_sheet(
                            request.user, sheet, reason=return_form.cleaned_data["reason"]
                        ),
                    )
        else:
            raise Http404
        if done:
            messages.success(request, _("已保存"))
            return redirect("village:sheet", sheet.pk)
    lines = [
        (
            x,
            rules.yuan_text(x.monthly_fen),
            rules.yuan_text(x.performance_fen),
            rules.yuan_text(x.total_fen),
        )
        for x in selectors.lines_of(sheet)
    ]
    return render(
        request,
        "village/sheet.html",
        _ctx(
            request,
            sheet=sheet,
            org=org,
            lines=lines,
            total=rules.yuan_text(sheet.total_fen),
            can_edit=can_edit,
            can_confirm=can_confirm,
            line_form=line_form,
            return_form=return_form,
            posts=Post.choices,
        ),
    )
