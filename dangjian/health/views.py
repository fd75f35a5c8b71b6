"""Organization-health pages: setup-rule flags, the election board with the election form,
and the coverage board with the register of units.

Organizations are looked up through `visible_orgs(user)` (404 outside the subtree); rows of
the subtree are shown only where the user may see them. Writes go through `orgs.health`,
whose errors are shown beside the fields they name. Each board exports to .xlsx, scoped
exactly like the page.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.files import xlsx_response
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.toolkit import by_level, page_number, rate_text, subtree_phrase
from dangjian.members.selectors import member_named
from dangjian.orgs.models import Sector
from dangjian.orgs.selectors import places, visible_orgs

from . import exports, selectors
from . import services as health
from .forms import CANDIDATE_ROWS, ApprovalForm, ElectionForm, TermChangeForm, UnitForm
from .models import Coverage
from .rules import APPROVABLE, coverage_rates
from .selectors import STATUS_ORDER

PAGE_SIZE = 50
STATUS_LABELS = {
    "overdue": gettext_lazy("已超期"),
    "due": gettext_lazy("6个月内到期"),
    "unknown": gettext_lazy("任期未登记"),
    "ok": gettext_lazy("正常"),
}


def _get_org(request, code):
    return get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))


def _tabs(org):
    return [
        ("setup", _("组织设置提示"), reverse("health:setup", args=[org.code])),
        ("elections", _("换届提醒"), reverse("health:elections", args=[org.code])),
        ("coverage", _("组织覆盖"), reverse("health:coverage", args=[org.code])),
    ]


def _context(org, tab, **extra):
    return {"nav": "orgs", "org": org, "tab": tab, "tabs": _tabs(org), **extra}


# ---- setup flags --------------------------------------------------------------------------


@login_required
def setup(request, code):
    user = request.user
    org = _get_org(request, code)
    flags = selectors.setup_flags(user, org)
    for f in flags:
        o = f["organization"]
        approver = user.has_perm("orgs.change_organization", o)
        # An approved exception or a unit's flag is not fixed by changing the organization.
        fixable = not f["approved"] and "unit" not in f
        f["can_change"] = fixable and approver
        f["can_move"] = fixable and user.has_perm("orgs.move_organization", o)
        f["can_approve"] = f["approvable"] and not f["approved"] and approver
    return render(request, "health/setup.html", _context(org, "setup", flags=flags))


@login_required
def setup_approve(request, code, flag):
    """The level above approves a setup flag of an organization as an exception."""
    user = request.user
    org = _get_org(request, code)
    if flag not in APPROVABLE or not user.has_perm("orgs.change_organization", org):
        raise PermissionDenied
    current = next(
        (
            f
            for f in selectors.setup_flags(user, org)
            if f["code"] == flag and f["organization"].pk == org.pk
        ),
        None,
    )
    form = ApprovalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: health.approve_setup_exception(org, flag, actor=user, **form.cleaned_data),
            {"code": None},
        )
        if saved is not None:
            parent = org.parent()
            return redirect("health:setup", code=parent.code if parent else org.code)
    context = _context(org, "setup", form=form, flag=current)
    return render(request, "health/setup_approve.html", context)


@login_required
def setup_export(request, code):
    org = _get_org(request, code)
    # Files are always simplified Chinese (see core.xlsx), the rule texts too.
    with translation.override("zh-hans"):
        flags = selectors.setup_flags(request.user, org)
    out = exports.setup_flags(
        flags, top=org, scope=subtree_phrase(org), by_level=by_level(request), user=request.user
    )
    return xlsx_response(out, f"组织设置提示_{org.code}")


# ---- elections ----------------------------------------------------------------------------


@login_required
def elections(request, code):
    user = request.user
    org = _get_org(request, code)
    show_all = request.GET.get("status") == "all"
    rows = selectors.election_board(user, org, show_all=True)
    counts = {s: 0 for s in STATUS_ORDER}
    for r in rows:
        counts[r["status"]] += 1
        r["label"] = STATUS_LABELS[r["status"]]
        r["can_elect"] = user.has_perm("orgs.manage_officers", r["organization"])
        r["can_change_term"] = user.has_perm("orgs.change_organization", r["organization"])
    if not show_all:
        rows = [r for r in rows if r["status"] != "ok"]
    context = _context(
        org,
        "elections",
        rows=rows,
        counts=[(s, STATUS_LABELS[s], counts[s]) for s in STATUS_ORDER],
        checked=sum(counts.values()),
        show_all=show_all,
    )
    return render(request, "health/elections.html", context)


@login_required
def term_change(request, code):
    """The level above approves extending or shortening an organization's current term."""
    user = request.user
    org = _get_org(request, code)
    if not user.has_perm("orgs.change_organization", org):
        raise PermissionDenied
    form = TermChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        saved = run_service(form, lambda: health.change_term(org, actor=user, **form.cleaned_data))
        if saved is not None:
            return redirect("health:elections", code=org.parent().code)
    return render(request, "health/term_change.html", _context(org, "elections", form=form))


