from django.contrib import admin

from dangjian.core.admin import ReadOnlyAdmin

from .models import Member, MemberMove, Tag


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ("name", "organization", "status", "category", "removed_on")
    list_filter = ("status", "category", "gender", "education")
    search_fields = ("name",)
    raw_id_fields = ("organization", "user")
    exclude = ("id_number",)


@admin.register(MemberMove)
class MemberMoveAdmin(ReadOnlyAdmin):
    list_display = ("member", "from_organization", "to_organization", "moved_on")
    raw_id_fields = ("member", "from_organization", "to_organization")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)
