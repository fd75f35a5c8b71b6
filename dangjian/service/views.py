"""Pages of serving the public: the year's figures, pledges, service posts and records,
visits and the concerns ledger, proxy service, members' suggestions, work teams and contact
points. Thin: each reads through the selectors and writes through the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.files import xlsx_response
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.periods import Period
from dangjian.core.toolkit import paginate, subtree_phrase
from dangjian.members.models import Member
from dangjian.orgs.selectors import home_organization, org_by_code, visible_orgs

from . import exports, forms, selectors, services
from .models import (
    ConcernCategory,
    ConcernStatus,
    PledgeStatus,
    ProxyStatus,
    SuggestionStatus,
    WorkTeam,
)

PERM = services.PERM


def _org(request, code):
    return get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))


def _managed_org(request, code):
    org = _org(request, code)
    if not request.user.has_perm(PERM, org):
        raise PermissionDenied(_("您无权为该组织登记"))
    return org


def _scope_org(request):
    """The organization named by ?org= (its subtree), or None for all the user sees."""
    code = normalize_code(request.GET.get("org"))
    return get_visible_or_404(visible_orgs(request.user), code=code) if code else None


def _year(request, default=True) -> int | None:
    """?year= when it is a sensible year, else this year (or None if not `default`)."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year is not None and 2000 <= year <= 2100:
        return year
    return timezone.localdate().year if default else None


def _own_member(request):
    return getattr(request.user, "member", None)


def _ctx(request, **extra):
    home = home_organization(request.user)
    return {
        "nav": "service",
        "home_org": home,
        "can_record": bool(home and request.user.has_perm(PERM, home)),
        **extra,
    }


@login_required
def home(request):
    org = _scope_org(request) or home_organization(request.user)
    year = _year(request)
    figures = selectors.service_figures(org, Period(year)) if org else None
    children = selectors.pledge_completion_by_child(org, year) if org else []
    completion = selectors.pledge_completion(org, year) if org else None
    return render(
        request,
        "service/home.html",
        _ctx(
            request,
            org=org,
            year=year,
            figures=figures,
            completion=completion,
            children=children,
            categories=ConcernCategory.choices,
        ),
    )


# ---- pledges -------------------------------------------------------------------------------


def _pledges(request):
    org = _scope_org(request)
    year = _year(request)
    qs = selectors.visible_pledges(request.user).filter(year=year)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    status = request.GET.get("status", "")
    if status in PledgeStatus.values:
        qs = qs.filter(status=status)
    who = request.GET.get("who", "")
    if who == "organization":
        qs = qs.filter(member__isnull=True)
    elif who == "member":
        qs = qs.filter(member__isnull=False)
    return org, year, status, who, qs.order_by("organization__path", "due_on", "pk")


@login_required
def pledge_list(request):
    org, year, status, who, qs = _pledges(request)
    pledges, pager = paginate(request, qs)
    return render(
        request,
        "service/pledges.html",
        _ctx(
            request,
            pledges=pledges,
            **pager,
            org=org,
            year=year,
            status=status,
            who=who,
            statuses=PledgeStatus.choices,
            member=_own_member(request),
        ),
    )


@login_required
def pledges_export(request):
    org, year, _status, _who, qs = _pledges(request)
    scope = subtree_phrase(org) if org else "本人管辖的全部组织"
    out = exports.pledges(qs.iterator(chunk_size=500), scope=scope, year=year, user=request.user)
    return xlsx_response(out, f"公开承诺_{year}")


@login_required
def pledge_create(request, code):
    org = _org(request, code)
    manages = request.user.has_perm(PERM, org)
    member = _own_member(request)
    if not manages and (member is None or member.organization_id != org.pk):
        raise PermissionDenied(_("您无权为该组织登记承诺"))
    members = Member.objects.filter(organization=org).active() if manages else None
    form = forms.PledgeForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        who = data.pop("member", None) if manages else member
        pledge = run_service(
            form, lambda: services.make_pledge(request.user, org, member=who, **data)
        )
        if pledge:
            messages.success(request, _("已登记承诺"))
            return redirect("service:pledge", pledge.pk)
    return render(
        request,
        "service/form.html",
        _ctx(request, form=form, org=org, title=_("登记公开承诺"), back="service:pledges"),
    )


def _may_close_pledge(user, pledge) -> bool:
    own = getattr(user, "member", None)
    if pledge.member_id and own is not None and own.pk == pledge.member_id:
        return True
    return user.has_perm(PERM, pledge.organization)


@login_required
def pledge_detail(request, pk):
    pledge = selectors.find_pledge(request.user, pk)
    form = None
    if pledge.status == PledgeStatus.OPEN and _may_close_pledge(request.user, pledge):
        form = forms.ClosePledgeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            done = run_service(
                form, lambda: services.close_pledge(request.user, pledge, **form.cleaned_data)
            )
            if done:
                messages.success(request, _("已办结承诺"))
                return redirect("service:pledge", pledge.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "service/pledge.html", _ctx(request, pledge=pledge, form=form))


