"""The final reviewers (终审人) publish: Wagtail publishes an approved page as the user who approved the
last step, so that step's group needs the publish permission. Editors and reviewers still have none."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    publish, _ = Permission.objects.get_or_create(
        content_type=page_type, codename="publish_page", defaults={"name": "Can publish any page"}
    )
    GroupPagePermission.objects.get_or_create(
        group=Group.objects.get(name="终审人"), page=Page.objects.get(depth=1), permission=publish
    )


def revoke(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(group__name="终审人", permission__codename="publish_page").delete()


class Migration(migrations.Migration):
    dependencies = [("base", "0003_publishing_workflow")]

    operations = [migrations.RunPython(grant, revoke)]
