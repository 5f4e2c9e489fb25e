from django.apps import AppConfig


class InnovationConfig(AppConfig):
    """支持专家人才创新创业 (《工作方案》三(五)): support given to experts and their teams."""

    name = "innovation"
    verbose_name = "创新创业支持"

    def ready(self):
        from . import kinds  # noqa: F401 - registers the kind and its row policy before any request
