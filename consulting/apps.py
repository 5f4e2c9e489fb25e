from django.apps import AppConfig


class ConsultingConfig(AppConfig):
    """发挥专家决策咨询作用 (《工作方案》三(四)): industry development groups, consultations and
    popular-science activities."""

    name = "consulting"
    verbose_name = "决策咨询"

    def ready(self):
        from . import kinds  # noqa: F401 - registers the kinds and their row policies before any request
