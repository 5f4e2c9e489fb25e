from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    """政治引领和政治吸纳 (《工作方案》三(二)): study and training, talents to the grassroots,
    recommendations and party development."""

    name = "guidance"
    verbose_name = "政治引领"

    def ready(self):
        from . import kinds  # noqa: F401 - registers the kinds and their row policies before any request
