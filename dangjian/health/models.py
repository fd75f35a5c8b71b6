"""Elections that start a new term, and the units an area's organizations cover."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import Created
from dangjian.orgs.models import Organization, Sector


class Election(Created):
    """A re-election (换届): the vote that starts an organization's new term."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="elections"
    )
    held_on = models.DateField(_("选举日期"))
    seats = models.PositiveSmallIntegerField(_("应选委员数"))
    candidates = models.PositiveSmallIntegerField(_("候选人数"))
    voters = models.PositiveIntegerField(_("有选举权的党员数"))
    present = models.PositiveIntegerField(_("到会人数"))
    # {"member id": yes votes} for each candidate.
    votes = models.JSONField(_("得票"), default=dict)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("换届选举")
        verbose_name_plural = pgettext_lazy("plural", "换届选举")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.organization} {self.held_on}"


class Coverage(models.TextChoices):
    OWN = "own", _("单独组建")
    JOINT = "joint", _("联合组建")
    INSTRUCTOR = "instructor", _("选派党建指导员")
    NONE = "none", _("未覆盖")


class Unit(models.Model):
    """A school, hospital, enterprise, social organization or agency in an area, and how the
    Party reaches it (organization coverage or work coverage)."""

    area = models.ForeignKey(
        Organization,
        verbose_name=_("所在地区党组织"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    name = models.CharField(_("单位名称"), max_length=120)
    sector = models.CharField(_("领域"), max_length=24, choices=Sector.choices)
    employees = models.PositiveIntegerField(_("从业人员数"), default=0)
    full_members = models.PositiveIntegerField(_("正式党员数"), default=0)
    coverage = models.CharField(
        _("覆盖方式"), max_length=12, choices=Coverage.choices, default=Coverage.NONE
    )
    covering_organization = models.ForeignKey(
        Organization,
        verbose_name=_("覆盖的党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="covered_units",
    )
    instructor = models.CharField(_("党建指导员"), max_length=40, blank=True)
    closed_on = models.DateField(_("注销日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = pgettext_lazy("plural", "单位")
        ordering = ["area", "sector", "name"]

    def __str__(self):
        return self.name


class ApprovedByLevelAbove(Created):
    """A decision the level above approved: which organization, when, and why."""

    approved_by = models.ForeignKey(
        Organization, verbose_name=_("批准的党组织"), on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("批准日期"))
    reason = models.TextField(_("理由"))

    class Meta:
        abstract = True


class TermChange(ApprovedByLevelAbove):
    """A term extended (+) or shortened (−) by at most a year, approved by the level above
    [C]; the election board counts from the adjusted end."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="term_changes",
    )
    # The term changed: a new election starts a new term, and the change no longer applies.
    term_started_on = models.DateField(_("本届任期开始"))
    months = models.SmallIntegerField(_("延长或提前的月数"))

    class Meta:
        verbose_name = _("任期调整")
        verbose_name_plural = pgettext_lazy("plural", "任期调整")
        ordering = ["organization", "approved_on"]

    def __str__(self):
        return f"{self.organization} {self.months:+d}"


class SetupException(ApprovedByLevelAbove):
    """A setup flag (a branch over 50 members, a committee under 100 …) approved by the level
    above as an exception: shown as approved with its reason, no longer as a problem [S]."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="setup_exceptions",
    )
    code = models.CharField(_("提示类别"), max_length=40)

    class Meta:
        verbose_name = _("批准的例外")
        verbose_name_plural = pgettext_lazy("plural", "批准的例外")
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="setup_exception_once")
        ]

    def __str__(self):
        return f"{self.organization} {self.code}"
