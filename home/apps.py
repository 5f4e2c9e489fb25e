from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "首页"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Page, Site
        from wagtail.signals import (
            page_published,
            page_slug_changed,
            page_unpublished,
            post_page_move,
            published,
            unpublished,
        )

        from base.models import PortalSettings

        from .page_cache import new_generation

        # Anything the public pages show: a change retires every cached page.
        for signal in (page_published, page_unpublished, post_page_move, page_slug_changed, published, unpublished):
            signal.connect(new_generation, dispatch_uid=f"public-page-cache-{signal!r}")
        for model in (Page, Site, PortalSettings, get_image_model(), get_document_model()):
            post_delete.connect(new_generation, sender=model, dispatch_uid=f"public-page-cache-delete-{model.__name__}")
        for model in (Site, PortalSettings, get_image_model(), get_document_model()):
            post_save.connect(new_generation, sender=model, dispatch_uid=f"public-page-cache-save-{model.__name__}")
