from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """工作台: the admin home's figures and charts for each role, computed by workbench.figures."""

    name = "workbench"
    verbose_name = "工作台"
