"""Roles: a user holds a role at an organization and acts on its subtree."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RoleName(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("县委组织部管理员")
    TOWNSHIP_SECRETARY = "township_secretary", _("乡镇（街道）党（工）委书记")
    ORG_OFFICER = "org_officer", _("组织委员/党务干部")
    BRANCH_SECRETARY = "branch_secretary", _("支部书记")
    MEMBER = "member", _("党员")


class Role(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="roles",
    )
    name = models.CharField(_("角色"), max_length=24, choices=RoleName.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = pgettext_lazy("plural", "角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "name"], name="unique_role")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_name_display()} · {self.organization}"


class ApiToken(models.Model):
    """A bearer token for the REST API; it acts with its user's roles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    # Only the SHA-256 of the token is stored; the token itself is shown once.
    key_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("用途"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = pgettext_lazy("plural", "API 令牌")

    def __str__(self):
        return f"{self.user} · {self.name or self.key_hash[:8]}"
