"""Organizational life: meetings (三会一课, theme days, life meetings), member reviews,
heart-to-heart talks and leaders' participation records."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import UploadedFile
from dangjian.core.services import join_labels
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

from . import rules


class MeetingKind(models.TextChoices):
    BRANCH_ASSEMBLY = "branch_assembly", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支部委员会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    PARTY_LECTURE = "party_lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    LIFE_MEETING = "life_meeting", _("组织生活会")
    LEADERSHIP_LIFE_MEETING = "leadership_life_meeting", _("民主生活会")
    # A grassroots committee's own meetings (a branch's are the two above).
    MEMBERS_ASSEMBLY = "members_assembly", _("党员大会")
    COMMITTEE_SESSION = "committee_session", _("委员会会议")


class MeetingQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(voided_on__isnull=True)

    def counting_as(self, kind: str):
        """Meetings that count as `kind`: of that kind, or also counting as it."""
        also = ExtraKind.objects.filter(meeting=OuterRef("pk"), kind=kind)
        return self.filter(Q(kind=kind) | Q(Exists(also)))


class Meeting(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("会议类型"), max_length=32, choices=MeetingKind.choices)
    held_on = models.DateField(_("召开日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    host = models.ForeignKey(
        Member,
        verbose_name=_("主持人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField(_("主题"), max_length=200)
    minutes = models.TextField(_("内容纪要"), blank=True)
    resolutions = models.TextField(_("决议事项"), blank=True)
    # The lecturer of a Party lecture: a member of the organization's subtree, or someone
    # from outside named in `lecturer` (a county Party-school teacher); exactly one of them.
    lecturer_member = models.ForeignKey(
        Member,
        verbose_name=_("授课党员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lectures",
    )
    lecturer = models.CharField(_("外请授课人"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    # Deleting is marking: a meeting entered by mistake is voided with a reason.
    voided_on = models.DateField(_("作废日期"), null=True, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    # Quorum of a branch assembly (full members) or committee meeting (current officers),
    # taken when the meeting is recorded; empty for other kinds.
    quorum_due = models.PositiveIntegerField(_("应到人数"), null=True, blank=True)
    quorum_present = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)

    # Late entry (补录): entered after the late-entry window; counts only once approved by a
    # manager of the parent organization.
    late_entry = models.BooleanField(_("补录"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("补录审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_on = models.DateField(_("补录审批日期"), null=True, blank=True)

    # The year a life meeting or leadership life meeting reviews (it counts for that year's
    # compliance): the previous year by default when held in January–February.
    review_year = models.PositiveSmallIntegerField(_("所属年度"), null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = pgettext_lazy("plural", "会议")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "kind", "held_on"])]
        constraints = [
            # The service's duplicate rule, held by the database too (requests sent twice).
            models.UniqueConstraint(
                fields=["organization", "held_on", "kind"],
                condition=models.Q(voided_on__isnull=True),
                name="one_valid_meeting_of_a_kind_a_day",
            )
        ]

    def __str__(self):
        return f"{self.held_on} {self.kinds_display} {self.topic}"

    @property
    def kinds(self) -> list[str]:
        """Every kind the meeting counts as: its own kind first, then the others."""
        order = list(MeetingKind.values)
        extra = sorted({x.kind for x in self.extra_kinds.all()} - {self.kind}, key=order.index)
        return [self.kind, *extra]

    @property
    def kinds_display(self) -> str:
        return join_labels(MeetingKind(k).label for k in self.kinds)

    @property
    def lecturer_name(self) -> str:
        """The lecturer to show: the member's name, or the outsider's."""
        return self.lecturer_member.name if self.lecturer_member_id else self.lecturer

    @property
    def awaiting_approval(self) -> bool:
        return self.late_entry and self.approved_on is None and not self.voided_on

    @property
    def quorate(self) -> bool:
        return rules.quorate(self.quorum_due, self.quorum_present)

    @property
    def quorum_note(self) -> str:
        """Why the meeting does not count for want of a quorum; empty when it has one."""
        if self.quorate:
            return ""
        return _("未达法定人数：应到%(due)s人，实到%(present)s人") % {
            "due": self.quorum_due,
            "present": self.quorum_present or 0,
        }

    @property
    def uncounted_kinds(self) -> str:
        """The kinds the meeting does not count as for want of a quorum, when it still counts
        as others (a theme day that was also to be the assembly); empty otherwise."""
        if self.quorate:
            return ""
        lost = [k for k in self.kinds if k in rules.QUORUM_KINDS]
        if len(lost) == len(self.kinds):
            return ""
        return join_labels(MeetingKind(k).label for k in lost)


class ExtraKind(models.Model):
    """Another kind a meeting also counts as (同时计为): a theme day that is also the month's
    branch assembly and Party lecture is one record counting once for each kind."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="extra_kinds")
    kind = models.CharField(_("同时计为"), max_length=32, choices=MeetingKind.choices)

    class Meta:
        verbose_name = _("同时计为")
        verbose_name_plural = pgettext_lazy("plural", "同时计为")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="unique_extra_kind")
        ]
        indexes = [models.Index(fields=["kind", "meeting"])]

    def __str__(self):
        return f"{self.meeting_id} {self.get_kind_display()}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("出席情况"), max_length=8, choices=AttendanceStatus.choices)
    reason = models.CharField(_("原因"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("出席记录")
        verbose_name_plural = pgettext_lazy("plural", "出席记录")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="unique_attendance")
        ]

    def __str__(self):
        return f"{self.member} {self.get_status_display()}"


