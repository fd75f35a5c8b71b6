"""Supervision (督查整改): the rectification ledger (整改台账) with its guarantors (包保),
progress notes and sign-off; inspection plans and records of the four kinds with their
findings; red supervision orders (红色督办单) for overdue items; interviews (约谈)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import Created, UploadedFile
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class MeasureKind(models.TextChoices):
    PAIRING = "pairing", _("结对共建")
    LEADER_PILOT = "leader_pilot", _("领导抓点")
    DEPARTMENT_HELP = "department_help", _("部门帮建")
    OTHER = "other", _("其他措施")


class ItemSource(models.TextChoices):
    FINDING = "finding", _("督查发现")
    WEAK_ORG = "weak_org", _("软弱涣散整顿")
    HAND = "hand", _("直接登记")


class ItemStatus(models.TextChoices):
    """Stored status; "overdue" is not stored but shown from the deadline (rules.shown_status)."""

    OPEN = "open", _("未开始")
    IN_PROGRESS = "in_progress", _("整改中")
    RECTIFIED = "rectified", _("已整改")


class ShownStatus(models.TextChoices):
    OPEN = "open", _("未开始")
    IN_PROGRESS = "in_progress", _("整改中")
    OVERDUE = "overdue", _("已逾期")
    RECTIFIED = "rectified", _("已整改")


class GuarantorLevel(models.TextChoices):
    COUNTY = "county", _("县级包保领导")
    TOWNSHIP = "township", _("乡级包保领导")
    VILLAGE = "village", _("村（支部）责任人")


class InspectionKind(models.TextChoices):
    PHONE_CHECK = "phone_check", _("电话抽查")
    UNANNOUNCED_VISIT = "unannounced_visit", _("暗访")
    INSPECTION = "inspection", _("督查")
    OBSERVATION_TOUR = "observation_tour", _("观摩")


class InspectionPlan(Created):
    """A plan of inspections of one kind by an organization (the county, a township) over its
    subtree: what is checked, from when to when; its records are the inspections held."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("督查组织"),
        on_delete=models.PROTECT,
        related_name="inspection_plans",
    )
    kind = models.CharField(_("方式"), max_length=20, choices=InspectionKind.choices)
    title = models.CharField(_("计划名称"), max_length=120)
    content = models.TextField(_("督查内容"), blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    sample_size = models.PositiveIntegerField(_("每次抽查组织数"), default=0)
    scored = models.BooleanField(_("需要评分"), default=False)
    indicator_code = models.CharField(_("考核指标编码"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("督查计划")
        verbose_name_plural = pgettext_lazy("plural", "督查计划")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["organization", "kind"])]

    def __str__(self):
        return self.title


class InspectionStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class Inspection(Created):
    """One inspection held under a plan: when, by whom, what was found; closed, it is
    reported in a notice (通报)."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("督查计划"), on_delete=models.PROTECT, related_name="records"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("督查组织"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("方式"), max_length=20, choices=InspectionKind.choices)
    held_on = models.DateField(_("督查日期"))
    inspectors = models.CharField(_("督查人员"), max_length=200)
    summary = models.TextField(_("总体情况"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.OPEN
    )
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    # The seed of the phone spot check's sample (plan id + date), kept with the sample.
    sample_seed = models.CharField(_("抽样种子"), max_length=60, blank=True)
    notice = models.ForeignKey(
        "notices.Notice",
        verbose_name=_("通报"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("督查记录")
        verbose_name_plural = pgettext_lazy("plural", "督查记录")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "held_on"]),
            models.Index(fields=["held_on"]),
        ]

    def __str__(self):
        return f"{self.plan.title} {self.held_on}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("supervision:inspection", args=[self.pk])


class SampleEntry(models.Model):
    """One organization drawn for a phone spot check, in the order drawn."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="sample")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "organization"], name="unique_sample_entry"
            )
        ]

    def __str__(self):
        return f"{self.inspection_id}#{self.position}"


