"""The records of development (发展党员) and of the four cultivations (四个培养).

A person in development is not yet a Member: a `Candidacy` on the branch's organization
holds their identity and the stage they have reached; each of the 25 steps of the
Development Rules 2014 done is one `DevelopmentStep` (its date, the responsible members,
hours for training, the notice period, the votes, the documents). The stage is derived
from the steps (rules.stage_after) and kept on the candidacy for indexing and roll-ups.
Admission (step 17) makes the Member (probationary), linked by `Candidacy.member`;
conversion (step 24) makes them full.

A `Cultivation` follows one person along the four cultivations (prosperity leader →
member → prosperity-leader member → village cadre → branch secretary); its moves are dated.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import Created, UploadedFile
from dangjian.members.models import Category, Education, Gender, Member
from dangjian.orgs.models import Organization


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")
    ENDED = "ended", _("已终止")


class Candidacy(Created):
    """One person's way from application to full membership in a branch."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=40)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number = models.CharField(_("身份证号"), max_length=18, db_index=True)
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices)
    category = models.CharField(_("人员类别"), max_length=16, choices=Category.choices)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    applied_on = models.DateField(_("申请入党日期"))
    stage = models.CharField(
        _("所处阶段"), max_length=16, choices=Stage.choices, default=Stage.APPLICANT
    )
    last_step = models.PositiveSmallIntegerField(_("已完成步骤"), default=1)
    member = models.OneToOneField(
        Member,
        verbose_name=_("党员档案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidacy",
    )
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("发展党员")
        verbose_name_plural = pgettext_lazy("plural", "发展党员")
        ordering = ["organization__path", "applied_on", "pk"]
        indexes = [
            models.Index(fields=["organization", "stage"]),
            models.Index(fields=["stage", "last_step"]),
        ]

    def __str__(self):
        return self.name


class Outcome(models.TextChoices):
    """The outcome of a decision step: the higher committee's approval (step 17) or the
    conversion (step 24)."""

    APPROVED = "approved", _("同意")
    EXTENDED = "extended", _("延长预备期")
    CANCELLED = "cancelled", _("取消预备党员资格")


class DevelopmentStep(Created):
    """One of the 25 steps done: when, by whom, with what."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("步骤"))
    done_on = models.DateField(_("日期"))
    people = models.ManyToManyField(
        Member, verbose_name=_("责任人（培养联系人、入党介绍人）"), blank=True, related_name="+"
    )
    hours = models.PositiveSmallIntegerField(_("培训学时"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("培训天数"), null=True, blank=True)
    notice_from = models.DateField(_("公示开始日期"), null=True, blank=True)
    voters = models.PositiveSmallIntegerField(_("应到有表决权党员"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("实到人数"), null=True, blank=True)
    yes = models.PositiveSmallIntegerField(_("赞成票"), null=True, blank=True)
    special = models.BooleanField(_("特殊情况"), default=False)
    outcome = models.CharField(_("结果"), max_length=12, choices=Outcome.choices, blank=True)
    extension_months = models.PositiveSmallIntegerField(_("延长月数"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("发展步骤")
        verbose_name_plural = pgettext_lazy("plural", "发展步骤")
        ordering = ["candidacy", "done_on", "number", "pk"]
        indexes = [models.Index(fields=["number", "done_on"])]

    def __str__(self):
        return f"{self.number} {self.done_on}"


class StepFile(UploadedFile):
    step = models.ForeignKey(DevelopmentStep, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("文件"), upload_to="development/%Y/%m/")

    class Meta:
        verbose_name = _("发展材料")
        verbose_name_plural = pgettext_lazy("plural", "发展材料")
        ordering = ["pk"]


class Track(models.TextChoices):
    """The four cultivations, in order: each later stage includes the earlier ones."""

    PROSPERITY_LEADER = "leader", _("致富能手")
    MEMBER = "member", _("培养成党员")
    LEADER_MEMBER = "leader_member", _("致富能手党员")
    VILLAGE_CADRE = "cadre", _("村干部")
    SECRETARY = "secretary", _("村党组织书记")


class Cultivation(Created):
    """One person followed along the four cultivations in a village or community."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=40)
    member = models.ForeignKey(
        Member,
        verbose_name=_("党员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cultivations",
    )
    stage = models.CharField(_("培养阶段"), max_length=16, choices=Track.choices)
    since = models.DateField(_("进入本阶段日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("四个培养")
        verbose_name_plural = pgettext_lazy("plural", "四个培养")
        ordering = ["organization__path", "name", "pk"]
        indexes = [models.Index(fields=["organization", "stage"])]

    def __str__(self):
        return self.name


class CultivationMove(Created):
    """A dated transition of the track (the first one is where the person entered)."""

    cultivation = models.ForeignKey(Cultivation, on_delete=models.CASCADE, related_name="moves")
    stage = models.CharField(_("培养阶段"), max_length=16, choices=Track.choices)
    moved_on = models.DateField(_("日期"))

    class Meta:
        ordering = ["cultivation", "moved_on", "pk"]
