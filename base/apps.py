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
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="base-create-cache-tables")
