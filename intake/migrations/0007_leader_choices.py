import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The free-text preferred and meeting leaders become choices of liaison.Leader; the text stays
    beside each (renamed *_text) for a leader not on the list and for the items received before."""

    dependencies = [
        ("intake", "0006_chinese_permission_names"),
        ("liaison", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="intakeitem", old_name="preferred_leader", new_name="preferred_leader_text"),
        migrations.AlterField(
            model_name="intakeitem",
            name="preferred_leader_text",
            field=models.CharField(
                blank=True,
                help_text="不清楚是哪位领导时，写下姓名或职务，例如“市委分管人才工作的领导”。",
                max_length=50,
                verbose_name="其他／不确定时请说明",
            ),
        ),
        migrations.AddField(
            model_name="intakeitem",
            name="preferred_leader",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="liaison.leader",
                verbose_name="希望约见的领导",
            ),
        ),
        migrations.RenameField(model_name="intakeitem", old_name="meeting_leader", new_name="meeting_leader_text"),
        migrations.AlterField(
            model_name="intakeitem",
            name="meeting_leader_text",
            field=models.CharField(blank=True, editable=False, max_length=50, verbose_name="约见领导（名单外）"),
        ),
        migrations.AddField(
            model_name="intakeitem",
            name="meeting_leader",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="liaison.leader",
                verbose_name="约见领导",
            ),
        ),
    ]
