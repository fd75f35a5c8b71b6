"""Member pages: the searchable list, the member page and its forms.

Every query starts from `visible_members(user)` / `visible_orgs(user)`: a member outside the
user's subtree is a 404. Writes go through `members.services`.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import covers, get_visible_or_404, is_unrestricted, managed_paths
from dangjian.core.forms import check_refused, normalize_code, run_service
from dangjian.core.services import version_of
from dangjian.core.toolkit import page_number
from dangjian.members.selectors import (
    conversions_due,
    may_search_numbers,
    member_named,
    number_search_refused,
    personal_details,
    search_members,
    visible_members,
)
from dangjian.orgs import services as org_services
from dangjian.orgs.forms import OfficerForm
from dangjian.orgs.models import Kind, Organization
from dangjian.orgs.selectors import home_organization, visible_orgs
from dangjian.orgs.views import org_form_page
from dangjian.rollups.services import figures

from . import services, timeline
from .filters import FILTER_PARAMS
from .forms import EditMemberForm, MemberForm, MoveMemberForm, RemoveMemberForm, SearchForm
from .models import Category, Education, Gender, Member, Status
from .rules import CONVERSION_NOTICE_DAYS

PAGE_SIZE = 50
# Filters whose totals the roll-up figures already hold: {param: (choices, key prefix)}.
ROLLUP_FILTERS = {
    "status": (Status, "members.status."),
    "category": (Category, "members.category."),
    "gender": (Gender, "members.gender."),
    "education": (Education, "members.education."),
}


def known_total(user, params) -> int | None:
    """The number of matching members when the roll-ups hold it, else None (no COUNT(*)).

    That is the case when the filters select a whole subtree the user manages, optionally
    narrowed by one status/category/gender/education/mobile value.
    """
    active = {k: params.get(k) for k in FILTER_PARAMS if params.get(k) and k != "org"}
    if len(active) > 1:
        return None
    if code := normalize_code(params.get("org")):
        org = visible_orgs(user).filter(code=code).first()
    else:
        paths = managed_paths(user)
        own = getattr(user, "member", None) if not is_unrestricted(user) else None
        if len(paths) != 1 and not is_unrestricted(user):
            return None
        org = home_organization(user)
        if org is None or (own is not None and not own.organization.path.startswith(org.path)):
            return None
        if is_unrestricted(user) and Organization.get_root_nodes().count() != 1:
            return None
    if org is None or not covers(user, org):
        return None
    figs = figures(org)
    if not active:
        return figs.get("members", 0)
    ((param, value),) = active.items()
    if param in ROLLUP_FILTERS:
        choices, prefix = ROLLUP_FILTERS[param]
        return figs.get(prefix + value, 0) if value in choices.values else None
    if param == "mobile" and value == "1":
        return figs.get("members.mobile", 0)
    return None


@login_required
def member_list(request):
    user = request.user
    form = SearchForm(request.GET, user=user)
    qs = (
        search_members(user, request.GET)
        .select_related("organization")
        .order_by("name_pinyin", "name", "id")
    )
    # The roll-ups hold the total of a whole subtree; a search or a combination of filters
    # is counted (it narrows the rows, and the user needs to know how many it found).
    total = known_total(user, request.GET)
    if total is None:
        total = qs.count()
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(page_number(request), pages)  # ?page=999 shows the last page
    offset = (page - 1) * PAGE_SIZE
    rows = list(qs[offset : offset + PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    for m in rows:
        m.personal = personal_details(user, m)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "nav": "members",
        "form": form,
        "members": rows,
        "page": page,
        "has_next": has_next,
        "has_previous": page > 1,
        "total": total,
        "pages": pages,
        "first_index": offset + 1 if rows else 0,
        "last_index": offset + len(rows),
        "export_query": params.urlencode(),
        "filtered": any(request.GET.get(k) for k in FILTER_PARAMS if k != "q"),
        "numbers_searchable": may_search_numbers(user),
        "number_refused": number_search_refused(user, request.GET),
    }
    return render(request, "members/list.html", context)


def _get_member(request, pk):
    return get_visible_or_404(visible_members(request.user).select_related("organization"), pk=pk)


@login_required
def detail(request, pk):
    user = request.user
    member = _get_member(request, pk)
    shown = personal_details(user, member)
    active = member.removed_on is None
    context = {
        "nav": "members",
        "member": member,
        "personal": shown,
        "tags": list(member.tags.all()),
        "offices": list(member.offices.select_related("organization").order_by("-term_start")),
        "moves": list(
            member.moves.select_related("from_organization", "to_organization", "moved_by")
        ),
        "can": {
            "change": active and user.has_perm("members.change_member", member),
            "remove": active and user.has_perm("members.remove_member", member),
            "history": user.has_perm("core.view_history", member.organization),
        },
    }
    return render(request, "members/detail.html", context)


@login_required
def history(request, pk):
    """A member's own history: meetings, reviews, talks, moves … (members.timeline)."""
    member = _get_member(request, pk)
    entries = timeline.timeline(request.user, member)
    years = sorted({e.on.year for e in entries}, reverse=True)
    year = request.GET.get("year", "")
    if year.isdigit() and int(year) in years:
        entries = [e for e in entries if e.on.year == int(year)]
    context = {"nav": "members", "member": member, "entries": entries, "years": years}
    return render(request, "members/history.html", {**context, "year": year})


