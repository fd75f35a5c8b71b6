"""Rolled-up figures, kept up to date incrementally.

One row per (organization, key) holds the figure over the organization's whole subtree,
itself included; e.g. key "members.category.rural". Reading any organization's figures is
then one indexed lookup, however large the subtree. Writers call rollups.services.adjust();
rollups.services.rebuild() recomputes everything from the records in SQL.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rollup(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="rollups"
    )
    key = models.CharField(max_length=80)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("汇总数")
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="unique_rollup_key")
        ]

    def __str__(self):
        return f"{self.organization_id} {self.key}={self.value}"


class BuildMark(models.Model):
    """Which registered sources the figures were last rebuilt from (one row). After a
    migrate that brings new or changed sources (a new key), the figures are rebuilt, so an
    upgraded database never shows a new figure as 0."""

    sources = models.CharField(max_length=64)
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.sources[:12]} {self.built_at:%Y-%m-%d %H:%M}"
