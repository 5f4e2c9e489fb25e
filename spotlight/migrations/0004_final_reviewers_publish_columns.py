"""The final reviewers (终审人) publish special columns, as they publish pages (see base 0004)."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    column_type, _ = ContentType.objects.get_or_create(app_label="spotlight", model="specialcolumn")
    publish, _ = Permission.objects.get_or_create(
        content_type=column_type, codename="publish_specialcolumn", defaults={"name": "Can publish 专题专栏"}
    )
    Group.objects.get(name="终审人").permissions.add(publish)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="终审人").permissions.remove(
        *Permission.objects.filter(codename="publish_specialcolumn")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("spotlight", "0003_column_review_and_permissions"),
        ("base", "0004_final_reviewers_publish"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
