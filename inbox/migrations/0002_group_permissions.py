from django.db import migrations

from staff.migration_operations import grant_permissions, revoke_permissions

# Frozen here, as a migration must be: staff/roles.py names the group for the code. The talent
# mailbox is the city's: only its office sees and handles what the portal could not register.
OFFICES = ["市委人才办"]
MODELS = ["mailboxmessage"]
ACTIONS = ["change", "view"]


def grant(apps, schema_editor):
    grant_permissions(apps, OFFICES, "inbox", MODELS, ACTIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, OFFICES, "inbox", MODELS, ACTIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0001_initial"),
        ("staff", "0005_liaison_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
