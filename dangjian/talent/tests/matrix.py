"""人才与创新's part of the scope matrix (dangjian.core.testing.scope_matrix): talents, experts,
platforms and innovations of 甲企业 (record "a") and 乙企业 (record "b"), entered by the zone
(confirmed). The zone administrator and the talent office (人才工作人员, a grant on the root) keep
them and the leader reads them, zone-wide; the enterprise contact of 甲企业 reads 甲企业's and
submits talents and innovations of 甲企业 only (a new one is 待确认; 乙企业 is not among the
choices); the other roles have no permission on them. The talent office also reads the zone's
enterprises (to pick employers and hosts) and nothing else of other apps."""

import datetime

from dangjian.core.testing.scope_matrix import ModelSpec, next_number, register_matrix
from dangjian.talent import services
from dangjian.talent.models import Expert, Innovation, InnovationKind, Platform, PlatformKind, Talent

DAY = datetime.date(2025, 5, 10)
SIDES = {"a": "enterprise_a", "b": "enterprise_b"}
MODELS = ("talent", "talentexpert", "talentplatform", "innovation")


def _enterprises(world):
    return {side: getattr(world.zone, attr) for side, attr in SIDES.items()}


def _talents(world):
    return {
        side: services.talent_save(
            actor=None, name=f"矩阵人才{side}", category="young", intake_on=DAY, enterprise=enterprise
        )
        for side, enterprise in _enterprises(world).items()
    }


def _experts(world):
    return {
        side: services.expert_save(
            actor=None, name=f"矩阵专家{side}", enterprise=enterprise, topic="矩阵合作"
        )
        for side, enterprise in _enterprises(world).items()
    }


def _platforms(world):
    return {
        side: services.platform_save(
            actor=None,
            name=f"矩阵研发平台{side}",
            kind=PlatformKind.RESEARCH,
            level="provincial",
            enterprise=enterprise,
            recognised_on=DAY,
        )
        for side, enterprise in _enterprises(world).items()
    }


def _innovations(world):
    return {
        side: services.innovation_save(
            actor=None,
            name=f"矩阵专利{side}",
            kind=InnovationKind.PATENT,
            dated_on=DAY,
            enterprise=enterprise,
        )
        for side, enterprise in _enterprises(world).items()
    }


def _rows(role, cells):
    """The rows of `role` for every talent model: `cells` {side: "scope list detail create change
    delete"}, or one string for both sides."""
    if isinstance(cells, str):
        cells = {"a": cells, "b": cells}
    return "\n".join(f"{role} {model} {side} {cells[side]}" for model in MODELS for side in ("a", "b"))


KEEP = "in seen 200 201 200 204"
READ = "in seen 200 403 403 403"
NONE = "none 403 403 403 403 403"
CONTACT_SUBMITS = {"a": "in seen 200 201 403 403", "b": "out hidden 404 400 403 403"}
CONTACT_READS = {"a": "in seen 200 403 403 403", "b": "out hidden 404 403 403 403"}

TABLE = "\n".join(
    [
        "role model rec scope list detail create change delete",
        _rows("zone_admin", KEEP),
        _rows("talent_staff", KEEP),
        _rows("leader", READ),
        *(
            f"enterprise_contact {model} {side} {CONTACT_SUBMITS[side]}"
            for model in ("talent", "innovation")
            for side in "ab"
        ),
        *(
            f"enterprise_contact {model} {side} {CONTACT_READS[side]}"
            for model in ("talentexpert", "talentplatform")
            for side in "ab"
        ),
        *(
            _rows(role, NONE)
            for role in ("secretary", "cadre", "system_admin", "security_admin", "audit_admin")
        ),
        # the talent office reads the zone's enterprises; every other model of other apps: none
        "talent_staff enterprise a in seen 200 403 403 403",
        "talent_staff enterprise b in seen 200 403 403 403",
    ]
)


def _spec(key, model, build, create):
    return ModelSpec(
        key=key,
        model=model,
        admin_name=f"talent_{model._meta.model_name}",
        api_basename=key,
        change_field="note",
        change_value="矩阵修改",
        build=build,
        api_create=create,
        choice_field="enterprise",
        choices=SIDES,
    )


register_matrix(
    table=TABLE,
    specs=[
        _spec(
            "talent",
            Talent,
            _talents,
            lambda w, choice: {
                "name": f"矩阵新人才{next_number()}",
                "category": "skilled",
                "intake_on": DAY.isoformat(),
                "enterprise": choice.pk,
            },
        ),
        _spec(
            "talentexpert",
            Expert,
            _experts,
            lambda w, choice: {
                "name": f"矩阵新专家{next_number()}",
                "enterprise": choice.pk,
                "topic": "矩阵合作",
            },
        ),
        _spec(
            "talentplatform",
            Platform,
            _platforms,
            lambda w, choice: {
                "name": f"矩阵新平台{next_number()}",
                "kind": "research",
                "level": "municipal",
                "enterprise": choice.pk,
            },
        ),
        _spec(
            "innovation",
            Innovation,
            _innovations,
            lambda w, choice: {
                "name": f"矩阵新专利{next_number()}",
                "kind": "patent",
                "dated_on": DAY.isoformat(),
                "enterprise": choice.pk,
            },
        ),
    ],
    role_grants={"talent_staff": ("organization", "root")},
    module=__name__,
)
