"""Only the review workflow publishes: the final reviewers (终审人) lose the publish permission on pages
that 0004 gave them, with which they could publish without the review. The workflow's last approval
publishes without it (base/workflows.py)."""

from django.db import migrations

GROUP = "终审人"


def revoke(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(group__name=GROUP, permission__codename="publish_page").delete()


def grant_again(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    publish, _ = Permission.objects.get_or_create(
        content_type=page_type, codename="publish_page", defaults={"name": "Can publish any page"}
    )
    GroupPagePermission.objects.get_or_create(
        group=apps.get_model("auth", "Group").objects.get(name=GROUP),
        page=apps.get_model("wagtailcore", "Page").objects.get(depth=1),
        permission=publish,
    )


class Migration(migrations.Migration):
    dependencies = [("base", "0005_settings_without_demo_defaults")]

    operations = [migrations.RunPython(revoke, grant_again)]
