"""The .xlsx import as a background job: the page keeps the upload and queues the job, the
worker validates and writes it with a progress bar, the job page shows what the synchronous
page showed (the count imported, or every row and column error). `dangjian import_xlsx`
stays synchronous."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangjian.core import jobs
from dangjian.orgs.models import Organization

from . import io, xlsx


def start_import(user, organization, kind: str, upload) -> jobs.Job:
    path = jobs.save_upload(upload, suffix=".xlsx")
    return jobs.start(
        "import",
        "dangjian.reports.jobs.import_upload",
        user,
        organization=organization,
        title=_("导入%(kind)s：%(name)s")
        % {"kind": xlsx.KIND_PAGE_LABELS[kind], "name": organization.name},
        kind=kind,
        path=path,
        organization_id=organization.pk,
        user_id=user.pk,
    )


def import_upload(progress, *, kind, path, organization_id, user_id) -> dict:
    organization = Organization.objects.get(pk=organization_id)
    actor = get_user_model().objects.get(pk=user_id)
    again = f"{reverse('reports:import', args=[kind])}?org={organization.code}"
    try:
        with open(path, "rb") as f:
            result = io.import_file(
                f, kind, actor=actor, organization=organization, progress=progress
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
        "summary": _("导入成功：共导入 %(n)s 条%(kind_label)s记录。")
        % {"n": result.created, "kind_label": xlsx.KIND_PAGE_LABELS[kind]},
        "created": result.created,
        "rows": result.rows,
        "url": reverse("orgs:detail", args=[organization.code]),
        "link_text": _("查看%(name)s") % {"name": organization.name},
    }
