"""The list-based mechanism (清单式工作机制): pledges signed each January, assignments
issued at month start, report-backs at month end, secretary projects."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import UploadedFile
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class Pledge(models.Model):
    """An annual responsibility pledge (目标责任书) set by an organization for one under it."""

    issuer = models.ForeignKey(
        Organization,
        verbose_name=_("下达组织"),
        on_delete=models.PROTECT,
        related_name="pledges_issued",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("责任组织"), on_delete=models.PROTECT, related_name="pledges"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签订人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("目标责任书")
        verbose_name_plural = pgettext_lazy("plural", "目标责任书")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "organization", "year"], name="unique_pledge")
        ]

    def __str__(self):
        return f"{self.year} {self.title}"


class TargetKind(models.TextChoices):
    TEXT = "text", _("文字目标")
    NUMBER = "number", _("数量目标")


class PledgeTarget(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="targets")
    text = models.CharField(_("目标"), max_length=300)
    kind = models.CharField(_("类型"), max_length=8, choices=TargetKind.choices)
    target_value = models.DecimalField(
        _("目标值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    progress_value = models.DecimalField(_("完成值"), max_digits=14, decimal_places=2, default=0)
    progress_note = models.CharField(_("进展情况"), max_length=300, blank=True)
    met = models.BooleanField(_("已完成"), default=False)
    # A target passed on down the tree points to the target it came from.
    source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="cascaded"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = pgettext_lazy("plural", "目标")
        ordering = ["pledge_id", "order", "id"]

    def __str__(self):
        return self.text


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("执行中")
    WITHDRAWN = "withdrawn", _("已撤回")


class AssignmentPhase(models.TextChoices):
    """What pages and exports call an assignment (rules.assignment_phase): an active one
    whose deadline has passed reads 已截止, not 执行中 a year on."""

    ACTIVE = "active", _("执行中")
    CLOSED = "closed", _("已截止")
    WITHDRAWN = "withdrawn", _("已撤回")


class Reviewer(models.TextChoices):
    """Who accepts or returns the report-backs of an assignment."""

    ISSUER = "issuer", _("交办组织审核")
    PARENT = "parent", _("上级组织审核")


class Assignment(models.Model):
    """An assignment (交办单) issued down the tree. A relayed one (转办) is issued by a
    receiver of another to organizations under it: `relayed_from` is that receiver's
    report-back, whose figures then sum the relayed receivers' reports plus its own part."""

    issuer = models.ForeignKey(
        Organization,
        verbose_name=_("交办组织"),
        on_delete=models.PROTECT,
        related_name="assignments_issued",
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("工作内容"))
    starts_on = models.DateField(_("开始日期"))
    deadline = models.DateField(_("截止日期"))
    # How receivers were chosen: {"mode": "subtree"|"filter"|"orgs", "levels": [...],
    # "sectors": [...], "kinds": [...], "under": [codes], "codes": [codes]}.
    receivers_spec = models.JSONField(_("接收范围"), default=dict)
    text_required = models.BooleanField(_("须填写文字说明"), default=False)
    attachments_required = models.PositiveSmallIntegerField(_("至少附件数"), default=0)
    # Receivers see each other's report-backs of this assignment (晒账单).
    board_shared = models.BooleanField(_("接收单位互相可见"), default=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE
    )
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    # The issuer, or each receiver's parent organization (a township reviews its villages).
    reviewer = models.CharField(
        _("审核方"), max_length=8, choices=Reviewer.choices, default=Reviewer.ISSUER
    )
    relayed_from = models.OneToOneField(
        "ReportBack",
        verbose_name=_("转办自"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="relay",
    )
    relay_note = models.TextField(_("转办补充要求"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("交办单")
        verbose_name_plural = pgettext_lazy("plural", "交办单")
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title

    @property
    def phase(self):
        """执行中, 已截止 or 已撤回 today (AssignmentPhase)."""
        from django.utils import timezone

        from .rules import assignment_phase

        return AssignmentPhase(assignment_phase(self.status, self.deadline, timezone.localdate()))


class FieldType(models.TextChoices):
    INTEGER = "integer", _("整数")
    DECIMAL = "decimal", _("小数")
    BOOLEAN = "boolean", _("是/否")
    CHOICE = "choice", _("选项")
    DATE = "date", _("日期")
    TEXT = "text", _("文字")


class AssignmentField(models.Model):
    """A typed field the report-back must fill; may be bound to a figure the system knows."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(max_length=40)
    label = models.CharField(_("名称"), max_length=100)
    type = models.CharField(_("类型"), max_length=10, choices=FieldType.choices)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    required = models.BooleanField(_("必填"), default=True)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    min_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    binding = models.CharField(_("取自系统数据"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("填报项")
        verbose_name_plural = pgettext_lazy("plural", "填报项")
        # By the key, not "assignment": that would join the assignment to sort by its ordering.
        ordering = ["assignment_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "key"], name="unique_assignment_field")
        ]

    def __str__(self):
        return self.label

    @property
    def unit_shown(self) -> str:
        """The unit, unless the label already ends with it ("党员值班人次" in 人次): headings
        read "党员值班人次", not "党员值班人次 / 人次"."""
        return "" if not self.unit or self.label.endswith(self.unit) else self.unit


class AssignmentRevision(models.Model):
    """A change to an issued assignment; receivers are told, nothing changes silently."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    changes = models.JSONField(default=dict)
    reason = models.CharField(_("修改原因"), max_length=200)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assignment_id", "version"]

    def __str__(self):
        return f"{self.assignment_id} v{self.version}"


class ReportStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未报送")
    REPORTED = "reported", _("已报送")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")


class ReportBack(models.Model):
    """One receiver's report-back (晒账单) on one assignment."""

    # No single-column indexes on the two keys: unique_report_back (assignment, organization)
    # and the (organization, status) index below start with them, and every index is one
    # more write for each of an assignment's 50,000 report-backs and for each report.
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="report_backs", db_index=False
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("接收组织"),
        on_delete=models.PROTECT,
        related_name="report_backs",
        db_index=False,
    )
    # The receiver's tree path, copied at issue and brought in step when organizations move
    # (orgs.signals.subtree_moved): the progress roll-up over 50,000 report-backs groups by
    # it without joining the organizations (about 2x faster at the root), and a township's
    # is one range of the (assignment, path) index. "C" collation on PostgreSQL, as the
    # organization's path, so that index serves prefix searches.
    path = models.CharField(max_length=255, default="", editable=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NOT_STARTED
    )
    values = models.JSONField(_("填报内容"), default=dict, blank=True)
    # A relaying receiver's numeric values are the sum of its relayed receivers' reports
    # (as reported) plus its own part: both kept, `values` holds the total.
    own_values = models.JSONField(_("本级自身部分"), default=dict, blank=True)
    relayed_values = models.JSONField(_("转办单位合计"), default=dict, blank=True)
    text = models.TextField(_("文字说明"), blank=True)
    reported_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    first_reported_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_reason = models.CharField(_("退回原因"), max_length=200, blank=True)
    # This receiver's own deadline, set when the reviewer extends it (延期,
    # services.extend_deadline); None = the assignment's. The one in force is the later of
    # the two (effective_deadline), so moving the assignment's deadline later than an
    # extension clears nothing and moving it earlier leaves the extension granted.
    deadline = models.DateField(_("本单位截止日期"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("通过时间"), null=True, blank=True)
    revisions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("晒账单")
        verbose_name_plural = pgettext_lazy("plural", "晒账单")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "organization"], name="unique_report_back"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["assignment", "path"], name="reportback_assignment_path"),
        ]

    def __str__(self):
        return f"{self.assignment_id}/{self.organization_id} {self.status}"

    @property
    def effective_deadline(self):
        """The deadline in force for this receiver (rules.effective_deadline)."""
        from .rules import effective_deadline

        return effective_deadline(self.assignment.deadline, self.deadline)

    @property
    def extended(self) -> bool:
        return self.deadline is not None and self.deadline > self.assignment.deadline

    @property
    def phase(self):
        """执行中, 已截止 or 已撤回 today for this receiver (its own deadline counts)."""
        from django.utils import timezone

        from .rules import assignment_phase

        return AssignmentPhase(
            assignment_phase(self.assignment.status, self.effective_deadline, timezone.localdate())
        )


