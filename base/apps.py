from django.apps import AppConfig


class BaseConfig(AppConfig):
    name = "base"
    verbose_name = "站点基础"
