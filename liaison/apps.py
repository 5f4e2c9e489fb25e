from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = "联系服务"

    def ready(self):
        from experts.signals import expert_removed

        from .services import end_pairings_of_removed_expert

        expert_removed.connect(end_pairings_of_removed_expert, dispatch_uid="liaison-end-pairings")

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .calendar import visits_changed
        from .coverage import contacts_changed
        from .models import ContactRecord, Leader, MustVisit, Pairing

        post_save.connect(contacts_changed, sender=ContactRecord, dispatch_uid="liaison-contacts-saved")
        post_delete.connect(contacts_changed, sender=ContactRecord, dispatch_uid="liaison-contacts-deleted")
        m2m_changed.connect(
            contacts_changed, sender=ContactRecord.experts.through, dispatch_uid="liaison-contacts-experts"
        )
        for sender in (ContactRecord, Pairing, MustVisit, Leader):
            post_save.connect(visits_changed, sender=sender, dispatch_uid=f"liaison-visits-{sender.__name__}-saved")
            post_delete.connect(visits_changed, sender=sender, dispatch_uid=f"liaison-visits-{sender.__name__}-deleted")
        for through in (ContactRecord.experts.through, ContactRecord.leaders.through):
            m2m_changed.connect(visits_changed, sender=through, dispatch_uid=f"liaison-visits-{through.__name__}")
