"""The publicity chapter's kind (programme/kinds.py), registered when the app is ready (apps.py)."""

from programme.kinds import ServiceKind, register

from . import models

CHAPTER = "publicity"
ACTIVITIES = register(
    ServiceKind("publicity_activities", models.PublicityActivity, "宣传活动", CHAPTER, coverage="被宣传报道")
)
