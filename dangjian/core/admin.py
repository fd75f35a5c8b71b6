from django.contrib import admin

from .models import AuditEvent, Job, ScheduledRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """Domain records change only through services (audit, roll-ups); the admin only reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_id", "summary")
    list_filter = ("action", "target_type")
    search_fields = ("summary", "target_id", "actor__username")
    date_hierarchy = "at"


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Background jobs, for the administrator told a job number by a user whose job failed
    (the traceback is on the matching django-tasks result, by task_id)."""

    list_display = ("created_at", "kind", "title", "user", "status", "done", "total", "error")
    list_filter = ("status", "kind")
    search_fields = ("id", "title", "user__username", "task_id")
    date_hierarchy = "created_at"


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    list_display = ("day", "name", "job", "created_at")
    list_filter = ("name",)
