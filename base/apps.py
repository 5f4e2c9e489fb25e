from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_tables(using, **kwargs):
    """Every `migrate` also creates the database cache's table, so no second command is needed.

    createcachetable does nothing when the table exists or when no cache is in the database.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class BaseConfig(AppConfig):
    name = "base"
    verbose_name = "站点基础"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import (
            page_published,
            page_slug_changed,
            page_unpublished,
            post_page_move,
            published,
            unpublished,
        )

        from .models import PortalSettings
        from .page_cache import retire_on_commit

        # Anything the public pages show: a change retires every cached page.
        for signal in (page_published, page_unpublished, post_page_move, page_slug_changed, published, unpublished):
            signal.connect(retire_on_commit, dispatch_uid=f"public-page-cache-{signal!r}")
        # A view restriction too: a stored page must not outlive the restriction of its page.
        for model in (Page, Site, PortalSettings, PageViewRestriction, get_image_model(), get_document_model()):
            post_delete.connect(
                retire_on_commit, sender=model, dispatch_uid=f"public-page-cache-delete-{model.__name__}"
            )
        for model in (Site, PortalSettings, PageViewRestriction, get_image_model(), get_document_model()):
            post_save.connect(retire_on_commit, sender=model, dispatch_uid=f"public-page-cache-save-{model.__name__}")

        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="base-create-cache-tables")
