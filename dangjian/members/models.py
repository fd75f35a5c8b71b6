"""Party members (党员) and the record of their moves between organizations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.orgs.models import Organization


class Gender(models.TextChoices):
    MALE = "m", _("男")
    FEMALE = "f", _("女")


class Status(models.TextChoices):
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")


class Education(models.TextChoices):
    """Highest education, as the annual Party statistics (党内统计) ask for it; 初中 and
    小学及以下 are kept apart and counted together there as 初中及以下 (rules.EDUCATION_REPORT).
    Before 中专 had a choice of its own, "secondary" read 高中/中专."""

    POSTGRADUATE = "postgraduate", _("研究生")
    UNIVERSITY = "university", _("大学本科")
    COLLEGE = "college", _("大学专科")
    VOCATIONAL = "vocational", _("中专")
    SECONDARY = "secondary", _("高中、中技")
    JUNIOR = "junior", _("初中")
    PRIMARY = "primary", _("小学及以下")


class Category(models.TextChoices):
    RURAL = "rural", _("农牧渔民")
    WORKER = "worker", _("工人")
    AGENCY = "agency", _("党政机关工作人员")
    INSTITUTION = "institution", _("事业单位人员")
    ENTERPRISE = "enterprise", _("企业管理和专业技术人员")
    STUDENT = "student", _("学生")
    RETIRED = "retired", _("离退休人员")
    OTHER = "other", _("其他职业人员")


class Occupation(models.TextChoices):
    """Occupation (职业) in the categories of the annual Party statistics (党内统计公报)."""

    WORKER = "worker", _("工人（工勤技能人员）")
    FARMER = "farmer", _("农牧渔民")
    PROFESSIONAL = "professional", _("企事业单位、社会组织专业技术人员")
    MANAGER = "manager", _("企事业单位、社会组织管理人员")
    AGENCY = "agency", _("党政机关工作人员")
    STUDENT = "student", _("学生")
    OTHER = "other", _("其他职业人员")
    RETIRED = "retired", _("离退休人员")


class Tag(models.Model):
    """Free labels a county uses on members, such as 双强 or 致富能手."""

    name = models.CharField(_("标签"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = pgettext_lazy("plural", "标签")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_on__isnull=True)


class Member(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name=_("所在党组织"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=40, db_index=True)
    # rules.name_sort_key(name), kept by the services: lists sort by pinyin.
    name_pinyin = models.CharField(
        _("姓名拼音"), max_length=200, blank=True, default="", db_index=True, editable=False
    )
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"))
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    joined_on = models.DateField(_("入党日期"))
    full_on = models.DateField(_("转正日期"), null=True, blank=True)
    status = models.CharField(_("党员状态"), max_length=16, choices=Status.choices)
    category = models.CharField(_("人员类别"), max_length=16, choices=Category.choices)
    # Blank only where the category does not tell it (企事业单位人员: professional or manager).
    occupation = models.CharField(
        _("职业"), max_length=16, choices=Occupation.choices, blank=True, default=""
    )
    is_mobile = models.BooleanField(_("流动党员"), default=False)
    posts = models.CharField(
        _("岗位"), max_length=200, blank=True, help_text=_("如 党员示范岗、村委委员")
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    # Deleting is marking: a removed member stays readable with the date and reason.
    removed_on = models.DateField(_("减少日期"), null=True, blank=True)
    removed_reason = models.CharField(_("减少原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = pgettext_lazy("plural", "党员")
        # By name as read aloud (pinyin), not by code point.
        ordering = ["name_pinyin", "name", "id"]

    def __str__(self):
        return self.name


class MemberMove(models.Model):
    """A member moved from one organization to another, kept forever."""

    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="moves"
    )
    from_organization = models.ForeignKey(
        Organization, verbose_name=_("原组织"), on_delete=models.PROTECT, related_name="+"
    )
    to_organization = models.ForeignKey(
        Organization, verbose_name=_("新组织"), on_delete=models.PROTECT, related_name="+"
    )
    moved_on = models.DateField(_("转接日期"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("组织关系变动")
        verbose_name_plural = pgettext_lazy("plural", "组织关系变动")
        ordering = ["-moved_on", "-id"]

    def __str__(self):
        return f"{self.member} {self.from_organization} → {self.to_organization} ({self.moved_on})"
