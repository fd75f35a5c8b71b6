"""Secretary projects (书记项目): the showcase of a subtree, its export, one project."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import (
    get_visible_or_404,
)
from dangjian.core import staging
from dangjian.core.files import accepts_uploads, serve_upload, xlsx_response
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.toolkit import paginate, percent, subtree_phrase
from dangjian.members.models import Member
from dangjian.orgs.models import OfficerRole
from dangjian.orgs.selectors import home_organization, visible_orgs

from .. import exports, forms, selectors, services
from .common import (
    year_param,
    years,
)


def _projects(request):
    """(org, year, queryset) of the project showcase of an organization's subtree."""
    user = request.user
    code = normalize_code(request.GET.get("org"))
    org = get_visible_or_404(visible_orgs(user), code=code) if code else home_organization(user)
    if org is None:
        raise Http404
    year = year_param(request)
    qs = (
        selectors.visible_projects(user)
        .filter(organization__path__startswith=org.path, year=year)
        .select_related("organization", "secretary")
        .annotate(
            n_items=Count("items", distinct=True),
            n_done=Count("items", filter=Q(items__done=True), distinct=True),
            n_photos=Count("photos", distinct=True),
        )
        .order_by("organization__path", "id")
    )
    return org, year, qs


@login_required
def project_list(request):
    """Showcase of the secretary projects of an organization's subtree (a county's)."""
    user = request.user
    org, year, qs = _projects(request)
    projects, pager = paginate(request, qs, 30)
    for p in projects:
        p.percent = percent(p.n_done, p.n_items)
    return render(
        request,
        "tasks/projects.html",
        {
            "nav": "tasks",
            "org": org,
            "year": year,
            "years": years(year),
            "projects": projects,
            "can_create": user.has_perm("tasks.report", org),
            **pager,
        },
    )


@login_required
def projects_export(request):
    org, year, qs = _projects(request)
    out = exports.secretary_projects(
        qs.iterator(chunk_size=500),
        scope=subtree_phrase(org),
        year=year,
        user=request.user,
    )
    return xlsx_response(out, f"书记项目_{org.code}_{year}")


def _secretaries(org):
    return list(
        Member.objects.filter(
            offices__organization=org,
            offices__role=OfficerRole.SECRETARY,
            offices__ended_on__isnull=True,
        ).distinct()
    )


@login_required
def project_create(request):
    user = request.user
    code = normalize_code(request.GET.get("org"))
    org = get_visible_or_404(visible_orgs(user), code=code) if code else home_organization(user)
    if org is None:
        raise Http404
    if not user.has_perm("tasks.report", org):
        raise PermissionDenied(_("您无权登记该组织的书记项目"))
    secretaries = _secretaries(org)
    year = timezone.localdate().year
    if request.method == "POST":
        form = forms.ProjectForm(request.POST, secretaries=secretaries)
        try:
            post_year = int(request.POST.get("year", year))
        except ValueError:
            post_year = year
        adding = "add_row" in request.POST
        rows = forms.plan_rowset(request.POST, year=post_year, add_row=adding)
        if not adding and form.is_valid() & rows.is_valid():
            data = form.cleaned_data
            secretary = next(m for m in secretaries if str(m.pk) == data["secretary"])
            project = run_service(
                form,
                lambda: services.create_project(
                    org,
                    secretary=secretary,
                    year=data["year"],
                    title=data["title"],
                    goal=data["goal"],
                    brand=data["brand"],
                    items=rows.items(),
                    actor=user,
                ),
                {"organization": None, "month": None, "text": None},
            )
            if project:
                messages.success(request, _("书记项目已登记"))
                return redirect("tasks:project", pk=project.pk)
    else:
        form = forms.ProjectForm(secretaries=secretaries, initial={"year": year})
        rows = forms.plan_rowset(year=year)
    return render(
        request,
        "tasks/project_form.html",
        {"nav": "tasks", "form": form, "rows": rows, "org": org, "secretaries": secretaries},
    )


def _project(request, pk):
    return get_visible_or_404(
        selectors.visible_projects(request.user).select_related("organization", "secretary"),
        pk=pk,
    )


def _may_edit(request, pk) -> bool:
    """Before the body is read: the user may update this project."""
    return request.user.has_perm("tasks.report", _project(request, pk).organization)


@accepts_uploads(gate=_may_edit)
@login_required
def project_detail(request, pk):
    user = request.user
    project = _project(request, pk)
    can_edit = user.has_perm("tasks.report", project.organization)
    items = list(project.items.all())
    add_form = forms.PlanItemForm(prefix="new")
    results_form = forms.ProjectResultsForm(
        prefix="res", initial={"results": project.results, "brand": project.brand}
    )
    bad_item = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("您无权更新该书记项目"))
        action = request.POST.get("action")
        if action == "results":
            results_form = forms.ProjectResultsForm(request.POST, request.FILES, prefix="res")
            staging.bind(results_form, user)
            if results_form.is_valid():
                d = results_form.cleaned_data
                if run_service(
                    results_form,
                    lambda: services.update_project(
                        project,
                        results=d["results"],
                        brand=d["brand"],
                        photos=d["photos"],
                        actor=user,
                    ),
                ):
                    staging.done(results_form)
                    messages.success(request, _("已保存项目成效"))
                    return redirect("tasks:project", pk=project.pk)
            staging.keep(results_form)
        elif action == "add":
            add_form = forms.PlanItemForm(request.POST, prefix="new")
            if add_form.is_valid():
                d = add_form.cleaned_data
                if run_service(
                    add_form,
                    lambda: services.add_plan_item(
                        project, month=d["month"], text=d["text"], actor=user
                    ),
                ):
                    messages.success(request, _("已增加月度计划"))
                    return redirect("tasks:project", pk=project.pk)
        elif action == "item":
            item = next((i for i in items if str(i.pk) == request.POST.get("item")), None)
            if item is None:
                raise Http404
            form = forms.PlanProgressForm(request.POST, prefix=f"i{item.pk}")
            if form.is_valid():
                d = form.cleaned_data
                if run_service(
                    form,
                    lambda: services.update_plan_item(
                        item, progress=d["progress"], done=d["done"], actor=user
                    ),
                ):
                    messages.success(request, _("已更新计划完成情况"))
                    return redirect("tasks:project", pk=project.pk)
            bad_item = (item.pk, form)
    for item in items:
        if bad_item and bad_item[0] == item.pk:
            item.form = bad_item[1]
        else:
            item.form = forms.PlanProgressForm(
                prefix=f"i{item.pk}", initial={"progress": item.progress, "done": item.done}
            )
    done = sum(1 for i in items if i.done)
    return render(
        request,
        "tasks/project.html",
        {
            "nav": "tasks",
            "project": project,
            "items": items,
            "done": done,
            "percent": percent(done, len(items)),
            "can_edit": can_edit,
            "add_form": add_form,
            "results_form": results_form,
            "photos": list(project.photos.all()),
        },
    )


@login_required
def project_photo(request, pk):
    """A photo of a secretary project, to those who may see the project."""
    photo = get_visible_or_404(selectors.visible_project_photos(request.user), pk=pk)
    return serve_upload(photo)
