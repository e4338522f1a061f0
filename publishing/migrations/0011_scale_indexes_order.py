"""The calendar's day indexes end with the id (bench/scale.py): a day's earliest
posts, ordered by (time, id), are read off the index instead of sorted."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0010_round_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="publication", name="publication_posted_idx"),
        migrations.RemoveIndex(
            model_name="publication", name="publication_planned_idx"
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=["status", "published_at", "id"], name="publication_posted_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                condition=models.Q(("status", "published"), _negated=True),
                fields=["publish_at", "id"],
                name="publication_planned_idx",
            ),
        ),
    ]
