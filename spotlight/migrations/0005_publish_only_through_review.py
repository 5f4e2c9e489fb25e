"""Special columns, like pages (base 0006), are published only by the review workflow: the final
reviewers (终审人) lose the publish permission that 0004 gave them."""

from django.db import migrations

GROUP = "终审人"


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name=GROUP).permissions.remove(
        *Permission.objects.filter(content_type__app_label="spotlight", codename="publish_specialcolumn")
    )


def grant_again(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    column_type, _ = ContentType.objects.get_or_create(app_label="spotlight", model="specialcolumn")
    publish, _ = Permission.objects.get_or_create(
        content_type=column_type, codename="publish_specialcolumn", defaults={"name": "Can publish 专题专栏"}
    )
    apps.get_model("auth", "Group").objects.get(name=GROUP).permissions.add(publish)


class Migration(migrations.Migration):
    dependencies = [
        ("spotlight", "0004_final_reviewers_publish_columns"),
        ("base", "0006_publish_only_through_review"),
    ]

    operations = [migrations.RunPython(revoke, grant_again)]
