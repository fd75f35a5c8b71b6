"""Points (积分): a county's scheme, versioned per year, and the points it gives each member
and organization for a year, computed from records already in the system.

A scheme is never edited in place: saving it writes a new version for the county and year,
so the version a year was computed (and closed) with stays on record. The stored points
(`MemberPoints`, `OrgPoints` and their per-item rows) are what the pages read; they are
recomputed from the records by `services.compute_year` (a background job, and nightly)
until the year is closed (`PointsYear.closed_on`), after which nothing rewrites them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import Created
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class Scheme(Created):
    """One version of a county's points scheme for a year (积分办法)."""

    county = models.ForeignKey(
        Organization, verbose_name=_("县（区）"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveIntegerField(_("版本"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("积分办法")
        verbose_name_plural = pgettext_lazy("plural", "积分办法")
        ordering = ["county", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "version"], name="unique_points_scheme_version"
            )
        ]

    def __str__(self):
        return f"{self.county_id} {self.year} v{self.version}"


class SchemeItem(models.Model):
    """What counts and how much: each record of `source` gives `points`, at most `cap` a
    year for one member (or organization); no cap when empty."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    source = models.CharField(_("积分来源"), max_length=64)
    points = models.PositiveIntegerField(_("每条分值"))
    cap = models.PositiveIntegerField(_("年度上限"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("积分项目")
        verbose_name_plural = pgettext_lazy("plural", "积分项目")
        ordering = ["scheme_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "source"], name="unique_points_item_source")
        ]

    def __str__(self):
        return f"{self.source} {self.points}/{self.cap}"


class PointsYear(models.Model):
    """A county's year of points: the scheme version last computed with, when, and whether
    the year is closed (结算): a closed year is never recomputed and its scheme never
    changes."""

    county = models.ForeignKey(
        Organization, verbose_name=_("县（区）"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("积分办法"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    members = models.PositiveIntegerField(_("党员数"), default=0)
    organizations = models.PositiveIntegerField(_("组织数"), default=0)
    closed_on = models.DateField(_("结算日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结算人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("积分年度")
        verbose_name_plural = pgettext_lazy("plural", "积分年度")
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="unique_points_year")
        ]

    def __str__(self):
        return f"{self.county_id} {self.year}"

    @property
    def closed(self) -> bool:
        return self.closed_on is not None


class MemberPoints(models.Model):
    """A member's points for a year in a county's scheme, with the organization they were in
    when computed (every active member of the county has a row, 0 included)."""

    county = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="+"
    )
    points = models.PositiveIntegerField(_("积分"), default=0)

    class Meta:
        verbose_name = _("党员积分")
        verbose_name_plural = pgettext_lazy("plural", "党员积分")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "member"], name="unique_member_points"
            )
        ]
        indexes = [
            models.Index(fields=["year", "organization"], name="points_member_year_org"),
            models.Index(fields=["member", "year"], name="points_member_member_year"),
        ]

    def __str__(self):
        return f"{self.year} {self.member_id}: {self.points}"


class MemberItemPoints(models.Model):
    """A member's records and points of one scheme item for a year (cap applied)."""

    county = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("积分来源"), max_length=64)
    records = models.PositiveIntegerField(_("记录数"))
    points = models.PositiveIntegerField(_("积分"))

    class Meta:
        verbose_name = _("党员积分明细")
        verbose_name_plural = pgettext_lazy("plural", "党员积分明细")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "member", "source"], name="unique_member_item_points"
            )
        ]
        indexes = [models.Index(fields=["member", "year"], name="points_item_member_year")]

    def __str__(self):
        return f"{self.year} {self.member_id} {self.source}: {self.points}"


class OrgPoints(models.Model):
    """An organization's own points for a year (not its subtree's; the stats sum those)."""

    county = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="+"
    )
    points = models.PositiveIntegerField(_("积分"), default=0)

    class Meta:
        verbose_name = _("组织积分")
        verbose_name_plural = pgettext_lazy("plural", "组织积分")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "organization"], name="unique_org_points"
            )
        ]
        indexes = [models.Index(fields=["year", "organization"], name="points_org_year_org")]

    def __str__(self):
        return f"{self.year} {self.organization_id}: {self.points}"


class OrgItemPoints(models.Model):
    county = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("积分来源"), max_length=64)
    records = models.PositiveIntegerField(_("记录数"))
    points = models.PositiveIntegerField(_("积分"))

    class Meta:
        verbose_name = _("组织积分明细")
        verbose_name_plural = pgettext_lazy("plural", "组织积分明细")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "organization", "source"], name="unique_org_item_points"
            )
        ]
        indexes = [models.Index(fields=["organization", "year"], name="points_orgitem_org_year")]

    def __str__(self):
        return f"{self.year} {self.organization_id} {self.source}: {self.points}"
