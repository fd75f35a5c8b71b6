"""Village venues (活动场所) and village cadre pay (村干部报酬).

A venue belongs to one village or community organization (its top village-level
organization, not a group or a branch under a general branch): the site and its areas, the
works done on it (new, expanded, upgraded: year, cost, funding source), the five-haves
checklist (site, rules, signage, equipment, records) and the six-in-one functions; the
village's office and service funds are kept per year.

Pay is set per county and year by a `PayRule`: the head's (secretary's) basic pay is a
multiple of the rural per-capita income of a named year, each other post a ratio of the
head's (or a fixed monthly amount), rounded as the rule says; the rule may name another
standard (省市标准) to compare with. Each village keeps a `PaySheet` a year, with lines per
person; the township or county confirms it. Money in fen, income and ratios as Decimal."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import Created
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

# ---- venues ---------------------------------------------------------------------------------

FIVE_HAVES = ("has_site", "has_rules", "has_signage", "has_equipment", "has_records")
SIX_IN_ONE = (
    "fn_office",
    "fn_activity",
    "fn_training",
    "fn_service",
    "fn_culture",
    "fn_information",
)


class Venue(Created):
    """The activity venue of a village or community (村级组织活动场所)."""

    organization = models.OneToOneField(
        Organization, verbose_name=_("村（社区）党组织"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("场所地址"), max_length=200)
    office_phone = models.CharField(_("办公电话"), max_length=32, blank=True)
    building_area = models.DecimalField(_("建筑面积（平方米）"), max_digits=8, decimal_places=1)
    square_area = models.DecimalField(
        _("活动广场面积（平方米）"), max_digits=8, decimal_places=1, default=0
    )
    built_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)
    # The five haves (五有).
    has_site = models.BooleanField(_("有场所"), default=False)
    has_rules = models.BooleanField(_("有制度"), default=False)
    has_signage = models.BooleanField(_("有标识"), default=False)
    has_equipment = models.BooleanField(_("有设施"), default=False)
    has_records = models.BooleanField(_("有资料"), default=False)
    checked_on = models.DateField(_("核查日期"), null=True, blank=True)
    checked_by = models.CharField(_("核查人"), max_length=40, blank=True)
    # The six-in-one functions (六位一体).
    fn_office = models.BooleanField(_("办公议事"), default=False)
    fn_activity = models.BooleanField(_("党员活动"), default=False)
    fn_training = models.BooleanField(_("教育培训"), default=False)
    fn_service = models.BooleanField(_("便民服务"), default=False)
    fn_culture = models.BooleanField(_("文体娱乐"), default=False)
    fn_information = models.BooleanField(_("信息服务"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("活动场所")
        verbose_name_plural = pgettext_lazy("plural", "活动场所")
        ordering = ["organization__path"]

    def __str__(self):
        return self.address

    @property
    def five_haves(self) -> bool:
        return all(getattr(self, f) for f in FIVE_HAVES)

    @property
    def six_in_one(self) -> bool:
        return all(getattr(self, f) for f in SIX_IN_ONE)

    @property
    def missing_haves(self) -> list[str]:
        return [
            str(self._meta.get_field(f).verbose_name) for f in FIVE_HAVES if not getattr(self, f)
        ]

    @property
    def missing_functions(self) -> list[str]:
        return [
            str(self._meta.get_field(f).verbose_name) for f in SIX_IN_ONE if not getattr(self, f)
        ]


class WorkKind(models.TextChoices):
    NEW = "new", _("新建")
    EXPANDED = "expanded", _("改扩建")
    UPGRADE = "upgrade", _("提档升级")


class Funding(models.TextChoices):
    COUNTY = "county", _("县级财政")
    CITY = "city", _("市级转移支付")
    VILLAGE = "village", _("村集体自筹")
    OTHER = "other", _("其他")


class VenueWork(Created):
    """Works on a venue: built new, expanded or upgraded in a year, at a cost, paid from a
    funding source (one row per source when several paid)."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="works")
    organization = models.ForeignKey(
        Organization, verbose_name=_("村（社区）党组织"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("建设类型"), max_length=10, choices=WorkKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    cost_fen = models.BigIntegerField(_("投入（分）"))
    funding = models.CharField(_("资金来源"), max_length=10, choices=Funding.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("场所建设")
        ordering = ["-year", "pk"]
        indexes = [models.Index(fields=["organization", "year"])]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}"


class VenueFunds(Created):
    """A village's office funds (办公经费) and funds for serving the people (服务群众经费) of a year."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("村（社区）党组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    office_fen = models.BigIntegerField(_("办公经费（分）"))
    service_fen = models.BigIntegerField(_("服务群众经费（分）"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("村级经费")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="unique_venue_funds")
        ]

    def __str__(self):
        return f"{self.organization_id} {self.year}"


# ---- cadre pay ------------------------------------------------------------------------------


class Post(models.TextChoices):
    SECRETARY = "secretary", _("村（社区）党组织书记")
    DIRECTOR = "director", _("村（居）委会主任")
    MEMBER = "member", _("其他“两委”干部")
    GROUP = "group", _("村民小组干部")


class Rounding(models.TextChoices):
    YUAN = "yuan", _("四舍五入到元")
    TEN = "ten", _("四舍五入到十元")
    FEN = "fen", _("精确到分")


class PayRule(Created):
    """A county's pay rule for a year (村干部报酬标准): the head's yearly basic pay is
    `multiple` × the rural per-capita income of `income_year`; each post's monthly pay is a
    ratio of the head's or a fixed amount (`PayRulePost`)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("县（区）党委"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("执行年度"))
    income_year = models.PositiveSmallIntegerField(_("收入统计年度"))
    income = models.DecimalField(_("农村居民人均纯收入（元）"), max_digits=10, decimal_places=2)
    multiple = models.DecimalField(_("倍数"), max_digits=4, decimal_places=2)
    rounding = models.CharField(
        _("取整方式"), max_length=6, choices=Rounding.choices, default=Rounding.YUAN
    )
    performance_fen = models.BigIntegerField(_("绩效报酬上限（分/人·年）"), default=0)
    standard_name = models.CharField(_("对比标准名称"), max_length=40, blank=True)
    note = models.CharField(_("文件依据"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("报酬标准")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="unique_pay_rule")
        ]

    def __str__(self):
        return f"{self.year}"


class PayRulePost(models.Model):
    """One post of a rule: its ratio to the head's pay, or a fixed monthly amount, and the
    monthly amount of the comparison standard."""

    rule = models.ForeignKey(PayRule, on_delete=models.CASCADE, related_name="posts")
    post = models.CharField(_("岗位"), max_length=10, choices=Post.choices)
    ratio = models.DecimalField(
        _("与书记报酬之比"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    fixed_monthly_fen = models.BigIntegerField(_("固定月报酬（分）"), null=True, blank=True)
    standard_monthly_fen = models.BigIntegerField(_("对比标准（分/月）"), null=True, blank=True)

    class Meta:
        verbose_name = _("岗位报酬")
        ordering = ["rule", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "post"], name="unique_pay_rule_post")
        ]

    def __str__(self):
        return self.get_post_display()


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    RETURNED = "returned", _("已退回")


EDITABLE_STATUSES = (SheetStatus.DRAFT, SheetStatus.RETURNED)


class PaySheet(Created):
    """A village's yearly pay sheet (村干部报酬发放表): prepared by the village, confirmed by
    the township or the county. `total_fen` is the sum of its lines, kept with each change."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("村（社区）党组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    rule = models.ForeignKey(
        PayRule, verbose_name=_("报酬标准"), on_delete=models.PROTECT, related_name="sheets"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    total_fen = models.BigIntegerField(_("合计（分）"), default=0)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by_name = models.CharField(_("确认人"), max_length=60, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("报酬发放表")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="unique_pay_sheet")
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self):
        return f"{self.year}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class PayLine(models.Model):
    """One person on a pay sheet: a member (or a name, for a director who is not a Party
    officer), the post, the months served, the monthly pay from the rule, a performance
    part, and the total."""

    sheet = models.ForeignKey(PaySheet, on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey(
        Member,
        verbose_name=_("党员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("岗位"), max_length=10, choices=Post.choices)
    months = models.PositiveSmallIntegerField(_("任职月数"), default=12)
    monthly_fen = models.BigIntegerField(_("月基本报酬（分）"))
    performance_fen = models.BigIntegerField(_("绩效报酬（分）"), default=0)
    total_fen = models.BigIntegerField(_("全年合计（分）"))

    class Meta:
        verbose_name = _("报酬明细")
        ordering = ["sheet", "pk"]

    def __str__(self):
        return self.name


class MoneyRollup(models.Model):
    """Sums of money over an organization's subtree (confirmed pay, funds, works' cost by
    source, per year), kept with each write by `village.totals` and rebuilt from the rows by
    `totals.rebuild()`: the roll-up engine counts rows, these add amounts — so the root's
    figures are one indexed read instead of a sum over every village's rows."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="unique_money_rollup")
        ]

    def __str__(self):
        return f"{self.key}={self.value}"
