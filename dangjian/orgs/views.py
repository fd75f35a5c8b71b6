"""Organization pages: the tree browser, the organization page and its actions.

Every lookup starts from `visible_orgs(user)`: an organization outside the user's subtree
is a 404. Writes go through `orgs.services`, which check permissions again and audit.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.forms import ScopedForm, normalize_code, run_service
from dangjian.core.services import version_of
from dangjian.core.toolkit import share_text
from dangjian.orgs import selectors
from dangjian.orgs.selectors import home_organization, visible_orgs
from dangjian.rollups import registry
from dangjian.rollups.services import figures, figures_of_many

from . import panels, services
from .forms import DissolveForm, EditOrganizationForm, MoveForm, OrganizationForm
from .models import OfficerRole

CHILD_KEYS = ("members", "organizations", "members.status.probationary")


@login_required
def home(request):
    org = home_organization(request.user)
    if org is None:
        return render(request, "orgs/no_role.html", {"nav": "orgs"})
    return redirect("orgs:detail", code=org.code)


def _get_org(request, code):
    return get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))


def visible_children(user, org):
    """The visible child organizations of `org`, each with its subtree counts (2 queries)."""
    children = list(selectors.visible_children(user, org).order_by("path"))
    counts = figures_of_many(children, CHILD_KEYS)
    for child in children:
        figs = counts[child.id]
        child.member_count = figs.get("members", 0)
        child.probationary_count = figs.get("members.status.probationary", 0)
        child.org_count = figs.get("organizations", 0)
        # The subtree count includes the child itself, so more than 1 means it has children.
        child.has_children = child.org_count > 1
    return children


def figure_sections(figs, as_of_year, org=None):
    """The figures of an organization's subtree as titled tables (and charts), as the apps
    that own them registered them with the roll-up engine; a breakdown of what lies below
    `org` leaves `org` itself out."""
    sections = []
    for b in registry.breakdowns():
        own_figs = b.figures_for(figs, org)
        total = own_figs.get(b.total_key, 0)
        rows = [
            {"label": str(label), "value": n, "share": share_text(n, total)}
            for label, n in b.rows(own_figs, as_of_year)
        ]
        sections.append(
            {
                "id": b.id,
                "title": b.title(as_of_year),
                "chart": b.chart,
                "rows": rows,
                # Charts are fed by json_script; the table stays the source of truth.
                "script_id": f"chart-{b.id}",
                "chart_data": [
                    {"name": r["label"], "value": r["value"]} for r in rows if r["value"]
                ],
            }
        )
    return sections


@login_required
def detail(request, code):
    user = request.user
    org = _get_org(request, code)
    ancestors = list(
        visible_orgs(user).filter(path__in=org.ancestor_paths()[:-1]).order_by("depth")
    )
    tree_root = ancestors[0] if ancestors else org
    figs = figures(org)
    officers = sorted(
        org.officers.current().select_related("member__organization"),
        key=lambda o: (list(OfficerRole.values).index(o.role), o.term_start),
    )
    selectors.mark_linked_officers(user, officers)
    children = visible_children(user, org)
    context = {
        "nav": "orgs",
        "org": org,
        "ancestors": ancestors,
        "tree_root": tree_root,
        "tree_children": children if tree_root.pk == org.pk else visible_children(user, tree_root),
        "figs": figs,
        "total": figs.get("members", 0),
        "full": figs.get("members.status.full", 0),
        "probationary": figs.get("members.status.probationary", 0),
        "mobile": figs.get("members.mobile", 0),
        "org_total": figs.get("organizations", 0),
        "grassroots_total": figs.get("grassroots_organizations", 0),
        "group_total": figs.get("groups", 0),
        "sections": figure_sections(figs, timezone.localdate().year, org),
        "panels": panels.panels_for(user, org, timezone.localdate()),
        "officers": officers,
        "secretary": next((o for o in officers if o.role == OfficerRole.SECRETARY), None),
        "children": children,
        "can": {
            "add_child": user.has_perm("orgs.add_child", org) and not org.is_dissolved,
            "change": user.has_perm("orgs.change_organization", org) and not org.is_dissolved,
            "move": user.has_perm("orgs.move_organization", org) and not org.is_dissolved,
            "dissolve": user.has_perm("orgs.dissolve_organization", org) and not org.is_dissolved,
            "officers": user.has_perm("orgs.manage_officers", org) and not org.is_dissolved,
            "add_member": user.has_perm("members.add_member", org) and not org.is_dissolved,
            "history": user.has_perm("core.view_history", org),
            # Assignments and pledges are issued by committees and general branches.
            "issue": user.has_perm("tasks.issue", org)
            and not org.is_dissolved
            and org.kind in ("committee", "working_committee", "general_branch"),
        },
    }
    return render(request, "orgs/detail.html", context)


@login_required
def children(request, code):
    """htmx fragment: the visible children of one organization, with member counts."""
    org = _get_org(request, code)
    return render(
        request,
        "orgs/_children.html",
        {"parent": org, "nodes": visible_children(request.user, org)},
    )


def _scoped(request, form_class) -> dict:
    """The user, for a form whose organization fields resolve within the user's subtree."""
    return {"user": request.user} if issubclass(form_class, ScopedForm) else {}