# ---- service posts -------------------------------------------------------------------------


@login_required
def post_list(request):
    year = _year(request)
    qs = selectors.visible_posts(request.user).filter(year=year)
    org = _scope_org(request)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    posts, pager = paginate(request, qs.order_by("organization__path", "title", "pk"))
    member = _own_member(request)
    mine = set()
    if member is not None:
        mine = set(selectors.own_claims(member, year).values_list("post_id", flat=True))
    return render(
        request,
        "service/posts.html",
        _ctx(request, posts=posts, **pager, year=year, org=org, member=member, mine=mine),
    )


@login_required
def post_create(request, code):
    org = _managed_org(request, code)
    form = forms.PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        post = run_service(
            form, lambda: services.publish_post(request.user, org, **form.cleaned_data)
        )
        if post:
            messages.success(request, _("已发布服务岗位"))
            return redirect("service:post", post.pk)
    return render(
        request,
        "service/form.html",
        _ctx(request, form=form, org=org, title=_("发布服务岗位"), back="service:posts"),
    )


@login_required
def post_detail(request, pk):
    post = selectors.find_post(request.user, pk)
    member = _own_member(request)
    error = ""
    if request.method == "POST":
        if member is None:
            raise PermissionDenied(_("只有党员本人可以认领岗位"))
        try:
            claim = services.claim_post(request.user, post, member)
        except ValidationError as e:
            error = "；".join(_messages_of(e))
        else:
            messages.success(request, _("已认领岗位"))
            return redirect("service:claim", claim.pk)
    claims = (
        list(post.claims.select_related("member"))
        if request.user.has_perm(PERM, post.organization)
        else []
    )
    return render(
        request,
        "service/post.html",
        _ctx(request, post=post, claims=claims, member=member, error=error),
    )


def _messages_of(error) -> list[str]:
    return [m for ms in getattr(error, "message_dict", {"": error.messages}).values() for m in ms]


@login_required
def claim_detail(request, pk):
    claim = selectors.find_claim(request.user, pk)
    own = _own_member(request)
    may_record = (own is not None and own.pk == claim.member_id) or request.user.has_perm(
        PERM, claim.member.organization
    )
    form = forms.ServiceRecordForm(request.POST or None) if may_record else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            record = run_service(
                form, lambda: services.record_service(request.user, claim, **form.cleaned_data)
            )
            if record:
                messages.success(request, _("已登记服务记录"))
                return redirect("service:claim", claim.pk)
    return render(
        request,
        "service/claim.html",
        _ctx(request, claim=claim, records=list(claim.records.order_by("-served_on")), form=form),
    )


# ---- visits and concerns -------------------------------------------------------------------


@login_required
def visit_list(request):
    qs = selectors.visible_visits(request.user)
    org = _scope_org(request)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    visits, pager = paginate(request, qs.order_by("-visited_on", "-pk"))
    return render(request, "service/visits.html", _ctx(request, visits=visits, **pager, org=org))


CONCERN_MAP = {
    "concerns.1.category": "category",
    "concerns.1.content": "content",
    "concerns.1.owner": "owner",
    "concerns.1.due_on": "due_on",
    "concerns.1.raised_by": "raised_by",
}


@login_required
def visit_create(request, code):
    org = _managed_org(request, code)
    teams = WorkTeam.objects.filter(organization=org)
    form = forms.VisitForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        visit = run_service(
            form,
            lambda: services.record_visit(
                request.user,
                org,
                kind=d["kind"],
                visitor=d["visitor"],
                household=d["household"],
                visited_on=d["visited_on"],
                findings=d["findings"],
                work_team=d.get("work_team"),
                concerns=form.concern(),
            ),
            CONCERN_MAP,
        )
        if visit:
            messages.success(request, _("已登记走访"))
            return redirect("service:visit", visit.pk)
    return render(
        request,
        "service/form.html",
        _ctx(request, form=form, org=org, title=_("登记走访"), back="service:visits"),
    )


@login_required
def visit_detail(request, pk):
    visit = selectors.find_visit(request.user, pk)
    form = None
    if request.user.has_perm(PERM, visit.organization):
        form = forms.ConcernForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            concern = run_service(
                form,
                lambda: services.raise_concern(
                    request.user,
                    visit.organization,
                    visit=visit,
                    raised_on=visit.visited_on,
                    **form.cleaned_data,
                ),
            )
            if concern:
                messages.success(request, _("已登记民情事项"))
                return redirect("service:concern", concern.pk)
    return render(
        request,
        "service/visit.html",
        _ctx(request, visit=visit, concerns=list(visit.concerns.all()), form=form),
    )


