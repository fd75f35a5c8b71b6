"""A village's major matters (四议两公开) with the record of each step, and the service
station's office hours (坐班制)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import Created
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

from . import rules


class MatterCategory(models.TextChoices):
    CONTRACT = "contract", _("土地和集体资产发包、租赁")
    PROJECT = "project", _("集体经济项目")
    PUBLIC_WORKS = "public_works", _("公益事业和“一事一议”资金")
    SUBSIDY = "subsidy", _("补贴、救助和低保评定")
    OTHER = "other", _("其他重大事项")


class MatterStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    REJECTED = "rejected", _("未获通过")
    DONE = "done", _("已办结")


class Matter(Created):
    """A major matter of a village (or community) going through the six steps."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="matters"
    )
    title = models.CharField(_("事项名称"), max_length=120)
    category = models.CharField(_("类别"), max_length=16, choices=MatterCategory.choices)
    content = models.TextField(_("事项内容"))
    amount = models.DecimalField(
        _("涉及金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # The last step recorded (0 until proposed) and where the matter stands: kept by the
    # services with each step, so lists and the public page read one row.
    step = models.PositiveSmallIntegerField(_("进度"), default=0)
    proposed_on = models.DateField(_("提议日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=MatterStatus.choices, default=MatterStatus.OPEN
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("四议两公开事项")
        verbose_name_plural = pgettext_lazy("plural", "四议两公开事项")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["proposed_on"]),
            # The matters list, newest first, pages without sorting the whole province.
            models.Index(fields=["-created_at"], name="governance_matter_newest"),
        ]

    def __str__(self):
        return self.title

    @property
    def step_label(self):
        return rules.STEP_LABELS.get(self.step, _("未开始"))


class MatterStep(Created):
    """One step of a matter: the meeting (date, attendance, votes, whether it passed) or the
    disclosure (date, where, what was disclosed)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField(_("步骤"), choices=list(rules.STEP_LABELS.items()))
    held_on = models.DateField(_("日期"))
    body = models.CharField(_("会议形式"), max_length=16, blank=True)
    due = models.PositiveIntegerField(_("应到人数"), null=True, blank=True)
    present = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    yes = models.PositiveIntegerField(_("赞成"), null=True, blank=True)
    no = models.PositiveIntegerField(_("反对"), null=True, blank=True)
    abstain = models.PositiveIntegerField(_("弃权"), null=True, blank=True)
    households_due = models.PositiveIntegerField(_("总户数"), null=True, blank=True)
    households_present = models.PositiveIntegerField(_("到会户代表数"), null=True, blank=True)
    passed = models.BooleanField(_("通过"), null=True)
    text = models.TextField(_("内容"))  # the proposal, the minutes, or what was disclosed
    place = models.CharField(_("地点或公开方式"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("四议两公开步骤")
        ordering = ["matter", "step"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "step"], name="unique_matter_step")
        ]

    def __str__(self):
        return f"{self.matter_id} {self.step}"


class OfficeHours(Created):
    """Who staffs the service station when: on a weekday every week (Monday–Friday 坐班),
    or on one date (weekend and holiday rotation, 轮流值班). Only the name, the post and
    the work phone are shown to the public."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="office_hours",
    )
    weekday = models.PositiveSmallIntegerField(_("星期"), null=True, blank=True)  # 0 = Monday
    on_date = models.DateField(_("日期"), null=True, blank=True)
    member = models.ForeignKey(
        Member, verbose_name=_("党员"), null=True, blank=True, on_delete=models.SET_NULL
    )
    person_name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("职务"), max_length=40)
    work_phone = models.CharField(_("办公电话"), max_length=30)
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("坐班值班")
        verbose_name_plural = pgettext_lazy("plural", "坐班值班")
        ordering = ["organization", "weekday", "on_date", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__isnull=True, on_date__isnull=False)
                | models.Q(weekday__isnull=False, on_date__isnull=True, weekday__lte=6),
                name="office_hours_weekday_or_date",
            )
        ]
        indexes = [models.Index(fields=["organization", "on_date"])]

    def __str__(self):
        return f"{self.person_name} {self.weekday if self.on_date is None else self.on_date}"
