"""The organization tree: the spine every record hangs on.

A materialized path (treebeard MP_Node) makes a subtree one indexed prefix range on SQLite
and PostgreSQL. On PostgreSQL the path column is given the "C" collation by migration 0002
so that paths sort byte-wise.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from .pinyin import name_initials


class Kind(models.TextChoices):
    COMMITTEE = "committee", _("基层党委")
    WORKING_COMMITTEE = "working_committee", _("党工委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    JOINT_BRANCH = "joint_branch", _("联合党支部")
    TEMPORARY = "temporary", _("临时党组织")
    GROUP = "group", _("党小组")


class Sector(models.TextChoices):
    RURAL = "rural", _("农村")
    COMMUNITY = "community", _("城市社区")
    VILLAGE_COMMUNITY = "village_community", _("村改社区")
    AGENCY = "agency", _("机关")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    PRIVATE_ENTERPRISE = "private_enterprise", _("非公有制企业")
    SOCIAL_ORGANIZATION = "social_organization", _("社会组织")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    OTHER = "other", _("其他")


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县（区）")
    TOWNSHIP = "township", _("乡镇")
    STREET = "street", _("街道")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")
    GRID = "grid", _("网格")
    BUILDING = "building", _("楼栋")
    AGENCY = "agency", _("机关")
    INSTITUTION = "institution", _("事业单位")
    ENTERPRISE = "enterprise", _("企业")
    SOCIAL = "social", _("社会组织")
    OTHER = "other", _("其他")


ROOT_BADGES = {
    Level.PROVINCE: _("省委"),
    Level.CITY: _("市委"),
    Level.COUNTY: _("县委"),
}


class OrganizationQuerySet(MP_NodeQuerySet):
    def active(self):
        return self.filter(dissolved_on__isnull=True)

    def subtree_of(self, org):
        return self.filter(path__startswith=org.path)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    # Upper-case alphabet (the default) on purpose: SQLite LIKE ignores case.
    steplen = 4

    code = models.CharField(_("组织编码"), max_length=32, unique=True)
    name = models.CharField(_("组织名称"), max_length=120, db_index=True)
    # Pinyin initials of the name (张弓镇党委 → zgzdw) for the organization picker; kept in
    # step with the name by save() and orgs.services.bulk_create.
    name_initials = models.CharField(_("名称拼音首字母"), max_length=120, blank=True)
    kind = models.CharField(_("组织类别"), max_length=24, choices=Kind.choices)
    sector = models.CharField(
        _("领域"), max_length=24, choices=Sector.choices, default=Sector.OTHER
    )
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, default=Level.OTHER)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    # The current committee's term (换届): started at the last election; its length follows
    # the kind (core.config "terms.*") unless term_years is set for this organization.
    term_started_on = models.DateField(_("本届任期开始"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("任期年限"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    dissolved_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = pgettext_lazy("plural", "党组织")
        indexes = [
            models.Index(fields=["kind", "sector"]),
            # Children of a node: depth = d + 1 and a path prefix, without a table scan.
            models.Index(fields=["depth", "path"], name="orgs_depth_path"),
            # The picker's "starts with" on initials: a LIKE 'zgz%' range scan on PostgreSQL too.
            models.Index(
                fields=["name_initials"],
                name="orgs_name_initials",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = name_initials(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_initials"}
        super().save(*args, **kwargs)

    @property
    def kind_badge(self):
        """How the organization is labelled: the root is the county's (city's, province's)
        Party committee itself, not one of its grassroots committees."""
        if self.is_root():  # treebeard's
            return ROOT_BADGES.get(self.level, _("党委"))
        return self.get_kind_display()

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    def ancestor_paths(self) -> list[str]:
        """Paths of the organization and all its ancestors, root first."""
        return [self.path[: i * self.steplen] for i in range(1, self.depth + 1)]

    def parent(self):
        if self.depth <= 1:
            return None
        return Organization.objects.filter(path=self.path[: -self.steplen]).first()

    def children(self):
        return Organization.objects.filter(path__startswith=self.path, depth=self.depth + 1)

    def subtree(self):
        return Organization.objects.filter(path__startswith=self.path)

    def current_secretary(self):
        return self.officers.current().filter(role=OfficerRole.SECRETARY).first()


class OfficerRole(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANIZATION = "organization", _("组织委员")
    PROPAGANDA = "propaganda", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    YOUTH = "youth", _("青年委员")
    WOMEN = "women", _("妇女委员")
    MEMBER = "member", _("委员")
    GROUP_LEADER = "group_leader", _("党小组组长")


class OfficerQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class Officer(models.Model):
    """A seat on an organization's committee (委员), with its term."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="officers"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="offices"
    )
    role = models.CharField(_("职务"), max_length=24, choices=OfficerRole.choices)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期届满"), null=True, blank=True)
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("委员")
        verbose_name_plural = pgettext_lazy("plural", "委员")
        ordering = ["organization", "role", "term_start"]

    def __str__(self):
        return f"{self.organization} {self.get_role_display()} {self.member}"