def _ledger(request):
    org = _scope_org(request)
    category = request.GET.get("category", "")
    category = category if category in ConcernCategory.values else ""
    status = request.GET.get("status", "")
    status = status if status in ConcernStatus.values else ""
    year = _year(request, default=False)
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.concern_ledger(
        request.user,
        org=org,
        category=category,
        status=status,
        year=year,
        overdue=overdue,
        today=timezone.localdate(),
    )
    if request.GET.get("open") == "1":
        qs = qs.exclude(status__in=[ConcernStatus.SOLVED, ConcernStatus.ANSWERED])
    return org, {"category": category, "status": status, "year": year, "overdue": overdue}, qs


@login_required
def concern_list(request):
    org, filters, qs = _ledger(request)
    concerns, pager = paginate(request, qs)
    return render(
        request,
        "service/concerns.html",
        _ctx(
            request,
            concerns=concerns,
            **pager,
            org=org,
            **filters,
            categories=ConcernCategory.choices,
            statuses=ConcernStatus.choices,
            query=request.GET.urlencode(),
            today=timezone.localdate(),
        ),
    )


@login_required
def concerns_export(request):
    org, _filters, qs = _ledger(request)
    scope = subtree_phrase(org) if org else "本人管辖的全部组织"
    return xlsx_response(
        exports.concerns(qs.iterator(chunk_size=500), scope=scope, user=request.user), "民情台账"
    )


@login_required
def concern_detail(request, pk):
    concern = selectors.find_concern(request.user, pk)
    can = request.user.has_perm(PERM, concern.organization) and not concern.is_closed
    follow = forms.FollowForm(request.POST if "follow" in request.POST else None) if can else None
    close = (
        forms.CloseConcernForm(request.POST if "close" in request.POST else None) if can else None
    )
    if request.method == "POST":
        if not can:
            raise PermissionDenied(_("该民情事项已办结，或您无权办理"))
        if "follow" in request.POST and follow.is_valid():
            if run_service(
                follow,
                lambda: services.follow_concern(request.user, concern, **follow.cleaned_data),
            ):
                messages.success(request, _("已登记办理进展"))
                return redirect("service:concern", concern.pk)
        elif "close" in request.POST and close.is_valid():
            if run_service(
                close, lambda: services.close_concern(request.user, concern, **close.cleaned_data)
            ):
                messages.success(request, _("民情事项已办结"))
                return redirect("service:concern", concern.pk)
    return render(
        request,
        "service/concern.html",
        _ctx(
            request,
            concern=concern,
            notes=list(concern.notes.all()),
            follow=follow,
            close=close,
        ),
    )


# ---- proxy service -------------------------------------------------------------------------


@login_required
def proxy_list(request):
    qs = selectors.visible_proxy(request.user)
    org = _scope_org(request)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    status = request.GET.get("status", "")
    if status in ProxyStatus.values:
        qs = qs.filter(status=status)
    rows, pager = paginate(request, qs.order_by("-requested_on", "-pk"))
    return render(
        request,
        "service/proxy_list.html",
        _ctx(request, rows=rows, **pager, org=org, status=status, statuses=ProxyStatus.choices),
    )


@login_required
def proxy_create(request, code):
    org = _managed_org(request, code)
    form = forms.ProxyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = run_service(form, lambda: services.open_proxy(request.user, org, **form.cleaned_data))
        if row:
            messages.success(request, _("已受理代办事项"))
            return redirect("service:proxy_detail", row.pk)
    return render(
        request,
        "service/form.html",
        _ctx(request, form=form, org=org, title=_("受理代办事项"), back="service:proxy"),
    )


@login_required
def proxy_detail(request, pk):
    row = selectors.find_proxy(request.user, pk)
    form = None
    if row.status == ProxyStatus.OPEN and request.user.has_perm(PERM, row.organization):
        form = forms.ProxyStepForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if run_service(
                form, lambda: services.proxy_step(request.user, row, **form.cleaned_data)
            ):
                messages.success(request, _("已登记"))
                return redirect("service:proxy_detail", row.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "service/proxy.html",
        _ctx(request, row=row, steps=list(row.steps.all()), form=form),
    )


# ---- suggestions ---------------------------------------------------------------------------


@login_required
def suggestion_list(request):
    qs = selectors.visible_suggestions(request.user)
    org = _scope_org(request)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    status = request.GET.get("status", "")
    listed = qs.filter(status=status) if status in SuggestionStatus.values else qs
    rows, pager = paginate(request, listed.order_by("-submitted_on", "-pk"))
    home = home_organization(request.user)
    return render(
        request,
        "service/suggestions.html",
        _ctx(
            request,
            rows=rows,
            **pager,
            org=org,
            status=status,
            statuses=SuggestionStatus.choices,
            groups=selectors.grouped_suggestions(qs),
            member=_own_member(request),
            group_org=home if home and request.user.has_perm(PERM, home) else None,
        ),
    )