def org_form_page(request, org, *, perm, form_class, title, run, initial=None, danger=False):
    """A form about one organization: GET shows it; POST runs the service and goes to the
    organization's page, or shows the service's errors beside the fields."""
    if not request.user.has_perm(perm, org) or org.is_dissolved:
        raise PermissionDenied
    if request.method == "POST":
        form = form_class(request.POST, **_scoped(request, form_class))
        if form.is_valid():
            target = run_service(form, lambda: run(form.cleaned_data))
            if target is not None:
                return redirect("orgs:detail", code=target.code)
    else:
        form = form_class(initial=initial, **_scoped(request, form_class))
    return render(
        request,
        "orgs/form.html",
        {"nav": "orgs", "org": org, "form": form, "title": title, "danger": danger},
    )


@login_required
def add_child(request, code):
    parent = _get_org(request, code)

    def run(data):
        return services.create_child(parent, actor=request.user, **data)

    return org_form_page(
        request,
        parent,
        perm="orgs.add_child",
        form_class=OrganizationForm,
        title=_("在“%(name)s”下设立组织") % {"name": parent.name},
        run=run,
        initial={"sector": parent.sector, "level": parent.level},
    )


@login_required
def edit(request, code):
    org = _get_org(request, code)

    def run(data):
        return services.update(org, actor=request.user, **data)

    initial = {f: getattr(org, f) for f in services.EDITABLE} | {"version": version_of(org)}
    return org_form_page(
        request,
        org,
        perm="orgs.change_organization",
        form_class=EditOrganizationForm,
        title=_("修改组织信息"),
        run=run,
        initial=initial,
    )


@login_required
def move(request, code):
    org = _get_org(request, code)

    def run(data):
        target_code = data["parent"]  # OrgCodeField: trimmed, upper-cased
        new_parent = visible_orgs(request.user).filter(code=target_code).first()
        if new_parent is None:
            raise ValidationError(
                {"parent": [_("未找到组织编码为“%(code)s”的组织") % {"code": target_code}]}
            )
        return services.move(org, new_parent, actor=request.user)

    parent = org.parent()
    return org_form_page(
        request,
        org,
        perm="orgs.move_organization",
        form_class=MoveForm,
        title=_("调整“%(name)s”的隶属关系") % {"name": org.name},
        run=run,
        initial={"parent": parent.code if parent else ""},
    )


@login_required
def dissolve(request, code):
    org = _get_org(request, code)

    def run(data):
        return services.dissolve(
            org, on=data["dissolved_on"], reason=data["reason"], actor=request.user
        )

    return org_form_page(
        request,
        org,
        perm="orgs.dissolve_organization",
        form_class=DissolveForm,
        title=_("撤销“%(name)s”") % {"name": org.name},
        run=run,
        danger=True,
    )


@login_required
def pick(request):
    """Suggestions for an organization field, as JSON: the user's own subtree only."""
    rows = selectors.pick(request.user, request.GET.get("q", ""))
    return JsonResponse(
        {"results": [{"code": org.code, "name": org.name} for org in rows]},
        json_dumps_params={"ensure_ascii": False},
    )
