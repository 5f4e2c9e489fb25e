from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    """政治引领和政治吸纳 (《工作方案》三(三)): study and training, talents to the grassroots,
    recommendations and party development."""

    name = "guidance"
    verbose_name = "政治引领"
