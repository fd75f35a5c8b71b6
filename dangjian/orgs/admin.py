from django.contrib import admin

from dangjian.core.admin import ReadOnlyAdmin

from .models import Officer, Organization


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "sector", "level", "depth", "dissolved_on")
    list_filter = ("kind", "sector", "level")
    search_fields = ("code", "name")


@admin.register(Officer)
class OfficerAdmin(ReadOnlyAdmin):
    list_display = ("organization", "member", "role", "term_start", "term_end", "ended_on")
    list_filter = ("role",)
    raw_id_fields = ("organization", "member")
