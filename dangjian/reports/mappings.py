"""Kept column mappings (ImportMapping): who sees and saves them, the import through one
(a background job) and the export in a mapping's columns."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangjian.accounts.scoping import get_visible_or_404, is_unrestricted, managed_paths
from dangjian.core import audit, jobs
from dangjian.core import xlsx as core_xlsx
from dangjian.core.services import Errors, require
from dangjian.members.selectors import personal_details
from dangjian.orgs.models import Organization

from . import io, mapping, xlsx
from .models import ImportMapping
from .xlsx import MEMBERS

# ---- reads -----------------------------------------------------------------------------------


def visible_mappings(user, kind=MEMBERS):
    """Mappings of the organizations the user manages, those below them, and those above
    them (a county's mapping serves its townships and branches)."""
    qs = ImportMapping.objects.filter(kind=kind).select_related("organization")
    if is_unrestricted(user):
        return qs
    q = Q(pk__in=[])
    for path in managed_paths(user):
        q |= Q(organization__path__startswith=path)
        steps = len(path) // Organization.steplen
        q |= Q(organization__path__in=[path[: i * Organization.steplen] for i in range(1, steps)])
    return qs.filter(q)


def find_mapping(user, pk) -> ImportMapping:
    return get_visible_or_404(visible_mappings(user), pk=pk)


def preselected(user, headers) -> ImportMapping | None:
    """The saved mapping for a file with these headers: the same headers, else the most
    recent one whose every mapped header is in the file."""
    qs = visible_mappings(user).order_by("-updated_at", "-pk")
    same = qs.filter(signature=mapping.signature(headers)).first()
    if same is not None:
        return same
    present = set(headers)
    for m in qs[:50]:
        used = [h for h, f in m.mapping.items() if f]
        if used and set(used) <= present:
            return m
    return None


# ---- writes ----------------------------------------------------------------------------------


@transaction.atomic
def save_mapping(
    actor, organization, *, name, columns: dict, headers, header_row=1, kind=MEMBERS
) -> ImportMapping:
    """Create or update (by name) the organization's mapping {header: field}."""
    require(actor, "members.add_member", organization, _("您无权为该组织保存列映射"))
    errors = Errors()
    name = (name or "").strip()
    if not name:
        errors.add("name", _("请填写映射名称"))
    elif len(name) > 60:
        errors.add("name", _("映射名称不能超过60个字"))
    columns = {h: (f or "") for h, f in columns.items() if h in headers}
    for field, message in mapping.mapping_errors(columns).items():
        errors.add(f"column:{field}" if field != "mapping" else "mapping", message)
    errors.raise_any()
    ordered = {h: columns.get(h, "") for h in headers}
    record, created = ImportMapping.objects.select_for_update().get_or_create(
        organization=organization,
        kind=kind,
        name=name,
        defaults={"created_by": audit.user_of(actor), "mapping": ordered},
    )
    before = record.mapping
    record.mapping, record.signature, record.header_row = (
        ordered,
        mapping.signature(headers),
        header_row,
    )
    record.save()
    audit.record(
        actor,
        "create" if created else "update",
        record,
        organization=organization,
        summary=f"{'保存' if created else '修改'}导入列映射：{name}",
        changes={} if created else {"mapping": [before, ordered]},
    )
    return record


# ---- import ----------------------------------------------------------------------------------


def start_mapped_import(user, organization, record: ImportMapping, path: str) -> jobs.Job:
    return jobs.start(
        "import",
        "dangjian.reports.mappings.import_mapped",
        user,
        organization=organization,
        title=_("按映射“%(m)s”导入党员：%(name)s") % {"m": record.name, "name": organization.name},
        path=path,
        mapping_id=record.pk,
        organization_id=organization.pk,
        user_id=user.pk,
    )


def import_with_mapping(fileobj, record: ImportMapping, *, actor, organization, progress=None):
    """Transcode the file through `record` and import it; errors in the source's terms."""
    from django.core.exceptions import PermissionDenied

    from dangjian.orgs.selectors import managed_by_codes

    def org_codes(names):
        found = {}
        qs = Organization.objects.filter(
            path__startswith=organization.path, name__in=names, dissolved_on__isnull=True
        )
        by_name: dict[str, list] = {}
        for org in qs:
            by_name.setdefault(org.name, []).append(org)
        allowed = managed_by_codes(actor, [o.code for v in by_name.values() for o in v])
        for name, orgs in by_name.items():
            if len(orgs) == 1 and orgs[0].code in allowed:
                found[name] = orgs[0].code
        return found

    problem = io.check_file(fileobj) or io.check_archive(fileobj)
    fileobj.seek(0)
    if problem:
        result = io.ImportResult(MEMBERS)
        result.errors = [io.RowError(None, None, problem)]
        return result
    if actor is not None and not actor.has_perm("members.add_member", organization):
        raise PermissionDenied(_("您无权向该组织导入数据"))
    try:
        rows, headers, problem = mapping.read_mapped(
            fileobj,
            record.mapping,
            header_row=record.header_row,
            default_org_code=organization.code,
            org_codes=org_codes,
        )
    except Exception:
        problem = _("文件已损坏或不是有效的 .xlsx 文件，无法读取")
    if problem:
        result = io.ImportResult(MEMBERS)
        result.errors = [io.RowError(None, None, problem)]
        return result
    result = io.import_rows(
        rows, MEMBERS, actor=actor, organization=organization, progress=progress
    )
    result.errors = [
        io.RowError(e.row, headers.get(e.column, e.column) if e.column else e.column, e.message)
        for e in result.errors
    ]
    return result


def import_mapped(progress, *, path, mapping_id, organization_id, user_id) -> dict:
    organization = Organization.objects.get(pk=organization_id)
    actor = get_user_model().objects.get(pk=user_id)
    record = ImportMapping.objects.get(pk=mapping_id)
    again = f"{reverse('reports:map_upload')}?org={organization.code}"
    try:
        with open(path, "rb") as f:
            result = import_with_mapping(
                f, record, actor=actor, organization=organization, progress=progress
            )
    finally:
        jobs.discard_upload(path)
    if not result.ok:
        n = len(result.errors)
        raise jobs.JobFailed(
            ngettext(
                "文件有 %(n)s 处错误，未导入任何数据。请改正后重新上传：",
                "文件有 %(n)s 处错误，未导入任何数据。请改正后重新上传：",
                n,
            )
            % {"n": n},
            result={"lines": result.messages(), "url": again, "link_text": _("重新上传")},
        )
    return {
        "summary": _("导入成功：共导入 %(n)s 条党员记录。") % {"n": result.created},
        "created": result.created,
        "rows": result.rows,
        "url": reverse("orgs:detail", args=[organization.code]),
        "link_text": _("查看%(name)s") % {"name": organization.name},
    }


# ---- export ----------------------------------------------------------------------------------


def export_members(user, queryset, record: ImportMapping):
    """The members of `queryset` (scoped, filtered) in the columns of `record`, masked as
    every export is (members.selectors.personal_details)."""
    from openpyxl import Workbook

    columns = {c.field: c for c in xlsx.MEMBER_COLUMNS}
    headers = [(h, f) for h, f in record.mapping.items() if f]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(xlsx.SHEET_TITLES[MEMBERS])
    core_xlsx.header(ws, [h for h, _f in headers])
    qs = (
        queryset.select_related("organization")
        .prefetch_related("tags")
        .order_by("organization__path", "name", "id")
    )
    count = masked = 0
    for member in qs.iterator(chunk_size=2000):
        shown = personal_details(user, member)
        masked += shown.masked
        values = {
            "phone": shown.phone,
            "birth_date": shown.birth,
            "id_number": shown.id_number,
            "organization": member.organization.code,
            mapping.ORGANIZATION_NAME: member.organization.name,
            "tags": [t.name for t in member.tags.all()],
        }
        row = []
        for _h, f in headers:
            value = values[f] if f in values else getattr(member, f, None)
            row.append(columns[f].to_cell(value) if f in columns else value)
        core_xlsx.append(ws, row)
        count += 1
    info = wb.create_sheet("说明")
    for note in io._export_notes(user, MEMBERS, count)[:3] + [
        f"列与导入列映射“{record.name}”相同，可按该映射导入。",
        *(
            [f"注意：其中{masked}名党员的身份证号、手机号和出生日期已脱敏，不能重新导入。"]
            if masked
            else []
        ),
    ]:
        core_xlsx.append(info, [note])
    return core_xlsx.save(wb)