class ReportBackFile(UploadedFile):
    report_back = models.ForeignKey(ReportBack, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("文件"), upload_to="report_backs/%Y/%m/")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = pgettext_lazy("plural", "附件")


class WorkMeeting(models.Model):
    """The monthly work meeting (例会) that reviews the month's report-backs."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="work_meetings",
    )
    held_on = models.DateField(_("召开日期"))
    month = models.CharField(_("所属月份"), max_length=7)  # "2026-03", a Period value
    attendees = models.CharField(_("参会人员"), max_length=300, blank=True)
    notes = models.TextField(_("会议纪要"))
    assignments = models.ManyToManyField(Assignment, verbose_name=_("讲评的交办单"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("工作例会")
        verbose_name_plural = pgettext_lazy("plural", "工作例会")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.organization} {self.month}"


class SecretaryProject(models.Model):
    """A committee secretary's own innovation project (书记项目, the "试验田")."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="secretary_projects",
    )
    secretary = models.ForeignKey(
        Member, verbose_name=_("书记"), on_delete=models.PROTECT, related_name="secretary_projects"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("项目名称"), max_length=200)
    goal = models.TextField(_("项目目标"))
    results = models.TextField(_("取得成效"), blank=True)
    brand = models.CharField(_("品牌名称"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("书记项目")
        verbose_name_plural = pgettext_lazy("plural", "书记项目")
        ordering = ["-year", "organization"]

    def __str__(self):
        return self.title


class PlanItem(models.Model):
    project = models.ForeignKey(SecretaryProject, on_delete=models.CASCADE, related_name="items")
    month = models.CharField(_("月份"), max_length=7)
    text = models.CharField(_("工作计划"), max_length=300)
    progress = models.CharField(_("完成情况"), max_length=300, blank=True)
    done = models.BooleanField(_("已完成"), default=False)

    class Meta:
        verbose_name = _("月度计划")
        verbose_name_plural = pgettext_lazy("plural", "月度计划")
        ordering = ["project_id", "month", "id"]

    def __str__(self):
        return f"{self.month} {self.text}"


class ProjectPhoto(UploadedFile):
    """Photos and files of a secretary project's results. Optional, never required."""

    project = models.ForeignKey(SecretaryProject, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("文件"), upload_to="projects/%Y/%m/")

    class Meta:
        verbose_name = _("项目照片")
        verbose_name_plural = pgettext_lazy("plural", "项目照片")
        ordering = ["id"]
