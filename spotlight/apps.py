from django.apps import AppConfig


class SpotlightConfig(AppConfig):
    name = "spotlight"
    verbose_name = "专家风采"
