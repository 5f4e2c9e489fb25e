from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    """What the programme's service chapters share (care, guidance, consulting, publicity, innovation):
    the shapes of their records, who sees them, their lists, the yearly coverage and an expert's timeline."""

    name = "programme"
    verbose_name = "专家服务"
