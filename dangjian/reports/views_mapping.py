"""Rosters from elsewhere: upload any .xlsx, map its columns (suggested, or a kept mapping
preselected), save the mapping and import through it (a background job); the kept mappings
and the member export in a mapping's columns. Thin views over reports.mapping(s)."""

import uuid

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dangjian.accounts.scoping import covers
from dangjian.core import jobs
from dangjian.core.files import accepts_uploads, xlsx_response
from dangjian.members.selectors import search_members
from dangjian.orgs.selectors import visible_orgs

from . import mapping, mappings
from .forms import MAX_UPLOAD, ImportForm
from .views import _may_import, _organization

SESSION_KEY = "reports_mapping_uploads"
MAX_PENDING = 5  # uploads kept in a session awaiting their mapping


def _gate(request, *args):
    return _may_import(request, "members")


@accepts_uploads(max_file=MAX_UPLOAD, files=1, gate=_gate)
@login_required
@require_http_methods(["GET", "POST"])
def map_upload(request):
    org = _organization(request, request.GET.get("org"))
    if not covers(request.user, org):
        raise PermissionDenied(_("您无权向该组织导入数据"))
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            target = visible_orgs(request.user).get(code=form.cleaned_data["org"])
            if not covers(request.user, target):
                form.add_error("org", _("您无权向该组织导入数据"))
            else:
                upload = form.cleaned_data["file"]
                header_row, headers, samples, problem = mapping.read_headers(upload)
                if problem:
                    form.add_error("file", problem)
                else:
                    upload.seek(0)
                    path = jobs.save_upload(upload, suffix=".xlsx")
                    token = uuid.uuid4().hex
                    pending = request.session.get(SESSION_KEY, {})
                    for old in list(pending)[: max(0, len(pending) - MAX_PENDING + 1)]:
                        jobs.discard_upload(pending.pop(old)["path"])
                    pending[token] = {
                        "path": path,
                        "org": target.code,
                        "header_row": header_row,
                        "headers": headers,
                        "samples": {h: [str(v) for v in vs[:3]] for h, vs in samples.items()},
                        "name": getattr(upload, "name", "") or "",
                    }
                    request.session[SESSION_KEY] = pending
                    return redirect("reports:map_columns", token=token)
    else:
        form = ImportForm(initial={"org": org.code}, user=request.user)
    return render(
        request,
        "reports/map_upload.html",
        {
            "nav": "io",
            "organization": org,
            "form": form,
            "saved": list(mappings.visible_mappings(request.user)[:50]),
        },
    )


class NameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("映射名称"), max_length=60)


@login_required
@require_http_methods(["GET", "POST"])
def map_columns(request, token):
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token)
    if entry is None:
        raise Http404
    org = visible_orgs(request.user).filter(code=entry["org"]).first()
    if org is None or not covers(request.user, org):
        raise Http404
    headers = entry["headers"]
    choices = mapping.field_choices()
    chosen = mappings.preselected(request.user, headers)
    if request.GET.get("mapping", "").isdigit():
        chosen = mappings.find_mapping(request.user, int(request.GET["mapping"]))
    if chosen is not None:
        current = {h: chosen.mapping.get(h, "") for h in headers}
    else:
        current = mapping.suggest(headers, entry["samples"])
    errors: dict[str, list] = {}
    name_form = NameForm(
        request.POST or None,
        initial={"name": chosen.name if chosen else (entry["name"].rsplit(".", 1)[0][:60])},
    )
    if request.method == "POST":
        current = {h: request.POST.get(f"col_{i}", "") for i, h in enumerate(headers)}
        if name_form.is_valid():
            owner = (
                org
                if chosen is None or not covers(request.user, chosen.organization)
                else (chosen.organization)
            )
            try:
                record = mappings.save_mapping(
                    request.user,
                    owner,
                    name=name_form.cleaned_data["name"],
                    columns=current,
                    headers=headers,
                    header_row=entry["header_row"],
                )
            except ValidationError as e:
                errors = e.message_dict
            except PermissionDenied as e:
                errors = {"mapping": [str(e)]}
            else:
                pending.pop(token)
                request.session[SESSION_KEY] = pending
                job = mappings.start_mapped_import(request.user, org, record, entry["path"])
                return redirect("jobs:detail", id=job.pk)
    rows = []
    for i, h in enumerate(headers):
        rows.append(
            {
                "index": i,
                "header": h,
                "field": current.get(h, ""),
                "samples": entry["samples"].get(h, []),
                "errors": errors.get(f"column:{h}", []),
            }
        )
    return render(
        request,
        "reports/map_columns.html",
        {
            "nav": "io",
            "organization": org,
            "rows": rows,
            "choices": choices,
            "name_form": name_form,
            "chosen": chosen,
            "saved": list(mappings.visible_mappings(request.user)[:50]),
            "errors": errors.get("mapping", []) + errors.get("name", []),
            "header_row": entry["header_row"],
            "token": token,
        },
    )


@login_required
def mapping_list(request):
    return render(
        request,
        "reports/mappings.html",
        {"nav": "io", "saved": list(mappings.visible_mappings(request.user))},
    )


@login_required
def export_mapped(request, pk):
    record = mappings.find_mapping(request.user, pk)
    user = request.user
    out = mappings.export_members(user, search_members(user, request.GET), record)
    return xlsx_response(out, f"党员_{record.name}")
