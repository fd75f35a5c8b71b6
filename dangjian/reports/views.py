"""Import and export pages: thin views over reports.io and reports.xlsx."""

import io as _io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangjian.accounts.scoping import covers, get_visible_or_404
from dangjian.core.files import accepts_uploads, xlsx_response
from dangjian.core.forms import normalize_code
from dangjian.members.selectors import search_members
from dangjian.orgs.selectors import home_organization, subtree_orgs, visible_orgs

from . import io, xlsx
from .forms import MAX_UPLOAD, ImportForm
from .jobs import start_import


def _kind(kind: str) -> str:
    if kind not in xlsx.KINDS:
        raise Http404
    return kind


def _organization(request, code):
    """The organization named by `code` (default: the user's home), visible to the user."""
    code = normalize_code(code)
    if not code:
        home = home_organization(request.user)
        if home is None:
            raise Http404
        code = home.code
    return get_visible_or_404(visible_orgs(request.user), code=code)


@login_required
def template(request, kind):
    kind = _kind(kind)
    buffer = _io.BytesIO()
    xlsx.template_workbook(kind).save(buffer)
    buffer.seek(0)
    filename = f"{xlsx.KIND_LABELS[kind]}导入模板.xlsx"
    return xlsx_response(buffer, filename)


def _may_import(request, kind) -> bool:
    """Before the body is read: the user may import into the organization of ?org= (the
    form's address carries it; the view checks the one posted again)."""
    code = request.GET.get("org")
    if not code and request.user.is_superuser:
        return True  # may have no home organization; may import anywhere
    return covers(request.user, _organization(request, code))


@accepts_uploads(max_file=MAX_UPLOAD, files=1, gate=_may_import)
@login_required
@require_http_methods(["GET", "POST"])
def import_view(request, kind):
    kind = _kind(kind)
    # The page's organization (?org=, checked by the gate before the body was read); the
    # form's picker may name another one the user manages.
    org = _organization(request, request.GET.get("org"))
    if not covers(request.user, org):
        raise PermissionDenied(_("您无权向该组织导入数据"))
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            # The picked target (OrgCodeField: one the user may see); writing needs more.
            target = visible_orgs(request.user).get(code=form.cleaned_data["org"])
            if covers(request.user, target):
                # A county's file takes 15–20 s to validate and write: the worker does it,
                # the job page shows the progress and then the result.
                job = start_import(request.user, target, kind, form.cleaned_data["file"])
                return redirect("jobs:detail", id=job.pk)
            form.add_error("org", _("您无权向该组织导入数据"))
    else:
        form = ImportForm(initial={"org": org.code}, user=request.user)
    return render(
        request,
        "reports/import.html",
        {
            "nav": "io",
            "kind": kind,
            "kind_label": xlsx.KIND_PAGE_LABELS[kind],
            "organization": org,
            "form": form,
            "columns": xlsx.COLUMNS[kind],
        },
    )


@login_required
def export(request, kind):
    kind = _kind(kind)
    user = request.user
    if kind == xlsx.MEMBERS:
        out = io.export_members(user, search_members(user, request.GET))
    else:
        top = _organization(request, request.GET.get("org"))
        out = io.export_organizations(user, top, subtree_orgs(user, top))
    return xlsx_response(out, io.export_filename(kind))
