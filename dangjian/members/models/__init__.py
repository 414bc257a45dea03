from .development import DateCorrection, DevelopmentCase, DevelopmentEvent, DevelopmentStage
from .dues import DuesAssessment, DuesBase, DuesCategory, DuesPayment
from .roster import (
    Education,
    Member,
    MemberCategory,
    Membership,
    MembershipStatus,
    Sex,
    memberships_on,
    probation_error,
)

__all__ = [
    "DateCorrection",
    "DevelopmentCase",
    "DevelopmentEvent",
    "DevelopmentStage",
    "DuesAssessment",
    "DuesBase",
    "DuesCategory",
    "DuesPayment",
    "Education",
    "Member",
    "MemberCategory",
    "Membership",
    "MembershipStatus",
    "Sex",
    "memberships_on",
    "probation_error",
]
