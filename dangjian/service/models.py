"""Serving the public: pledges to the public (双承诺), service posts and service records of
employed members in their home community (在职党员进社区), household visits and the concerns
raised (走访、民情), proxy service (代办), members' suggestions (参政议政), leaders' contact
points (联系点) and village work teams with first secretaries (驻村工作队、第一书记).

Every record hangs on an organization. Residents' personal data (who was visited, who
raised a concern, for whom a formality was handled) stays behind the subtree scoping and
never reaches a public page."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import Created
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

# ---- pledges to the public (双承诺) ------------------------------------------------------


class PledgeStatus(models.TextChoices):
    OPEN = "open", _("践诺中")
    DONE = "done", _("已兑现")
    NOT_DONE = "not_done", _("未兑现")


class Pledge(Created):
    """A pledge an organization (member empty) or one of its members makes to the public:
    what, for whom, by when; closed as done with evidence, or not done with the reason."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("承诺党员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="public_pledges",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    content = models.CharField(_("承诺内容"), max_length=200)
    beneficiary = models.CharField(_("服务对象"), max_length=120)
    due_on = models.DateField(_("承诺完成时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.OPEN
    )
    evidence = models.TextField(_("兑现情况"), blank=True)
    reason = models.TextField(_("未兑现原因"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("公开承诺")
        verbose_name_plural = pgettext_lazy("plural", "公开承诺")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["organization", "year"]),
            models.Index(fields=["year", "status"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self):
        return self.content

    @property
    def by_member(self) -> bool:
        return self.member_id is not None


# ---- service posts (在职党员进社区) --------------------------------------------------------


class ServicePost(Created):
    """A post a community publishes for employed members to claim (e.g. 楼栋联络员,
    政策宣传岗): what it involves and how many members it takes."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("社区党组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("岗位名称"), max_length=80)
    duties = models.TextField(_("岗位职责"))
    places = models.PositiveSmallIntegerField(_("认领人数上限"), default=1)
    claimed = models.PositiveSmallIntegerField(_("已认领人数"), default=0)
    is_open = models.BooleanField(_("开放认领"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("服务岗位")
        verbose_name_plural = pgettext_lazy("plural", "服务岗位")
        ordering = ["-year", "title", "pk"]
        indexes = [models.Index(fields=["organization", "year"])]

    def __str__(self):
        return self.title


class PostClaim(Created):
    """An employed member claiming a post in their home community (到社区报到认岗)."""

    post = models.ForeignKey(ServicePost, on_delete=models.CASCADE, related_name="claims")
    # The post's community, kept on the claim for scoping and figures.
    organization = models.ForeignKey(
        Organization, verbose_name=_("社区党组织"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="post_claims"
    )
    claimed_on = models.DateField(_("认领日期"))

    class Meta:
        verbose_name = _("岗位认领")
        ordering = ["-claimed_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "member"], name="unique_post_claim")]

    def __str__(self):
        return f"{self.member_id} → {self.post_id}"


class ServiceRecord(Created):
    """One time a member served on a claimed post: one person-time (人次)."""

    claim = models.ForeignKey(PostClaim, on_delete=models.CASCADE, related_name="records")
    organization = models.ForeignKey(
        Organization, verbose_name=_("社区党组织"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="service_records"
    )
    served_on = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=4, decimal_places=1)
    people_served = models.PositiveIntegerField(_("服务群众人数"))
    content = models.CharField(_("服务内容"), max_length=200)

    class Meta:
        verbose_name = _("服务记录")
        ordering = ["-served_on", "pk"]
        indexes = [models.Index(fields=["organization", "served_on"])]

    def __str__(self):
        return f"{self.served_on} {self.content}"


# ---- village work teams and contact points -------------------------------------------------


class WorkTeam(Created):
    """A village work team (驻村工作队) or a first secretary (第一书记) sent to a village:
    the unit that sent it, its term and any extension."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("驻村"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("工作队名称"), max_length=80)
    unit = models.CharField(_("派出单位"), max_length=80)
    starts_on = models.DateField(_("任期开始"))
    ends_on = models.DateField(_("任期结束"))
    extended_to = models.DateField(_("延期至"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("驻村工作队")
        verbose_name_plural = pgettext_lazy("plural", "驻村工作队")
        ordering = ["-starts_on", "pk"]

    def __str__(self):
        return self.name

    @property
    def term_end(self):
        return self.extended_to or self.ends_on


class TeamRole(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", _("第一书记")
    LEADER = "leader", _("队长")
    MEMBER = "member", _("队员")


class WorkTeamMember(models.Model):
    """Someone on a work team: name, post, work phone (what the village's board shows)."""

    team = models.ForeignKey(WorkTeam, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("姓名"), max_length=40)
    role = models.CharField(_("职务"), max_length=16, choices=TeamRole.choices)
    unit = models.CharField(_("原单位及职务"), max_length=80, blank=True)
    work_phone = models.CharField(_("办公电话"), max_length=30)

    class Meta:
        verbose_name = _("工作队队员")
        ordering = ["team", "role", "pk"]

    def __str__(self):
        return self.name


class PointLevel(models.TextChoices):
    COUNTY = "county", _("县（区）")
    DEPARTMENT = "department", _("部门")
    TOWNSHIP = "township", _("乡镇（街道）")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")


class ContactPoint(Created):
    """A leader's contact point (领导干部联系点): the leader, recorded at the organization
    whose leader they are, personally follows `point`."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("领导所在组织"), on_delete=models.PROTECT, related_name="+"
    )
    leader_name = models.CharField(_("领导姓名"), max_length=40)
    leader_post = models.CharField(_("职务"), max_length=60)
    point = models.ForeignKey(
        Organization, verbose_name=_("联系点"), on_delete=models.PROTECT, related_name="+"
    )
    point_level = models.CharField(_("联系点类别"), max_length=12, choices=PointLevel.choices)
    since = models.DateField(_("联系开始"))
    until = models.DateField(_("联系结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("领导联系点")
        ordering = ["organization", "leader_name", "point_level"]

    def __str__(self):
        return f"{self.leader_name} → {self.point_id}"


# ---- visits and concerns (走访、民情) -------------------------------------------------------


class VisitKind(models.TextChoices):
    HOUSEHOLD = "household", _("入户走访")
    UNIT = "unit", _("走访单位")


class Visit(Created):
    """A cadre's visit to a household or unit: who visited, whom, when, what was found.
    The household is personal data: visible only within the subtree, never public."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("走访类型"), max_length=10, choices=VisitKind.choices, default=VisitKind.HOUSEHOLD
    )
    visitor = models.CharField(_("走访人"), max_length=60)
    household = models.CharField(_("走访对象（户主或单位）"), max_length=80)
    visited_on = models.DateField(_("走访日期"))
    findings = models.TextField(_("走访情况"))
    work_team = models.ForeignKey(
        WorkTeam,
        verbose_name=_("驻村工作队"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )

    class Meta:
        verbose_name = _("走访记录")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "visited_on"]),
            models.Index(fields=["visited_on"]),
        ]

    def __str__(self):
        return f"{self.visited_on} {self.household}"


class ConcernCategory(models.TextChoices):
    DISPUTE = "dispute", _("矛盾纠纷")
    PRACTICAL = "practical", _("实事难事")
    SUGGESTION = "suggestion", _("意见建议")
    HARDSHIP = "hardship", _("生活困难")
    OTHER = "other", _("其他")


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("待办理")
    IN_PROGRESS = "in_progress", _("办理中")
    SOLVED = "solved", _("已解决")
    # Closed without solving it (beyond what can be done; explained to the resident).
    ANSWERED = "answered", _("已答复")


CLOSED_STATUSES = (ConcernStatus.SOLVED, ConcernStatus.ANSWERED)


class Concern(Created):
    """A public concern (民情) raised in a visit or otherwise, followed until it is
    solved: category, owner, deadline, status, outcome. Never closed without an outcome."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("走访记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerns",
    )
    category = models.CharField(_("类别"), max_length=12, choices=ConcernCategory.choices)
    content = models.TextField(_("反映的问题"))
    raised_by = models.CharField(_("反映人"), max_length=60, blank=True)
    raised_on = models.DateField(_("反映日期"))
    owner = models.CharField(_("责任人"), max_length=60)
    due_on = models.DateField(_("办理期限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ConcernStatus.choices, default=ConcernStatus.OPEN
    )
    outcome = models.TextField(_("办理结果"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("民情事项")
        verbose_name_plural = pgettext_lazy("plural", "民情事项")
        ordering = ["-raised_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "raised_on"]),
            models.Index(fields=["raised_on", "category", "status"]),
            models.Index(fields=["category", "status", "raised_on"]),
            models.Index(fields=["status", "due_on"]),
        ]
        constraints = [
            # The database's own guard: a closed concern always has its outcome.
            models.CheckConstraint(
                condition=~models.Q(status__in=["solved", "answered"]) | ~models.Q(outcome=""),
                name="concern_closed_has_outcome",
            )
        ]

    def __str__(self):
        return self.content[:40]

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class ConcernNote(Created):
    """One step of following a concern (跟踪办理): the date and what was done."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="notes")
    noted_on = models.DateField(_("日期"))
    text = models.CharField(_("办理情况"), max_length=300)

    class Meta:
        verbose_name = _("办理进展")
        ordering = ["concern", "noted_on", "pk"]


# ---- proxy service (代办) ----------------------------------------------------------------


class ResidentGroup(models.TextChoices):
    ELDERLY = "elderly", _("老")
    WEAK = "weak", _("弱")
    SICK = "sick", _("病")
    DISABLED = "disabled", _("残")
    OTHER = "other", _("其他群众")


class ProxyStatus(models.TextChoices):
    OPEN = "open", _("代办中")
    DONE = "done", _("已办结")


class ProxyRequest(Created):
    """A formality a cadre handles for an elderly, weak, sick or disabled resident (代办):
    what, for whom, who handles it, the steps, the date it was done."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.CharField(_("代办对象"), max_length=60)
    group = models.CharField(_("对象类别"), max_length=10, choices=ResidentGroup.choices)
    matter = models.CharField(_("代办事项"), max_length=200)
    handler = models.CharField(_("代办人"), max_length=60)
    requested_on = models.DateField(_("受理日期"))
    status = models.CharField(
        _("状态"), max_length=8, choices=ProxyStatus.choices, default=ProxyStatus.OPEN
    )
    result = models.TextField(_("办理结果"), blank=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("代办事项")
        verbose_name_plural = pgettext_lazy("plural", "代办事项")
        ordering = ["-requested_on", "-pk"]
        indexes = [models.Index(fields=["organization", "requested_on"])]

    def __str__(self):
        return self.matter


class ProxyStep(Created):
    request = models.ForeignKey(ProxyRequest, on_delete=models.CASCADE, related_name="steps")
    done_on = models.DateField(_("日期"))
    text = models.CharField(_("办理步骤"), max_length=300)

    class Meta:
        verbose_name = _("代办步骤")
        ordering = ["request", "done_on", "pk"]


# ---- members' suggestions (参政议政) ------------------------------------------------------


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    REPLIED = "replied", _("已答复")


class Suggestion(Created):
    """A member's suggestion to the branch (党员建议书), answered in writing; after each
    meeting the branch groups them by topic (归类)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="suggestions"
    )
    submitted_on = models.DateField(_("提出日期"))
    title = models.CharField(_("建议题目"), max_length=120)
    content = models.TextField(_("建议内容"))
    topic = models.CharField(_("归类"), max_length=40, blank=True)
    meeting_on = models.DateField(_("归类会议日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    reply = models.TextField(_("书面答复"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("党员建议")
        verbose_name_plural = pgettext_lazy("plural", "党员建议")
        ordering = ["-submitted_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "submitted_on"]),
            models.Index(fields=["status", "submitted_on"]),
        ]

    def __str__(self):
        return self.title
