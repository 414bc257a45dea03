from .assessment import AssessmentRun, AssessmentScore
from .daily import DailyPhoto, DailyRecord, MonthlyNote
from .dispatch import DispatchMeeting, FollowUp
from .problems import Problem, ProblemCategory, ProblemEvent, ProblemSource, ProblemStatus
from .projects import Approval, Milestone, Project, ProjectCategory, ProjectStatus

__all__ = [
    "Approval",
    "AssessmentRun",
    "AssessmentScore",
    "DailyPhoto",
    "DailyRecord",
    "DispatchMeeting",
    "FollowUp",
    "Milestone",
    "MonthlyNote",
    "Problem",
    "ProblemCategory",
    "ProblemEvent",
    "ProblemSource",
    "ProblemStatus",
    "Project",
    "ProjectCategory",
    "ProjectStatus",
]
