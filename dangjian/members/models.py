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


# ---- transfers and mobile members (组织关系转接、流动党员) -------------------------------


class TransferDirection(models.TextChoices):
    INSIDE = "inside", _("系统内转接")
    OUT = "out", _("转出系统外")
    IN = "in", _("从系统外转入")


class TransferStatus(models.TextChoices):
    ISSUED = "issued", _("已开具介绍信")
    RECEIVED = "received", _("已接收")
    CONFIRMED = "confirmed", _("已转接")
    REFUSED = "refused", _("已退回")
    CANCELLED = "cancelled", _("已撤销")


OPEN_TRANSFER_STATUSES = (TransferStatus.ISSUED, TransferStatus.RECEIVED)


class Transfer(models.Model):
    """A transfer of a member's record (组织关系介绍信): inside the system from one
    organization to another (issued → received → confirmed, or refused with a reason, or
    cancelled by the sender); out to an organization outside it (issued, then confirmed when
    the receipt (回执) comes back; the member is then removed); in from outside (recorded
    when the member is registered). The member stays in `from_organization` until the
    confirmation, which moves them in the same transaction: never in two or in none."""

    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="transfers"
    )
    direction = models.CharField(
        _("转接类型"), max_length=8, choices=TransferDirection.choices, default="inside"
    )
    from_organization = models.ForeignKey(
        Organization,
        verbose_name=_("转出组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    to_organization = models.ForeignKey(
        Organization,
        verbose_name=_("转入组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    # The organization outside the system (to or from), by name.
    outside_name = models.CharField(_("系统外组织名称"), max_length=120, blank=True)
    letter_number = models.CharField(_("介绍信编号"), max_length=40)
    issued_on = models.DateField(_("开具日期"))
    valid_until = models.DateField(_("有效期至"))
    reason = models.CharField(_("转接原因"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=TransferStatus.choices, default="issued"
    )
    refusal_reason = models.CharField(_("退回理由"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("开具人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_on = models.DateField(_("接收日期"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Confirmed, refused or cancelled: when and by whom.
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    move = models.OneToOneField(
        MemberMove,
        verbose_name=_("组织关系变动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfer",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = pgettext_lazy("plural", "组织关系转接")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["status", "issued_on"]),
            models.Index(fields=["from_organization", "status"]),
            models.Index(fields=["to_organization", "status"]),
        ]
        constraints = [
            # One letter open at a time: a second issue, even a concurrent one, is refused.
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status__in=["issued", "received"]),
                name="members_one_open_transfer",
            )
        ]

    def __str__(self):
        return f"{self.member} {self.letter_number}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TRANSFER_STATUSES

    @property
    def destination(self) -> str:
        return self.to_organization.name if self.to_organization_id else self.outside_name

    @property
    def origin(self) -> str:
        return self.from_organization.name if self.from_organization_id else self.outside_name


class MobileDocument(models.TextChoices):
    TRANSFER_LETTER = "transfer_letter", _("组织关系介绍信")
    MEMBER_CERTIFICATE = "member_certificate", _("党员证明信")
    MOBILE_CERTIFICATE = "mobile_certificate", _("流动党员活动证")
    NONE = "none", _("无需开具")


class MobileRecord(models.Model):
    """A member away from the organization holding their record (流动党员): where they are,
    since when and until when (blank: uncertain), the document they carry, and who keeps in
    touch with them (a member of the branch, or a name and phone). Open while `ended_on` is
    empty; `Member.is_mobile` is kept equal to "has an open record" by the services."""

    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="mobile_records"
    )
    place = models.CharField(_("流入地"), max_length=120)
    unit = models.CharField(_("工作单位或居住地址"), max_length=200, blank=True)
    since = models.DateField(_("外出日期"))
    expected_until = models.DateField(_("预计返回日期"), null=True, blank=True)
    fixed_place = models.BooleanField(_("地点固定"), default=True)
    document = models.CharField(_("所持证明"), max_length=20, choices=MobileDocument.choices)
    contact_member = models.ForeignKey(
        Member,
        verbose_name=_("联系人（党员）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mobile_contacts",
    )
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系人电话"), max_length=20, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("流动党员登记")
        verbose_name_plural = pgettext_lazy("plural", "流动党员登记")
        ordering = ["-since", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(ended_on__isnull=True),
                name="members_one_open_mobile_record",
            )
        ]

    def __str__(self):
        return f"{self.member} @ {self.place}"

    @property
    def contact(self) -> str:
        if self.contact_member_id:
            return self.contact_member.name
        return " ".join(x for x in (self.contact_name, self.contact_phone) if x)
