"""The innovation support records' kind (programme/kinds.py), registered when the app is ready."""

from programme.kinds import ServiceKind, register

from . import models

CHAPTER = "innovation"
SUPPORT = register(
    ServiceKind("innovation_support", models.SupportRecord, "支持记录", CHAPTER, coverage="获得创新创业支持")
)
