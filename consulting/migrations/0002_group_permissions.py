from django.db import migrations

from staff.migration_operations import grant_permissions, revoke_permissions

# Frozen here, as a migration must be: staff/roles.py names the groups for the code. Rows are
# narrowed by the kinds' policies (programme/kinds.py); only the recording office changes a row.
OFFICES = ["市委人才办", "县级人才办"]
MODELS = ["industrygroup", "consultation", "popularscience"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    grant_permissions(apps, OFFICES, "consulting", MODELS, ACTIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, OFFICES, "consulting", MODELS, ACTIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("consulting", "0001_initial"),
        ("staff", "0005_liaison_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
