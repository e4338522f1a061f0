import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """A share request carries the video chosen for a video post, as the plan and
    the publication do (0019)."""

    dependencies = [
        ("publishing", "0020_inbox_answers"),
        ("wagtailmedia", "0005_alter_media_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="sharerequest",
            name="video",
            field=models.ForeignKey(
                blank=True,
                help_text="Video posts: empty means the article's featured video.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailmedia.media",
                verbose_name="video",
            ),
        ),
    ]
