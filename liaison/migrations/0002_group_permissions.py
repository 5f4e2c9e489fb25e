from django.db import migrations

from staff.migration_operations import grant_permissions, revoke_permissions

# Frozen here, as a migration must be: staff/roles.py names the groups for the code.
# Rows are narrowed by liaison/scoping.py: a county's office, a leader, a leader's office and a
# unit liaison each see only their own. Nothing is deleted but by superusers: a pairing ends,
# a report is sent back, a follow-up is closed.
OFFICES = ["市委人才办", "县级人才办"]
LEADERS = ["领导"]
LEADER_OFFICES = ["领导办公室"]
UNIT_LIAISONS = ["单位联络员"]
GRANTS = [  # (groups, app, models, actions)
    (OFFICES, "liaison", ["leader", "leaderoffice", "pairing", "contactrecord", "followup"], ["add", "change", "view"]),
    (OFFICES, "liaison", ["eventreport", "mustvisit"], ["change", "view"]),
    (LEADERS, "liaison", ["leader", "pairing", "contactrecord", "followup", "mustvisit", "eventreport"], ["view"]),
    (LEADER_OFFICES, "liaison", ["leader", "pairing", "mustvisit", "eventreport"], ["view"]),
    (LEADER_OFFICES, "liaison", ["contactrecord", "followup"], ["add", "change", "view"]),
    (UNIT_LIAISONS, "liaison", ["eventreport"], ["add", "change", "view"]),
    # A unit liaison sees the records of their units' experts (staff.scoping's unit scope).
    (UNIT_LIAISONS, "experts", ["expert"], ["view"]),
]


def grant(apps, schema_editor):
    for groups, app_label, models, actions in GRANTS:
        grant_permissions(apps, groups, app_label, models, actions)


def revoke(apps, schema_editor):
    for groups, app_label, models, actions in GRANTS:
        revoke_permissions(apps, groups, app_label, models, actions)


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0001_initial"),
        ("experts", "0008_unit_liaisons"),
        ("staff", "0005_liaison_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
