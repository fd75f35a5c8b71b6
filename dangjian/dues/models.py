"""The records of dues: each member's base (history kept, one row per re-base, effective
from a month) and the ledger, one row per member per month, held by the organization that
held the member's record that month (a transfer leaves the paid history where it was paid).
Money is integer fen."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class DuesCategory(models.TextChoices):
    EMPLOYED = "employed", _("在职党员")
    RETIRED = "retired", _("离退休党员")
    RURAL = "rural", _("农民党员")
    STUDENT = "student", _("学生党员")
    OTHER = "other", _("无固定收入（下岗失业、低保等）")


class DuesBase(models.Model):
    """A member's dues base from `effective_from` (first of a month) until the next one."""

    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="dues_bases"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("核定组织"), on_delete=models.PROTECT, related_name="+"
    )
    effective_from = models.DateField(_("起始月份"))
    category = models.CharField(_("交纳类别"), max_length=16, choices=DuesCategory.choices)
    base_fen = models.BigIntegerField(_("计算基数（分）"), default=0)
    monthly_fen = models.BigIntegerField(_("月交纳额（分）"))
    exempt = models.BooleanField(_("免交"), default=False)
    reduced_fen = models.BigIntegerField(_("少交后月交纳额（分）"), null=True, blank=True)
    reason = models.CharField(_("少交或免交理由"), max_length=200, blank=True)
    approved_on = models.DateField(_("上级党委批准日期"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党费基数")
        verbose_name_plural = _("党费基数")
        ordering = ["member_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["member", "effective_from"], name="dues_base_once")
        ]

    def __str__(self):
        return f"{self.member_id} {self.effective_from:%Y-%m}"

    @property
    def needs_approval(self) -> bool:
        return (self.exempt or self.reduced_fen is not None) and self.approved_on is None


class DuesMonth(models.Model):
    """One member's dues of one month: what is due and what was paid."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("收缴组织"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="dues_months"
    )
    month = models.DateField(_("月份"))
    due_fen = models.BigIntegerField(_("应交（分）"))
    paid_fen = models.BigIntegerField(_("实交（分）"), default=0)
    paid_on = models.DateField(_("交纳日期"), null=True, blank=True)
    collector = models.CharField(_("收缴人"), max_length=40, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("党费收缴记录")
        verbose_name_plural = _("党费收缴记录")
        ordering = ["month", "organization_id", "member_id"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="dues_month_once")]
        indexes = [
            models.Index(fields=["month", "organization", "member"], name="dues_month_ledger"),
            models.Index(fields=["organization", "month"], name="dues_month_org"),
        ]

    def __str__(self):
        return f"{self.member_id} {self.month:%Y-%m}"

    @property
    def is_paid(self) -> bool:
        return self.paid_fen >= self.due_fen


class ExtraPayment(models.Model):
    """A one-off extra payment (一次性缴纳特殊党费); ≥ 1,000 yuan goes wholly to the centre."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("收缴组织"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="dues_extras"
    )
    amount_fen = models.BigIntegerField(_("金额（分）"))
    paid_on = models.DateField(_("交纳日期"))
    to_centre = models.BooleanField(_("全部上缴中央"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("一次性大额党费")
        verbose_name_plural = _("一次性大额党费")
        ordering = ["-paid_on", "-id"]

    def __str__(self):
        return f"{self.member_id} {self.paid_on} {self.amount_fen}"
