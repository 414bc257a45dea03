import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from treebeard.mp_tree import MP_Node, MP_NodeManager

from dangjian.core.paths import path_index
from dangjian.core.scope import ScopeSpec
from dangjian.core.validators import add_years


class OrgKind(models.TextChoices):
    WORKING_COMMITTEE = "working_committee", "党工委"
    COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    JOINT_BRANCH = "joint_branch", "联合党支部"
    TEMPORARY_BRANCH = "temporary_branch", "临时党支部"
    PARTY_GROUP = "party_group", "党小组"


BRANCH_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.TEMPORARY_BRANCH)
# Organizations that hold members directly (not 党工委, not 党小组).
MEMBER_HOLDING_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, *BRANCH_KINDS)
KIND_RANK = {
    OrgKind.WORKING_COMMITTEE: 0,
    OrgKind.COMMITTEE: 1,
    OrgKind.GENERAL_BRANCH: 2,
    OrgKind.BRANCH: 3,
    OrgKind.JOINT_BRANCH: 3,
    OrgKind.TEMPORARY_BRANCH: 3,
    OrgKind.PARTY_GROUP: 4,
}
# 党委 and 党工委 are elected for 5 years, 党总支 and 党支部 for 3 (《中国共产党章程》第三十条,
# 《中国共产党支部工作条例（试行）》); a 临时党支部 is appointed, a 党小组 has no term.
TERM_YEARS = {
    OrgKind.WORKING_COMMITTEE: 5,
    OrgKind.COMMITTEE: 5,
    OrgKind.GENERAL_BRANCH: 3,
    OrgKind.BRANCH: 3,
    OrgKind.JOINT_BRANCH: 3,
}


class UnitNature(models.TextChoices):
    ORGAN = "organ", "机关"
    INSTITUTION = "institution", "事业单位"
    STATE_OWNED = "state_owned", "国有企业"
    NON_PUBLIC = "non_public", "非公企业"
    SOCIAL = "social", "社会组织"
    PROJECT = "project", "项目"


class OrganizationManager(MP_NodeManager):
    def roots(self):
        return self.get_queryset().filter(depth=1).order_by("path")


