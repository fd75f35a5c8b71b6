"""The records of training (党员教育培训): the county's education bases, sessions held
(mobile Party school, at a base, online, study tours, classes) with their attendance,
online courses made by the county with their question bank and each member's pass, and
each member's class hours of a year (`MemberYear`, recomputed from the attendance and the
passes whenever one of them changes: the hours page, the desk and the figures read it).

No daily check-in, no time online: a course is credited once, when its quiz is passed."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import Created, UploadedFile
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class SessionKind(models.TextChoices):
    MOBILE_SCHOOL = "mobile_school", _("流动党校")
    BASE = "base", _("教育基地")
    CLASS = "class", _("集中培训班")
    ONLINE = "online", _("网络（线上）培训")
    STUDY_TOUR = "study_tour", _("外出考察学习")


# A concentrated course (集中培训) is any session held in person.
CONCENTRATED_KINDS = (
    SessionKind.MOBILE_SCHOOL,
    SessionKind.BASE,
    SessionKind.CLASS,
    SessionKind.STUDY_TOUR,
)


class TrainingLevel(models.TextChoices):
    ABOVE = "above", _("市级及以上")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇级")
    BRANCH = "branch", _("支部（村）级")


COUNTY_OR_ABOVE = (TrainingLevel.ABOVE, TrainingLevel.COUNTY)


class EducationBase(Created):
    """One of the county's education bases (党员教育基地), e.g. seed 000's three."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("所属党组织"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("基地名称"), max_length=80)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    description = models.TextField(_("简介"), blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("教育基地")
        verbose_name_plural = pgettext_lazy("plural", "教育基地")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Session(Created):
    """A training session (一期培训、一次党课) held by an organization."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("主办党组织"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("培训主题"), max_length=200)
    trainer = models.CharField(_("授课人"), max_length=80)
    kind = models.CharField(_("培训方式"), max_length=16, choices=SessionKind.choices)
    level = models.CharField(_("培训层级"), max_length=10, choices=TrainingLevel.choices)
    base = models.ForeignKey(
        EducationBase,
        verbose_name=_("教育基地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    venue = models.CharField(_("培训地点"), max_length=200, blank=True)
    starts_on = models.DateField(_("培训日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    is_lecture = models.BooleanField(_("计为党课"), default=False)
    attendance_count = models.PositiveIntegerField(_("参训人次"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = pgettext_lazy("plural", "培训")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "starts_on"]),
            models.Index(fields=["starts_on"]),
        ]

    def __str__(self):
        return self.topic

    @property
    def year(self) -> int:
        return self.starts_on.year

    @property
    def is_concentrated(self) -> bool:
        return self.kind in CONCENTRATED_KINDS

    @property
    def place(self) -> str:
        return self.base.name if self.base_id else self.venue


class Attendance(models.Model):
    """A member at a session: one person-time (人次), credited the session's hours unless
    less is recorded (left early). `organization`, `year` and `level` are the session's,
    kept here for the figures (person-times count at the organizer, in its start year)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        Member,
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="training_attendances",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("主办党组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("培训层级"), max_length=10, choices=TrainingLevel.choices)
    hours = models.DecimalField(_("认定学时"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("参训记录")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="unique_training_attendance")
        ]
        indexes = [models.Index(fields=["member", "year"]), models.Index(fields=["year"])]

    def __str__(self):
        return f"{self.member_id} @ {self.session_id}"


class Course(Created):
    """An online course the county makes (text, slides, video), studied on a phone; its
    hours are credited once the quiz from its question bank is passed."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("发布党组织"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("课程名称"), max_length=120)
    summary = models.CharField(_("简介"), max_length=300, blank=True)
    body = models.TextField(_("课程内容"), blank=True)
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)
    level = models.CharField(
        _("培训层级"), max_length=10, choices=TrainingLevel.choices, default=TrainingLevel.COUNTY
    )
    is_published = models.BooleanField(_("已发布"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("网络课程")
        verbose_name_plural = pgettext_lazy("plural", "网络课程")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class CourseFile(UploadedFile):
    """Slides or a video of a course (uploaded by the county)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("文件"), upload_to="training/%Y/%m/")

    class Meta:
        verbose_name = _("课程文件")
        ordering = ["course", "pk"]

    @property
    def is_video(self) -> bool:
        return self.name.lower().rsplit(".", 1)[-1] in ("mp4", "webm", "m4v", "mov")


class Question(models.Model):
    """A question of a course's bank: one right choice among 2–6."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("题目"), max_length=500)
    choices = models.JSONField(_("选项"), default=list)
    answer = models.PositiveSmallIntegerField(_("正确答案"))

    class Meta:
        verbose_name = _("题目")
        ordering = ["course", "pk"]

    def __str__(self):
        return self.text


class CourseCompletion(models.Model):
    """A member passed a course's quiz: the course's hours credited, once."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="course_completions"
    )
    # The member's organization when they passed, for the figures and scoping.
    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    passed_on = models.DateField(_("通过日期"))
    score = models.PositiveSmallIntegerField(_("得分"))
    hours = models.DecimalField(_("认定学时"), max_digits=4, decimal_places=1)
    attempts = models.PositiveSmallIntegerField(_("答题次数"), default=1)

    class Meta:
        verbose_name = _("课程结业")
        ordering = ["-passed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "member"], name="unique_course_completion")
        ]
        indexes = [models.Index(fields=["member", "passed_on"])]

    def __str__(self):
        return f"{self.member_id} ✓ {self.course_id}"


class MemberYear(models.Model):
    """A member's class hours of a year, recomputed from their attendance and passes after
    each change (services.recompute): one row a member with any training in the year.
    `organization` is the member's when it was computed; `required` 32 or 56 (officers)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="training_years")
    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1, default=0)
    required = models.PositiveSmallIntegerField(_("应修学时"))
    sessions = models.PositiveSmallIntegerField(_("参训次数"), default=0)
    courses = models.PositiveSmallIntegerField(_("网络课程"), default=0)
    is_officer = models.BooleanField(_("书记或委员"), default=False)
    is_secretary = models.BooleanField(_("书记"), default=False)
    concentrated = models.BooleanField(_("参加集中培训"), default=False)
    county_course = models.BooleanField(_("参加县级以上培训"), default=False)
    met = models.BooleanField(_("学时达标"), default=False)

    class Meta:
        verbose_name = _("年度学时")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="unique_training_member_year")
        ]
        indexes = [models.Index(fields=["organization", "year"])]

    def __str__(self):
        return f"{self.member_id} {self.year}: {self.hours}"
