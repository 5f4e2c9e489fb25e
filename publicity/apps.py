from django.apps import AppConfig


class PublicityConfig(AppConfig):
    """宣传 (《工作方案》三(六)1): touring report talks and special reports about experts and teams."""

    name = "publicity"
    verbose_name = "宣传报道"

    def ready(self):
        from . import kinds  # noqa: F401 - registers the kinds and their row policies before any request
