"""Weak organizations: one flag per organization and year, with its findings (each a
criterion and its evidence, from the records or by hand with a reason), the county's
decision, and the county's year list once fixed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import Created
from dangjian.orgs.models import Organization

from . import rules


class Criterion(models.TextChoices):
    # Shown by the records (rules.AUTO_CRITERIA).
    SECRETARY_VACANT = rules.SECRETARY_VACANT, _("书记长期空缺")
    COMMITTEE_MISSING = rules.COMMITTEE_MISSING, _("应设支委会而未设")
    TERM_OVERDUE = rules.TERM_OVERDUE, _("逾期未换届")
    MEETINGS_MISSED = rules.MEETINGS_MISSED, _("组织生活不正常")
    REPORTS_LATE = rules.REPORTS_LATE, _("晒账单多数逾期或未报")
    BOTTOM_GRADE = rules.BOTTOM_GRADE, _("年度考核末位或最低等次")
    NO_VENUE = rules.NO_VENUE, _("无村级活动场所")
    NO_CANDIDATE = rules.NO_CANDIDATE, _("两年以上未发展党员")
    # Judged by people, recorded by hand with a reason.
    SECRETARY_UNFIT = "secretary_unfit", _("书记不胜任、不作为")
    TEAM_DIVIDED = "team_divided", _("班子不团结、内耗严重")
    RULES_ON_PAPER = "rules_on_paper", _("制度形同虚设、不开展活动")
    VOTE_BUYING = "vote_buying", _("换届选举拉票贿选")
    INTERFERENCE = "interference", _("宗族宗教或黑恶势力干扰")
    AFFAIRS_UNDISCLOSED = "affairs_undisclosed", _("村务财务不公开、管理混乱")
    PUBLIC_ORDER = "public_order", _("治安混乱、信访集中")
    POOR_SERVICE = "poor_service", _("服务意识差、群众满意度低")
    OTHER = "other", _("其他")


HAND_CRITERIA = [(v, label) for v, label in Criterion.choices if v not in rules.AUTO_CRITERIA]


class FlagStatus(models.TextChoices):
    PENDING = "pending", _("待认定")
    CONFIRMED = "confirmed", _("已认定")
    DISMISSED = "dismissed", _("已排除")


class Source(models.TextChoices):
    AUTO = "auto", _("数据排查")
    HAND = "hand", _("人工提出")


class Flag(models.Model):
    """An organization singled out as possibly weak in a year (软弱涣散排查): pending until
    the county confirms it (then it is on the year's list and gets a rectification ledger)
    or dismisses it (and it stays dismissed, whatever detection finds later)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="weak_flags"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateField(_("认定日期"), null=True, blank=True)
    decision_note = models.TextField(_("认定意见"), blank=True)
    # The rectification item opened on confirmation (supervision), by its id.
    rectification_ref = models.CharField(_("整改台账编号"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("软弱涣散排查")
        verbose_name_plural = pgettext_lazy("plural", "软弱涣散排查")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="unique_weak_flag")
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self):
        return f"{self.organization} {self.year}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("weakorgs:flag", args=[self.pk])


class Finding(Created):
    """One criterion an organization meets in the flag's year, with what shows it."""

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="findings")
    criterion = models.CharField(_("情形"), max_length=24, choices=Criterion.choices)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    evidence = models.TextField(_("依据"))
    facts = models.JSONField(_("数据"), default=dict, blank=True)
    detected_on = models.DateField(_("排查日期"))

    class Meta:
        verbose_name = _("软弱涣散情形")
        verbose_name_plural = pgettext_lazy("plural", "软弱涣散情形")
        ordering = ["flag", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["flag", "criterion"], name="unique_weak_finding")
        ]

    def __str__(self):
        return f"{self.flag_id} {self.criterion}"


class YearList(Created):
    """The county's list of a year, fixed (定档): no more flags, decisions or detection for
    that year in its subtree."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    fixed_on = models.DateField(_("定档日期"))

    class Meta:
        verbose_name = _("软弱涣散年度名单")
        verbose_name_plural = pgettext_lazy("plural", "软弱涣散年度名单")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="unique_weak_year_list")
        ]

    def __str__(self):
        return f"{self.organization} {self.year}"
