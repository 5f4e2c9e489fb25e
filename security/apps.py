from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "安全与审计"

    def ready(self):
        from . import signin  # noqa: F401 - connects the sign-in audit receivers