@login_required
def my_history(request):
    """The signed-in member's own history (the menu's 我的纪实)."""
    own = Member.objects.filter(user=request.user).first()
    if own is None:
        raise Http404(_("您的账号没有关联党员信息"))
    return redirect("members:history", pk=own.pk)


def _render_form(request, form, title, back, *, danger=False):
    return render(
        request,
        "members/form.html",
        {"nav": "members", "form": form, "title": title, "back": back, "danger": danger},
    )


@login_required
def create(request, code):
    org = get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))
    if not request.user.has_perm("members.add_member", org) or org.is_dissolved:
        raise PermissionDenied
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        tags = data.pop("tags")
        member = run_service(
            form, lambda: services.create(org, actor=request.user, tags=tags, **data)
        )
        if member:
            return redirect("members:detail", pk=member.pk)
    elif request.method == "POST":
        # Every error in one round trip: the service's rules on what the form accepted.
        check_refused(form, lambda: services.clean(form.cleaned_data))
    back = {"url": org.code, "name": org.name, "kind": "org"}
    return _render_form(request, form, _("在“%(name)s”登记党员") % {"name": org.name}, back)


def _edit_form(shown, *args, **kwargs):
    """The edit form; for an editor who may not see the member's personal details, the ID
    number and phone start empty (left empty, they stay as they are) and the birth date,
    which follows the ID number, is not a field."""
    form = EditMemberForm(*args, **kwargs)
    if shown.masked:
        del form.fields["birth_date"]
        for field, value in (("id_number", shown.id_number), ("phone", shown.phone)):
            if value:
                form.fields[field].help_text = _("当前为 %(masked)s，不修改请留空") % {
                    "masked": value
                }
    return form


def _edited(form, shown) -> dict:
    """What the edit form accepted, as changes: fields the form refused are left out (the
    stored value is checked in their place), as are the kept masked numbers."""
    data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    data.pop("tags", None)
    if not data.get("id_number"):
        data.pop("id_number", None)
    if shown.masked and not data.get("phone"):
        data.pop("phone", None)
    return data


@login_required
def edit(request, pk):
    member = _get_member(request, pk)
    if not request.user.has_perm("members.change_member", member) or member.removed_on:
        raise PermissionDenied
    shown = personal_details(request.user, member)
    if request.method == "POST":
        form = _edit_form(shown, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            tags = data.pop("tags")
            if not data.get("id_number"):
                data.pop("id_number")
            if shown.masked and not data.get("phone"):
                data.pop("phone")
            done = run_service(
                form, lambda: services.update(member, actor=request.user, tags=tags, **data)
            )
            if done:
                return redirect("members:detail", pk=member.pk)
        else:
            check_refused(form, lambda: services.clean(_edited(form, shown), instance=member))
    else:
        initial = {f: getattr(member, f) for f in services.FIELDS}
        if shown.masked:
            initial.update(id_number="", phone="", birth_date=None)
        initial["tags"] = " ".join(member.tags.values_list("name", flat=True))
        initial["version"] = version_of(member)
        form = _edit_form(shown, initial=initial)
    back = {"pk": member.pk, "name": member.name, "kind": "member"}
    return _render_form(request, form, _("修改党员信息：%(name)s") % {"name": member.name}, back)


@login_required
def move(request, pk):
    member = _get_member(request, pk)
    if not request.user.has_perm("members.change_member", member) or member.removed_on:
        raise PermissionDenied
    form = MoveMemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = data["organization"]  # OrgCodeField: trimmed, upper-cased
        target = visible_orgs(request.user).filter(code=code).first()
        if target is None:
            form.add_error("organization", _("未找到组织编码为“%(code)s”的组织") % {"code": code})
        else:
            record = run_service(
                form,
                lambda: services.move(
                    member, target, on=data["moved_on"], reason=data["reason"], actor=request.user
                ),
            )
            if record:
                return redirect("members:detail", pk=member.pk)
    back = {"pk": member.pk, "name": member.name, "kind": "member"}
    return _render_form(request, form, _("转接组织关系：%(name)s") % {"name": member.name}, back)


@login_required
def remove(request, pk):
    member = _get_member(request, pk)
    if not request.user.has_perm("members.remove_member", member) or member.removed_on:
        raise PermissionDenied
    form = RemoveMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.remove(
                member, reason=data["removed_reason"], on=data["removed_on"], actor=request.user
            ),
        )
        if done:
            return redirect("members:detail", pk=member.pk)
    back = {"pk": member.pk, "name": member.name, "kind": "member"}
    return _render_form(
        request, form, _("减少党员：%(name)s") % {"name": member.name}, back, danger=True
    )


@login_required
def appoint(request, code):
    """Appoint a member of the organization's subtree to its committee."""
    org = get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))

    def run(data):
        member = member_named(request.user, org, data["member"])
        org_services.appoint_officer(
            org,
            member,
            data["role"],
            term_start=data["term_start"],
            term_end=data["term_end"],
            actor=request.user,
        )
        return org

    return org_form_page(
        request,
        org,
        perm="orgs.manage_officers",
        form_class=OfficerForm,
        title=_("任命班子成员"),
        run=run,
    )


def conversion_panel(user, org, today):
    """The organization page's section of members due for conversion (a branch and below):
    probation ending within 30 days or already over."""
    if org.kind in (Kind.COMMITTEE, Kind.WORKING_COMMITTEE):
        return None
    due = conversions_due(org, today, members=visible_members(user))
    return {
        "template": "members/_conversions_due.html",
        "members": due,
        "days": CONVERSION_NOTICE_DAYS,
        "today": today,
    }
