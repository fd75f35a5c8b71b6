"""The admin over roles and API tokens. Every change it makes goes through the services, so
the audit log sees the admin exactly as it sees the pages: saving, deleting one record and
the bulk "delete selected" action alike."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from . import services, tokens
from .models import ApiToken, Role


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "organization", "created_at")
    list_filter = ("name",)
    search_fields = ("user__username", "organization__name", "organization__code")
    raw_id_fields = ("user", "organization")

    def save_model(self, request, obj, form, change):
        if change:
            old = Role.objects.get(pk=obj.pk)
            services.revoke(old, actor=request.user)
        role = services.grant(obj.user, obj.organization, obj.name, actor=request.user)
        obj.pk = role.pk

    def delete_model(self, request, obj):
        services.revoke(obj, actor=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        # The "delete selected" action: one audited revoke per role, all or none.
        for role in queryset.select_related("user", "organization"):
            services.revoke(role, actor=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made with `dangjian token` (which shows the token once) and are never
    deleted or edited: revoking keeps the record and is audited, here as on the command line."""

    list_display = ("user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "key_hash", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    def history_view(self, request, object_id, extra_context=None):
        # The token's history is the audit log (issued, revoked), not the admin's own log.
        return redirect("core:history", type="token", id=object_id)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("吊销所选令牌"), permissions=["view"])
    def revoke_selected(self, request, queryset):
        done = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            try:
                tokens.revoke(tokens.token_id(token), user=token.user, actor=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, "；".join(error.messages), messages.ERROR)
        self.message_user(request, _("已吊销 %(n)s 个令牌") % {"n": done})
