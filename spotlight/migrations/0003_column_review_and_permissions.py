"""Special columns go through the same review as pages; the editorial groups may edit them, none may publish."""

from django.db import migrations

WORKFLOW_NAME = "发布审核"  # as base 0003 creates it (renamed from "编辑提交 → 审核 → 终审" by base 0007)
PERMISSIONS = {
    "编辑": ["add_specialcolumn", "change_specialcolumn"],
    "审核员": ["change_specialcolumn"],
    "终审人": ["change_specialcolumn"],
}


def assign(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    column_type, _ = ContentType.objects.get_or_create(app_label="spotlight", model="specialcolumn")
    WorkflowContentType.objects.update_or_create(
        content_type=column_type, defaults={"workflow": Workflow.objects.get(name=WORKFLOW_NAME)}
    )
    for group_name, codenames in PERMISSIONS.items():
        group = Group.objects.get(name=group_name)
        for codename in codenames:
            permission, _ = Permission.objects.get_or_create(
                content_type=column_type, codename=codename, defaults={"name": codename.replace("_", " ")}
            )
            group.permissions.add(permission)


def unassign(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowContentType.objects.filter(
        content_type__in=ContentType.objects.filter(app_label="spotlight", model="specialcolumn")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("spotlight", "0002_specialcolumn_spotlightarticlepage_and_more"),
        ("base", "0003_publishing_workflow"),
    ]

    operations = [migrations.RunPython(assign, unassign)]
