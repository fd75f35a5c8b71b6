"""The audit log: every write made through a service is one AuditEvent."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .files import Upload, upload_name, validate_upload


class Created(models.Model):
    """Who made a record and when; the creator is kept as null if their account goes."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        abstract = True


class UploadedFile(Upload, models.Model):
    """An uploaded photo or file hanging on a record (a meeting, a report-back, a project).

    A concrete model adds its owner's foreign key and may redeclare `file` with its own
    `upload_to`. Rows are made with `from_upload`, which applies the size rule of
    `core.files.validate_upload`, the same one the forms use.
    """

    file = models.FileField(_("文件"), upload_to="uploads/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @classmethod
    def from_upload(
        cls, upload, *, field: str = "attachments", default_name: str = "附件", **owner
    ):
        """An unsaved row for `upload` (ValidationError on `field` when it is too large)."""
        validate_upload(upload, field)
        return cls(file=upload, name=upload_name(upload, default_name), size=upload.size, **owner)


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=40)
    # The record changed, as "app_label.model" and its primary key.
    target_type = models.CharField(_("对象类型"), max_length=60)
    target_id = models.CharField(_("对象编号"), max_length=40)
    # The organization the record hangs on, so the log itself can be scoped to a subtree.
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    # {"field": [old, new], ...}
    changes = models.JSONField(_("变更"), default=dict, blank=True)

    class Meta:
        verbose_name = _("操作记录")
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class RuleSetting(models.Model):
    """A local variant of a domain rule, set on an organization for its whole subtree.

    DOMAIN.md section 3 gives national defaults (dangjian.core.config.DEFAULTS); a province,
    county or township may override one (e.g. seed 002 turns general branches under 20
    members into branches). The setting on the nearest ancestor wins.
    """

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="rule_settings",
    )
    key = models.CharField(_("规则"), max_length=60)
    value = models.JSONField(_("取值"))
    note = models.CharField(_("依据"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("规则设置")
        verbose_name_plural = pgettext_lazy("plural", "规则设置")
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="unique_rule_setting")
        ]

    def __str__(self):
        return f"{self.organization_id} {self.key}={self.value}"


class Reminder(models.Model):
    """A reminder shown to an organization's officers until its period passes.

    Made by `dangjian remind` (run daily on a timer); `key` makes it idempotent, so the same
    reminder is never made twice. No one is asked to check in or acknowledge anything.
    """

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    key = models.CharField(max_length=120, unique=True)
    text = models.CharField(_("提醒内容"), max_length=300)
    due_on = models.DateField(_("截止日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = pgettext_lazy("plural", "提醒")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.text


class ReminderRead(models.Model):
    """A user has read a reminder (标为已读): per user, not per organization, so one
    officer's mark does not hide it from the others. Nothing asks anyone to mark anything;
    an unread reminder just stays listed on the desk until its date passes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_read"
    )
    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提醒已读")
        verbose_name_plural = pgettext_lazy("plural", "提醒已读")
        constraints = [
            models.UniqueConstraint(fields=["user", "reminder"], name="unique_reminder_read")
        ]

    def __str__(self):
        return f"{self.user_id} {self.reminder_id}"


class Job(models.Model):
    """One piece of long work run in the background (dangjian.core.jobs), with its progress.

    The page that started it shows a progress bar (/jobs/<id>/) and, at the end, the result
    or the error. Only its user (or a superuser) sees it; the organization is kept so jobs
    can be listed per subtree.
    """

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [
        (QUEUED, _("排队中")),
        (RUNNING, _("进行中")),
        (DONE, _("已完成")),
        (FAILED, _("失败")),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=60)
    title = models.CharField(_("名称"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization_path = models.CharField(max_length=255, blank=True, db_index=True)
    fn_path = models.CharField(max_length=200)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=STATUSES, default=QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), null=True, blank=True)
    message = models.CharField(_("进度说明"), max_length=300, blank=True)
    # {"summary": ..., "url": ...}: what the job did and where to go next.
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # The worker process running it: a job whose worker stopped beating was interrupted.
    worker = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = pgettext_lazy("plural", "后台任务")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status in (self.DONE, self.FAILED)


class ScheduledRun(models.Model):
    """One run of a daily job (settings.JOBS_DAILY) on one day: the unique row is the lock
    that makes it run once a day, however many workers look at the clock."""

    name = models.CharField(max_length=60)
    day = models.DateField()
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("定时运行")
        verbose_name_plural = pgettext_lazy("plural", "定时运行")
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="unique_scheduled_run")]

    def __str__(self):
        return f"{self.name} {self.day}"
