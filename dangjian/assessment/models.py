"""Assessment (考核评议): indicator schemes in versions, an assessment of a period, the
scores of each organization with their reasons, hand scores, grades and the bottom ranking.

A scheme (考核方案) belongs to the organization that assesses (a county); its indicators live
in versions: a change never edits a version, it makes the next one, so that the scores of
an earlier period — which keep the version they were computed under — stay as they were.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import Created
from dangjian.orgs.models import Level, Organization, Sector


class PeriodKind(models.TextChoices):
    YEAR = "year", _("年度")
    QUARTER = "quarter", _("季度")


class Method(models.TextChoices):
    COMPUTED = "computed", _("按数据计算")
    HAND = "hand", _("人工评分")


class IfNoData(models.TextChoices):
    FULL = "full", _("得满分（没有应做的事）")
    ZERO = "zero", _("不得分")


class Scheme(Created):
    """An indicator scheme of an assessing organization, for yearly or quarterly periods."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("制定组织"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("方案名称"), max_length=120)
    period_kind = models.CharField(_("考核周期"), max_length=8, choices=PeriodKind.choices)
    total_points = models.DecimalField(_("满分"), max_digits=6, decimal_places=2, default=100)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = pgettext_lazy("plural", "考核方案")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def current_version(self):
        return self.versions.order_by("-number").first()


class SchemeVersion(Created):
    """One version of a scheme's indicators: never changed once written."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("考核方案版本")
        ordering = ["scheme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="unique_scheme_version")
        ]

    def __str__(self):
        return f"{self.scheme.name} v{self.number}"


class Indicator(models.Model):
    """An indicator of a version: scored from a source figure by a linear rule (the value at
    `zero_at` or worse gives 0 points, at `full_at` or better the whole weight), or by hand
    between 0 and the weight with a reason."""

    version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("序号"))
    code = models.CharField(_("指标代码"), max_length=32)
    name = models.CharField(_("指标名称"), max_length=120)
    method = models.CharField(_("评分方式"), max_length=10, choices=Method.choices)
    source = models.CharField(_("数据来源"), max_length=64, blank=True)
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    zero_at = models.DecimalField(_("零分值"), max_digits=8, decimal_places=4, default=0)
    full_at = models.DecimalField(_("满分值"), max_digits=8, decimal_places=4, default=1)
    if_no_data = models.CharField(
        _("无数据时"), max_length=8, choices=IfNoData.choices, default=IfNoData.FULL
    )
    description = models.CharField(_("评分说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("考核指标")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_indicator_code")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Status(models.TextChoices):
    OPEN = "open", _("进行中")
    PUBLISHED = "published", _("已发布")


class Assessment(Created):
    """The assessment of one period by an assessing organization (its whole subtree)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("考核组织"), on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT)
    period = models.CharField(_("考核期间"), max_length=8)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="open")
    # The version and grading thresholds of the last computation (kept for what is shown).
    version = models.ForeignKey(
        SchemeVersion, verbose_name=_("方案版本"), null=True, on_delete=models.PROTECT
    )
    grades = models.JSONField(_("等次标准"), default=list)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    # A hand score or scheme version changed since the last computation: ranks are stale.
    stale = models.BooleanField(_("需重新计算"), default=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    notice_id = models.IntegerField(_("通报"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核")
        verbose_name_plural = pgettext_lazy("plural", "考核")
        ordering = ["-period", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "period"], name="unique_assessment")
        ]

    def __str__(self):
        return f"{self.organization.name} {self.period_label}"

    @property
    def period_label(self):
        from . import rules

        return rules.period_label(self.period)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("assessment:ranking", args=[self.pk])


class Score(models.Model):
    """An organization's score in an assessment: the total, the grade, the place from the
    bottom within its level and sector, and each indicator's points with its reason
    (`details`: [{code, name, method, weight, points, value, inputs, formula | reason, by}])."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(SchemeVersion, verbose_name=_("方案版本"), on_delete=models.PROTECT)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    sector = models.CharField(_("领域"), max_length=24, choices=Sector.choices)
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2)
    grade = models.CharField(_("等次"), max_length=16)
    rank_from_bottom = models.PositiveIntegerField(_("倒数名次"))
    group_size = models.PositiveIntegerField(_("同组组织数"))
    details = models.JSONField(_("各项得分"), default=list)
    hand_missing = models.PositiveSmallIntegerField(_("未评人工指标"), default=0)

    class Meta:
        verbose_name = _("考核得分")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "organization"], name="unique_score")
        ]
        indexes = [
            models.Index(
                fields=["assessment", "level", "sector", "rank_from_bottom"], name="score_group"
            ),
            models.Index(fields=["assessment", "rank_from_bottom"], name="score_rank"),
            models.Index(fields=["organization", "assessment"], name="score_org"),
        ]

    def __str__(self):
        return f"{self.organization_id} {self.total}"


class HandScore(Created):
    """A score given by hand (an inspector's, a review's) to a hand indicator, with the
    reason and who gave it. One per organization, period and indicator: a later one
    replaces it (the audit log keeps the earlier)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="hand_scores")
    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    indicator_code = models.CharField(_("指标代码"), max_length=32)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    reason = models.CharField(_("评分理由"), max_length=500)
    source = models.CharField(_("来源"), max_length=120, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("人工评分")
        verbose_name_plural = pgettext_lazy("plural", "人工评分")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "organization", "indicator_code"], name="unique_hand_score"
            )
        ]

    def __str__(self):
        return f"{self.organization_id} {self.indicator_code} {self.score}"
