from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = "联系服务"

    def ready(self):
        from experts.signals import expert_removed

        from .services import end_pairings_of_removed_expert

        expert_removed.connect(end_pairings_of_removed_expert, dispatch_uid="liaison-end-pairings")
