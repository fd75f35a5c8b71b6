"""Granting and revoking roles, audited like every other write."""

from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.services import invalid, require, validate_choice

from .models import Role, RoleName


@transaction.atomic
def grant(user, organization, name, *, actor=None) -> Role:
    # Only someone who manages the organization may hand out roles on it.
    require(actor, "orgs.add_child", organization, _("您无权在该组织授予角色"))
    validate_choice("name", name, RoleName, _("角色"))
    if organization.is_dissolved:
        raise invalid("organization", _("“%(name)s”已撤销") % {"name": organization.name})
    role, created = Role.objects.get_or_create(user=user, organization=organization, name=name)
    if created:
        audit.record(
            actor,
            "grant",
            role,
            organization=organization,
            summary=f"授予 {user.username} {role.get_name_display()}（{organization.name}）",
            changes={"role": [None, name], "user": [None, user.username]},
        )
    return role


@transaction.atomic
def revoke(role: Role, *, actor=None) -> None:
    require(actor, "orgs.add_child", role.organization, _("您无权撤销该角色"))
    audit.record(
        actor,
        "revoke",
        role,
        organization=role.organization,
        summary=f"撤销 {role.user.username} 的{role.get_name_display()}",
        changes={"role": [role.name, None]},
    )
    role.delete()
