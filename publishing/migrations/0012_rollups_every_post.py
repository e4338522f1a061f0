"""ChannelDay now also rolls up the posts of articles in no campaign (campaign NULL),
for the calendar's day counts. The rows are emptied: a scheduler's start rebuilds
every roll-up when there are none (`rollups.catch_up`); `manage.py
rebuild_rollups` does it at once."""

import django.db.models.deletion
from django.db import migrations, models


def empty_channel_days(apps, schema_editor):
    apps.get_model("publishing", "ChannelDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms_core", "0003_offline_records"),
        ("publishing", "0011_scale_indexes_order"),
    ]

    operations = [
        migrations.AlterField(
            model_name="channelday",
            name="campaign",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cms_core.campaign",
            ),
        ),
        migrations.RunPython(empty_channel_days, migrations.RunPython.noop),
    ]