class PartyOrganization(MP_Node):
    name = models.CharField("组织名称", max_length=200, db_index=True)
    short_name = models.CharField("组织简称", max_length=100, blank=True)
    kind = models.CharField("组织类别", max_length=30, choices=OrgKind.choices)
    unit_name = models.CharField("所在单位", max_length=200, blank=True)
    unit_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="所在企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_organizations",
    )
    unit_nature = models.CharField("单位性质", max_length=20, choices=UnitNature.choices, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    secretary_name = models.CharField("书记", max_length=50, blank=True)
    secretary = models.ForeignKey(
        "members.Member",
        verbose_name="书记（党员）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deputy_secretary = models.ForeignKey(
        "members.Member",
        verbose_name="副书记（党员）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    standardized = models.BooleanField("标准化规范化达标", default=False)
    brand = models.CharField("党建品牌", max_length=200, blank=True)
    has_committee = models.BooleanField("设立委员会", default=False, help_text="党支部是否设立支部委员会")
    term_started_on = models.DateField("本届任期开始", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = OrganizationManager()

    SCOPE = ScopeSpec(org_path="path", enterprise="unit_enterprise")

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["path"]
        indexes = [
            path_index("org_path_prefix", path="path"),
            path_index("org_kind_path", first="kind", path="path"),
        ]

    def __str__(self):
        return self.name

    # -- structure -------------------------------------------------------------
    @property
    def parent(self):
        if self.depth is None or self.depth <= 1:
            return None
        if not hasattr(self, "_parent_cache"):
            self._parent_cache = PartyOrganization.objects.filter(path=self.path[: -self.steplen]).first()
        return self._parent_cache

    def children(self):
        return PartyOrganization.objects.filter(path__startswith=self.path, depth=self.depth + 1).order_by(
            "path"
        )

    @property
    def is_branch(self):
        return self.kind in BRANCH_KINDS

    @property
    def can_hold_members(self):
        return self.kind in MEMBER_HOLDING_KINDS

    def is_dissolved(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.dissolved_on is not None and self.dissolved_on <= on

    def exists_on(self, day: datetime.date) -> bool:
        return (self.founded_on is None or self.founded_on <= day) and (
            self.dissolved_on is None or self.dissolved_on >= day
        )

    # -- term --------------------------------------------------------------------
    @property
    def term_years(self):
        return TERM_YEARS.get(self.kind)

    @property
    def next_election_due(self):
        if not self.term_started_on or not self.term_years:
            return None
        return add_years(self.term_started_on, self.term_years)

    def clean(self):
        errors = {}
        if self.founded_on and self.dissolved_on and self.dissolved_on < self.founded_on:
            errors["dissolved_on"] = "撤销日期不能早于成立日期"
        if self.founded_on and self.term_started_on and self.term_started_on < self.founded_on:
            errors["term_started_on"] = "本届任期开始不能早于成立日期"
        if self.kind == OrgKind.PARTY_GROUP and self.has_committee:
            errors["has_committee"] = "党小组不设委员会"
        for field in ("secretary", "deputy_secretary"):
            person = getattr(self, field)
            if person is not None and self.path and not (person.org_path or "").startswith(self.path):
                errors[field] = f"{person.name}不是本组织（含下级）的党员"
        if errors:
            raise ValidationError(errors)


class OrgRecord(models.Model):
    """A record that belongs to a party organization and is counted under it: the organization's
    materialized path is stored on the row (`org_path`), so a scoped list or count is one indexed
    prefix query on the record's own table. The path is taken from the organization on every
    save and rewritten with the tree when a branch moves (every OrgRecord is a path carrier);
    the scope reaches the record through it.

    A record whose organization is named or related otherwise overrides `organization`; one
    whose organization comes from another record (a project's from its temporary branch or owner,
    a request's from its enterprise) sets `organization = None` and says how in
    `organization_path()`. Writes that bypass save() (bulk updates) must set `org_path`."""

    organization = models.ForeignKey(
        "organizations.PartyOrganization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+"
    )
    org_path = models.CharField("组织路径", max_length=255, blank=True, default="", editable=False)

    SCOPE = ScopeSpec(org_path="org_path")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.org_path = self.organization_path() or ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "org_path" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "org_path"]
        super().save(*args, **kwargs)

    def organization_path(self) -> str:
        """The path the record is counted under."""
        return self.organization.path if self.organization_id else ""

    @staticmethod
    def stored_path(model, pk, field="org_path") -> str:
        """The path stored now on the row `pk` of `model`: an enterprise's organization path is
        kept by the tree (a queryset update), so an enterprise object in hand may be out of date."""
        if pk is None:
            return ""
        return model._base_manager.filter(pk=pk).values_list(field, flat=True).first() or ""


class PostKind(models.TextChoices):
    ACTIVITY_ROOM = "activity_room", "党员活动室"
    SERVICE_CENTER = "service_center", "党群服务中心"
    RESPONSIBILITY_AREA = "responsibility_area", "党员责任区"
    MODEL_POST = "model_post", "党员示范岗"


class Post(OrgRecord):
    """阵地与岗区: activity rooms and service centres, responsibility areas and model posts."""

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=30, choices=PostKind.choices)
    organization = models.ForeignKey(
        PartyOrganization, verbose_name="所属党组织", on_delete=models.PROTECT, related_name="posts"
    )
    established_on = models.DateField("设立日期", null=True, blank=True)
    established_month_only = models.BooleanField("设立日期只到月", default=False, editable=False)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "阵地与岗区"
        verbose_name_plural = "阵地与岗区"
        ordering = ["org_path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="post_unique_name_in_org"),
        ]
        indexes = [
            path_index("post_kind_path", first="kind"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.established_on and self.revoked_on and self.revoked_on < self.established_on:
            raise ValidationError({"revoked_on": "撤销日期不能早于设立日期"})


class OrganizationWarning(OrgRecord):
    """One stored 组织预警 of an organization, as the registered providers found it when the
    organization was last refreshed (by the writes that change it and by the daily job): the
    warnings pages read and count these rows through the scope instead of working them out."""

    organization = models.ForeignKey(
        PartyOrganization, verbose_name="党组织", on_delete=models.CASCADE, related_name="stored_warnings"
    )
    group = models.CharField("预警类别", max_length=30)
    code = models.CharField("预警代码", max_length=60)
    message = models.TextField("预警内容")
    refreshed_at = models.DateTimeField("刷新时间")

    # worked out from the records whose writes are audited, and replaced wholesale
    AUDITED = False

    # seen by whoever sees the organization (its path, or its 所在企业 for an enterprise grant)
    SCOPE = ScopeSpec(
        org_path="org_path",
        enterprise="organization__unit_enterprise",
        permission_model="organizations.partyorganization",
    )

    class Meta:
        verbose_name = "组织预警"
        verbose_name_plural = "组织预警"
        ordering = ["org_path", "code", "id"]
        indexes = [
            path_index("warning_path"),
            path_index("warning_group_path", first="group"),
            # the page order (a whole province's first page walks it and stops after one page)
            models.Index(fields=["org_path", "code", "id"], name="warning_page_order"),
            models.Index(fields=["group", "org_path", "code", "id"], name="warning_group_page_order"),
        ]

    def __str__(self):
        return f"{self.organization}：{self.message}"

    @property
    def group_label(self) -> str:
        from .warnings import warning_groups

        return warning_groups().get(self.group, self.group)