@login_required
def elections_export(request, code):
    org = _get_org(request, code)
    rows = selectors.election_board(request.user, org, show_all=request.GET.get("status") == "all")
    out = exports.election_board(
        rows, top=org, scope=subtree_phrase(org), by_level=by_level(request), user=request.user
    )
    return xlsx_response(out, f"换届提醒_{org.code}")


def _candidate_rows(data):
    rows = []
    for i in range(1, CANDIDATE_ROWS + 1):
        rows.append(
            {
                "i": i,
                "name": (data.get(f"cand_{i}") or "").strip() if data else "",
                "votes": (data.get(f"votes_{i}") or "").strip() if data else "",
            }
        )
    return rows


def _votes(user, org, rows):
    """{Member: yes votes} from the filled candidate rows; ValidationError on "votes"."""
    votes = {}
    for row in rows:
        if not (row["name"] or row["votes"]):
            continue
        if not row["name"]:
            raise ValidationError({"votes": [_("第%(i)s行：请填写候选人姓名") % {"i": row["i"]}]})
        try:
            yes = int(row["votes"])
            if yes < 0:
                raise ValueError
        except ValueError:
            raise ValidationError(
                {
                    "votes": [
                        _("第%(i)s行：%(name)s的得票数应为不小于0的整数")
                        % {"i": row["i"], "name": row["name"]}
                    ]
                }
            ) from None
        try:
            member = member_named(user, org, row["name"])
        except ValidationError as error:
            raise ValidationError(
                {"votes": [_("第%(i)s行：") % {"i": row["i"]} + m for m in error.messages]}
            ) from None
        if member in votes:
            raise ValidationError(
                {"votes": [_("%(name)s重复出现在候选人中") % {"name": member.name}]}
            )
        votes[member] = yes
    return votes


def _candidate_errors_to(candidate_errors: list, action):
    """`action` with the messages on "votes"/"candidates" moved into `candidate_errors`; the
    rest raised on for the form."""

    def run():
        try:
            return action()
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            rest = {}
            for field, messages in error.message_dict.items():
                if field in ("votes", "candidates"):
                    candidate_errors.extend(messages)
                else:
                    rest[field] = messages
            if rest:
                raise ValidationError(rest) from None
            return None

    return run


@login_required
def election_new(request, code):
    user = request.user
    org = _get_org(request, code)
    if not user.has_perm("orgs.manage_officers", org) or org.is_dissolved:
        raise PermissionDenied
    candidate_errors = []
    post = request.POST if request.method == "POST" else None
    form = ElectionForm(post)
    rows = _candidate_rows(post)
    if post is not None and form.is_valid():
        data = form.cleaned_data

        def record():
            votes = _votes(user, org, rows)
            secretary = member_named(user, org, data["secretary"])
            deputy = member_named(user, org, data["deputy"]) if data["deputy"].strip() else None
            health.record_election(
                org,
                held_on=data["held_on"],
                seats=data["seats"],
                voters=data["voters"],
                present=data["present"],
                votes=votes,
                secretary=secretary,
                deputy=deputy,
                note=data["note"],
                actor=user,
            )
            return True

        # The candidates' errors are shown above the candidate rows, not on a form field.
        action = _candidate_errors_to(candidate_errors, record)
        if run_service(form, action, {"member": "secretary"}):
            return redirect("orgs:detail", code=org.code)
    names = selectors.candidate_names(user, org)
    context = _context(
        org,
        "elections",
        form=form,
        rows=rows,
        candidate_errors=candidate_errors,
        names=names,
        full_members=len(names),
    )
    return render(request, "health/election_form.html", context)


