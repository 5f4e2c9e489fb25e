"""The consulting chapter's kinds (programme/kinds.py), registered when the app is ready (apps.py)."""

from programme.kinds import ServiceKind, register

from . import models

CHAPTER = "consulting"
# A standing group, not a yearly service: it counts nothing in the coverage.
GROUPS = register(ServiceKind("consulting_groups", models.IndustryGroup, "产业发展小组", CHAPTER))
CONSULTATIONS = register(
    ServiceKind("consulting_consultations", models.Consultation, "决策咨询", CHAPTER, coverage="参与决策咨询")
)
SCIENCE = register(
    ServiceKind("consulting_science", models.PopularScience, "科普活动", CHAPTER, coverage="参加科普活动")
)
