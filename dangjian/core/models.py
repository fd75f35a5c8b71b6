"""The audit log: every write made through a service is one AuditEvent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
        verbose_name_plural = _("规则设置")
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
        verbose_name_plural = _("提醒")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.text