# ---- coverage -----------------------------------------------------------------------------


@login_required
def coverage(request, code):
    user = request.user
    org = _get_org(request, code)
    per_sector = selectors.coverage_figures(user, org)
    rows, totals = [], {c: 0 for c in Coverage.values}
    for sector, figs in per_sector.items():
        for c in Coverage.values:
            totals[c] += figs[c]
        rows.append(
            {
                "sector": sector,
                "label": Sector(sector).label,
                **figs,
                "rate_text": rate_text(figs["rate"]),
                "work_rate_text": rate_text(figs["work_rate"]),
            }
        )
    total = coverage_rates(totals)
    total.update(rate_text=rate_text(total["rate"]), work_rate_text=rate_text(total["work_rate"]))
    page = page_number(request)
    offset = (page - 1) * PAGE_SIZE
    units = list(selectors.visible_units(user, org, request.GET)[offset : offset + PAGE_SIZE + 1])
    # The place a unit is in, not the Party organization of its area.
    where = places({u.area for u in units})
    for u in units:
        u.place = where[u.area_id]
    params = request.GET.copy()
    params.pop("page", None)
    context = _context(
        org,
        "coverage",
        rows=rows,
        total=total,
        instructors=selectors.instructor_count(user, org),
        units=units[:PAGE_SIZE],
        page=page,
        has_next=len(units) > PAGE_SIZE,
        sectors=Sector.choices,
        coverages=Coverage.choices,
        sector=request.GET.get("sector", ""),
        coverage_filter=request.GET.get("coverage", ""),
        export_query=params.urlencode(),
        can_add=user.has_perm("orgs.add_child", org) and not org.is_dissolved,
    )
    return render(request, "health/coverage.html", context)


@login_required
def coverage_export(request, code):
    org = _get_org(request, code)
    qs = selectors.visible_units(request.user, org, request.GET)
    out = exports.units(
        qs.iterator(chunk_size=1000),
        top=org,
        scope=subtree_phrase(org),
        by_level=by_level(request),
        user=request.user,
    )
    return xlsx_response(out, f"单位覆盖情况_{org.code}")


@login_required
def unit_form(request, code, pk=None):
    user = request.user
    org = _get_org(request, code)
    unit = None
    if pk is not None:
        unit = get_visible_or_404(selectors.visible_units(user, org), pk=pk)
    area = unit.area if unit else org
    if not user.has_perm("orgs.add_child", area) or area.is_dissolved:
        raise PermissionDenied
    if request.method == "POST":
        form = UnitForm(request.POST, user=user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            code_text = data.pop("covering_organization")  # OrgCodeField: normalized
            covering = None
            if code_text:
                covering = visible_orgs(user).filter(code=code_text).first()
                if covering is None:
                    form.add_error(
                        "covering_organization",
                        _("未找到组织编码为“%(code)s”的组织") % {"code": code_text},
                    )
            if not form.errors:
                saved = run_service(
                    form,
                    lambda: health.save_unit(
                        area, unit=unit, covering_organization=covering, actor=user, **data
                    ),
                )
                if saved is not None:
                    return redirect("health:coverage", code=org.code)
    else:
        initial = {"sector": area.sector}
        if unit:
            initial = {f: getattr(unit, f) for f in health.UNIT_FIELDS}
            initial["covering_organization"] = (
                unit.covering_organization.code if unit.covering_organization_id else ""
            )
        form = UnitForm(initial=initial, user=user)
    title = _("修改单位：%(name)s") % {"name": unit.name} if unit else _("登记单位")
    return render(
        request,
        "health/unit_form.html",
        _context(org, "coverage", form=form, title=title, unit=unit, area=area),
    )