class Attachment(UploadedFile):
    """Photos and files of a meeting. Optional, never required."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="meetings/%Y/%m/")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = pgettext_lazy("plural", "附件")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASICALLY_QUALIFIED = "basically_qualified", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class FollowUp(models.TextChoices):
    NONE = "", _("无")
    EDUCATION = "education", _("批评教育")
    RECTIFY = "rectify", _("限期改正")
    PERSUADE_TO_LEAVE = "persuade_to_leave", _("劝其退党")
    REMOVE = "remove", _("除名")


class Review(models.Model):
    """One member's grade in the yearly member review (民主评议党员)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="reviews"
    )
    grade = models.CharField(_("评议等次"), max_length=24, choices=Grade.choices)
    follow_up = models.CharField(_("处置措施"), max_length=24, choices=FollowUp.choices, blank=True)
    follow_up_note = models.CharField(_("处置情况"), max_length=300, blank=True)
    reviewed_on = models.DateField(_("评议日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = pgettext_lazy("plural", "民主评议")
        constraints = [models.UniqueConstraint(fields=["year", "member"], name="unique_review")]

    def __str__(self):
        return f"{self.year} {self.member} {self.get_grade_display()}"


class Talk(models.Model):
    """A heart-to-heart talk (谈心谈话) between two members."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="talks"
    )
    held_on = models.DateField(_("谈话日期"))
    initiator = models.ForeignKey(
        Member, verbose_name=_("谈话人"), on_delete=models.PROTECT, related_name="talks_given"
    )
    counterpart = models.ForeignKey(
        Member, verbose_name=_("谈话对象"), on_delete=models.PROTECT, related_name="talks_received"
    )
    topic = models.CharField(_("谈话主题"), max_length=200)
    note = models.TextField(_("谈话要点"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = pgettext_lazy("plural", "谈心谈话")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.held_on} {self.initiator}—{self.counterpart}"


class Leader(models.Model):
    """A leading cadre registered for participation records (组织生活纪实): they attend their
    own branch's organizational life as an ordinary member (dual organizational life)."""

    member = models.OneToOneField(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="leader"
    )
    title = models.CharField(_("职务"), max_length=80)
    registered_on = models.DateField(_("登记日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("领导干部")
        verbose_name_plural = pgettext_lazy("plural", "领导干部")

    def __str__(self):
        return f"{self.member}（{self.title}）"


class MissedMeetings(models.Model):
    """How many required meetings an organization itself (not its subtree) missed in a
    finished month or quarter ("2026-11", "2026-Q3"), kept so that the county's and
    townships' desks read them with a few indexed queries instead of computing compliance
    over the whole subtree. Only organizations with something missing have a row. Rows of a
    period are computed over the whole tree (services.refresh_missed: daily job, and on the
    first read of a period); recording, voiding or approving a meeting recomputes its
    organization's row."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(_("期间"), max_length=10)
    missing = models.PositiveIntegerField(_("缺开次数"))

    class Meta:
        verbose_name = _("缺开会议数")
        verbose_name_plural = pgettext_lazy("plural", "缺开会议数")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organization"], name="unique_missed_meetings"
            )
        ]

    def __str__(self):
        return f"{self.organization_id} {self.period}: {self.missing}"


class MissedMark(models.Model):
    """A period whose MissedMeetings rows were computed over the whole tree, and when."""

    period = models.CharField(max_length=10, unique=True)
    computed_on = models.DateField()

    def __str__(self):
        return f"{self.period} {self.computed_on}"


class PlannedMeetingQuerySet(models.QuerySet):
    def open(self):
        """Neither cancelled nor held: still to be held (or overdue)."""
        return self.filter(cancelled_on__isnull=True, meeting__isnull=True)

    def upcoming(self, today):
        return self.open().filter(planned_on__gte=today)

    def overdue(self, today):
        """Planned before today and neither held nor cancelled (未按计划召开)."""
        return self.open().filter(planned_on__lt=today)


class PlannedMeeting(models.Model):
    """A meeting an organization plans to hold (会议计划): the branch's next meetings on a
    member's desk. A plan is never a held meeting and never counts in compliance: only the
    meeting recorded from it does, and recording it links the two (`meeting`)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="planned_meetings",
    )
    kind = models.CharField(_("会议类型"), max_length=32, choices=MeetingKind.choices)
    planned_on = models.DateField(_("计划日期"), db_index=True)
    planned_at = models.TimeField(_("计划时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    topic = models.CharField(_("主题"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    cancelled_on = models.DateField(_("取消日期"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    # The meeting recorded from the plan (one meeting may fulfil several plans: a theme day
    # that is also the month's Party lecture).
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("召开的会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )

    objects = PlannedMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议计划")
        verbose_name_plural = pgettext_lazy("plural", "会议计划")
        ordering = ["planned_on", "planned_at", "id"]
        indexes = [models.Index(fields=["organization", "planned_on"])]

    def __str__(self):
        return f"{self.planned_on} {self.get_kind_display()} {self.topic}"

    @property
    def held(self) -> bool:
        return self.meeting_id is not None

    def status(self, today) -> str:
        """ "held", "cancelled", "overdue" or "upcoming"."""
        if self.meeting_id:
            return "held"
        if self.cancelled_on:
            return "cancelled"
        return "overdue" if self.planned_on < today else "upcoming"
