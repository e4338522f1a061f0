"""Indexes found wanting by the scale run (bench/scale.py, bench/README.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0008_dashboard_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=["publish_at", "id"], name="publication_time_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=["channel", "publish_at"], name="publication_channel_time_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=["status", "published_at"], name="publication_posted_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                condition=models.Q(("status", "published"), _negated=True),
                fields=["publish_at"],
                name="publication_planned_idx",
            ),
        ),
    ]
