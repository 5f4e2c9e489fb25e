from django.db import migrations

from staff.migration_operations import grant_permissions, revoke_permissions

# Frozen here, as a migration must be: staff/roles.py names the group for the code.
# A department's users sign in to the admin and handle the items assigned to their department
# (intake.departments): that one permission, and no model's view/change, so that no office list
# or record is theirs.
DEPARTMENT_USERS = "承办部门"


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    group, _ = Group.objects.get_or_create(name=DEPARTMENT_USERS)
    group.permissions.add(access_admin)
    grant_permissions(apps, [DEPARTMENT_USERS], "intake", ["intakeitem"], ["handle"])


def remove_group(apps, schema_editor):
    revoke_permissions(apps, [DEPARTMENT_USERS], "intake", ["intakeitem"], ["handle"])
    apps.get_model("auth", "Group").objects.filter(name=DEPARTMENT_USERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0009_department_users"),
        ("staff", "0005_liaison_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
