"""Column mappings of rosters from elsewhere (the national member information system, a
county's own spreadsheets): which of a file's headers holds which dangjian field."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.orgs.models import Organization


class ImportMapping(models.Model):
    """A mapping kept by an organization: {source header: dangjian field}, the headers in
    the file's order (an export in these columns writes them in that order). `signature` is
    the sorted normalized headers of the file it was made for: the next file with the same
    headers preselects it."""

    name = models.CharField(_("映射名称"), max_length=60)
    organization = models.ForeignKey(
        Organization, verbose_name=_("所属组织"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("数据类别"), max_length=16, default="members")
    mapping = models.JSONField(_("列映射"), default=dict)
    signature = models.CharField(_("表头特征"), max_length=64, db_index=True, blank=True)
    header_row = models.PositiveSmallIntegerField(_("表头所在行"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("导入列映射")
        verbose_name_plural = pgettext_lazy("plural", "导入列映射")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "name"], name="reports_unique_mapping_name"
            )
        ]

    def __str__(self):
        return self.name
