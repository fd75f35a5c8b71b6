from django.contrib import admin

from . import services
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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("key_hash",)

    def has_add_permission(self, request):
        return False  # tokens are made with `dangjian token`, which shows the token once