class Finding(Created):
    """What an inspection found at one organization, with a score where the scheme wants one."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("督查记录"), on_delete=models.CASCADE, related_name="findings"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("被督查组织"), on_delete=models.PROTECT, related_name="+"
    )
    problem = models.TextField(_("发现的问题"), blank=True)
    indicator_code = models.CharField(_("考核指标编码"), max_length=40, blank=True)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("督查发现")
        verbose_name_plural = pgettext_lazy("plural", "督查发现")
        ordering = ["inspection", "pk"]
        indexes = [models.Index(fields=["organization"])]

    def __str__(self):
        return self.problem[:40]


class RectificationItem(Created):
    """One line of the rectification ledger: a problem of an organization, the measures, who
    answers for it at three levels, the deadline, and its progress to sign-off."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="rectification_items",
    )
    source = models.CharField(
        _("来源"), max_length=10, choices=ItemSource.choices, default=ItemSource.HAND
    )
    source_ref = models.CharField(_("来源编号"), max_length=60, blank=True)
    finding = models.OneToOneField(
        Finding,
        verbose_name=_("督查发现"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="item",
    )
    problem = models.TextField(_("存在问题"))
    measure_kind = models.CharField(
        _("整改措施类别"), max_length=20, choices=MeasureKind.choices, default=MeasureKind.OTHER
    )
    measures = models.TextField(_("整改措施"), blank=True)
    owner_member = models.ForeignKey(
        Member,
        verbose_name=_("整改责任人（党员）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_name = models.CharField(_("整改责任人"), max_length=40, blank=True)
    opened_on = models.DateField(_("登记日期"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    rectified_on = models.DateField(_("销号日期"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_off_name = models.CharField(_("销号人"), max_length=40, blank=True)
    sign_off_note = models.TextField(_("销号意见"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = pgettext_lazy("plural", "整改事项")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["opened_on"]),
        ]

    def __str__(self):
        return self.problem[:40]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("supervision:item", args=[self.pk])

    def shown_status(self, today):
        from .rules import shown_status

        return shown_status(self.status, self.deadline, today)


class Guarantor(models.Model):
    """A person who answers for an item (包保): a county leader, a township leader, the
    village's (branch's) own responsible person."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="guarantors")
    level = models.CharField(_("层级"), max_length=10, choices=GuarantorLevel.choices)
    name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("职务"), max_length=60, blank=True)
    member = models.ForeignKey(
        Member, verbose_name=_("党员"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("包保责任人")
        verbose_name_plural = pgettext_lazy("plural", "包保责任人")
        ordering = ["item", "pk"]

    def __str__(self):
        return f"{self.get_level_display()} {self.name}"


class ProgressNote(Created):
    """A step of an item's rectification with its evidence (text, optionally a file)."""

    item = models.ForeignKey(
        RectificationItem, on_delete=models.CASCADE, related_name="progress_notes"
    )
    noted_on = models.DateField(_("日期"))
    text = models.TextField(_("整改进展"))

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = pgettext_lazy("plural", "整改进展")
        ordering = ["item", "noted_on", "pk"]

    def __str__(self):
        return self.text[:40]


class ProgressFile(UploadedFile):
    note = models.ForeignKey(ProgressNote, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("文件"), upload_to="supervision/%Y/%m/")

    class Meta:
        verbose_name = _("整改佐证材料")
        verbose_name_plural = pgettext_lazy("plural", "整改佐证材料")


class SupervisionOrder(Created):
    """A red supervision order (红色督办单): made by the daily job for an item past its
    deadline, exactly one per item, addressed to the responsible secretary."""

    item = models.OneToOneField(
        RectificationItem,
        verbose_name=_("整改事项"),
        on_delete=models.CASCADE,
        related_name="order",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("督办对象"), on_delete=models.PROTECT, related_name="+"
    )
    issuer = models.ForeignKey(
        Organization, verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("督办日期"))
    addressee_name = models.CharField(_("责任书记"), max_length=40, blank=True)
    addressee_member = models.ForeignKey(
        Member, verbose_name=_("责任书记（党员）"), null=True, blank=True, on_delete=models.SET_NULL
    )
    text = models.TextField(_("督办内容"))
    reply_by = models.DateField(_("反馈期限"))
    replied_on = models.DateField(_("反馈日期"), null=True, blank=True)
    reply = models.TextField(_("反馈情况"), blank=True)

    class Meta:
        verbose_name = _("红色督办单")
        verbose_name_plural = pgettext_lazy("plural", "红色督办单")
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "issued_on"]),
            models.Index(fields=["issuer", "issued_on"]),
        ]

    def __str__(self):
        return f"督办 {self.item_id}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("supervision:order", args=[self.pk])


class Interview(Created):
    """An interview (约谈) with a person responsible for slow or missing rectification."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("被约谈组织"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        RectificationItem,
        verbose_name=_("整改事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interviews",
    )
    held_on = models.DateField(_("约谈日期"))
    interviewers = models.CharField(_("约谈人"), max_length=200)
    interviewees = models.CharField(_("被约谈人"), max_length=200)
    content = models.TextField(_("约谈内容"))
    outcome = models.TextField(_("约谈结果"))

    class Meta:
        verbose_name = _("约谈")
        verbose_name_plural = pgettext_lazy("plural", "约谈")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organization", "held_on"])]

    def __str__(self):
        return f"{self.interviewees} {self.held_on}"
