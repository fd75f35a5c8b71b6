"""A notice (通报): a document an organization issues to the organizations below it, with
its number (文号), title, date and body. The body is stored as it was issued (sections of
paragraphs and tables), so a notice never changes when the records it was made from do."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import Created
from dangjian.orgs.models import Organization


class NoticeKind(models.TextChoices):
    INSPECTION = "inspection", _("督查通报")
    ASSESSMENT = "assessment", _("考核通报")
    OTHER = "other", _("其他通报")


class Notice(Created):
    issuer = models.ForeignKey(
        Organization, verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="notices"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    # The number as issued, "宁组通〔2026〕3号": a later change of the prefix leaves it.
    number = models.CharField(_("发文字号"), max_length=40)
    issuer_name = models.CharField(_("发文机关名称"), max_length=80)
    title = models.CharField(_("标题"), max_length=120)
    addressees = models.CharField(_("主送机关"), max_length=200)
    issued_on = models.DateField(_("成文日期"))
    # [{"heading": str, "paragraphs": [str], "table": {"columns": [str], "rows": [[str]]}}]
    sections = models.JSONField(_("正文"), default=list)
    source_url = models.CharField(_("来源"), max_length=200, blank=True)
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = pgettext_lazy("plural", "通报")
        ordering = ["-issued_on", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "serial"], name="unique_notice_number"
            )
        ]
        indexes = [models.Index(fields=["issuer", "-issued_on"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("notices:detail", args=[self.pk])