@login_required
def suggestion_create(request):
    member = _own_member(request)
    if member is None:
        raise PermissionDenied(_("只有党员本人可以提出建议"))
    form = forms.SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        s = run_service(
            form, lambda: services.submit_suggestion(request.user, member, **form.cleaned_data)
        )
        if s:
            messages.success(request, _("已提交建议，支部将书面答复"))
            return redirect("service:suggestion", s.pk)
    return render(
        request,
        "service/form.html",
        _ctx(
            request,
            form=form,
            org=member.organization,
            title=_("提出建议"),
            back="service:suggestions",
        ),
    )


@login_required
def suggestion_detail(request, pk):
    s = selectors.find_suggestion(request.user, pk)
    form = None
    if s.status == SuggestionStatus.OPEN and request.user.has_perm(PERM, s.organization):
        form = forms.ReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if run_service(
                form, lambda: services.reply_suggestion(request.user, s, **form.cleaned_data)
            ):
                messages.success(request, _("已答复"))
                return redirect("service:suggestion", s.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "service/suggestion.html", _ctx(request, s=s, form=form))


@login_required
def suggestion_group(request, code):
    org = _managed_org(request, code)
    pending = selectors.visible_suggestions(request.user).filter(organization=org)
    form = forms.GroupForm(request.POST or None, suggestions=pending.order_by("-submitted_on"))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        n = run_service(
            form,
            lambda: services.group_suggestions(
                request.user,
                org,
                suggestions=list(d["suggestions"]),
                topic=d["topic"],
                meeting_on=d["meeting_on"],
            ),
        )
        if n:
            messages.success(request, _("已归类 %(n)s 条建议") % {"n": n})
            return redirect("service:suggestions")
    return render(
        request,
        "service/form.html",
        _ctx(request, form=form, org=org, title=_("会后归类建议"), back="service:suggestions"),
    )


# ---- work teams and contact points ---------------------------------------------------------


@login_required
def team_list(request):
    qs = selectors.visible_teams(request.user).prefetch_related("people")
    org = _scope_org(request)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    rows, pager = paginate(request, qs.order_by("organization__path", "-starts_on"))
    return render(
        request,
        "service/teams.html",
        _ctx(request, rows=rows, **pager, org=org, today=timezone.localdate()),
    )


@login_required
def team_create(request, code):
    org = _managed_org(request, code)
    form = forms.TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        team = run_service(
            form,
            lambda: services.send_work_team(
                request.user,
                org,
                name=d["name"],
                unit=d["unit"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                people=form.people(),
            ),
            forms.TEAM_FIELD_MAP,
        )
        if team:
            messages.success(request, _("已登记驻村工作队"))
            return redirect("service:team", team.pk)
    return render(
        request,
        "service/form.html",
        _ctx(
            request, form=form, org=org, title=_("登记驻村工作队（第一书记）"), back="service:teams"
        ),
    )


@login_required
def team_detail(request, pk):
    team = selectors.find_team(request.user, pk)
    form = None
    if request.user.has_perm(PERM, team.organization):
        form = forms.ExtendForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if run_service(
                form, lambda: services.extend_work_team(request.user, team, **form.cleaned_data)
            ):
                messages.success(request, _("已延长任期"))
                return redirect("service:team", team.pk)
    elif request.method == "POST":
        raise PermissionDenied
    visits = (
        list(team.visits.order_by("-visited_on")[:50])
        if request.user.has_perm(PERM, team.organization)
        else []
    )
    return render(
        request,
        "service/team.html",
        _ctx(request, team=team, people=list(team.people.all()), visits=visits, form=form),
    )


@login_required
def contact_point_list(request):
    qs = selectors.visible_contact_points(request.user)
    rows, pager = paginate(request, qs.order_by("organization__path", "leader_name", "pk"))
    return render(request, "service/contact_points.html", _ctx(request, rows=rows, **pager))


@login_required
def contact_point_create(request, code):
    org = _managed_org(request, code)
    form = forms.ContactPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            d["point"] = org_by_code(request.user, d["point"], "point")
        except ValidationError as e:
            form.add_error("point", _messages_of(e)[0])
        else:
            if run_service(form, lambda: services.add_contact_point(request.user, org, **d)):
                messages.success(request, _("已登记联系点"))
                return redirect("service:contact_points")
    return render(
        request,
        "service/form.html",
        _ctx(
            request,
            form=form,
            org=org,
            title=_("登记领导干部联系点"),
            back="service:contact_points",
        ),
    )
