"""The guidance records' kinds (programme/kinds.py), registered when the app is ready (apps.py)."""

from programme.kinds import ServiceKind, register

from . import models

CHAPTER = "guidance"
STUDY = register(ServiceKind("guidance_study", models.StudySession, "研修培训", CHAPTER, coverage="参加研修培训"))
GRASSROOTS = register(
    ServiceKind("guidance_grassroots", models.GrassrootsTrip, "人才下基层", CHAPTER, coverage="参加人才下基层")
)
RECOMMENDATIONS = register(
    ServiceKind("guidance_recommendations", models.Recommendation, "推荐与吸纳", CHAPTER, coverage="获推荐或吸纳")
)
# A file opened in a year is no service to count among that year's experts: no coverage.
PARTY_DEVELOPMENT = register(ServiceKind("guidance_party_development", models.PartyDevelopment, "发展党员", CHAPTER))
