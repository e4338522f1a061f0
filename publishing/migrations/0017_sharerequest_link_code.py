import publishing.models.publications
from django.db import migrations, models


def give_link_codes(apps, schema_editor):
    """One code per existing request (a callable default is computed once for an
    AddField)."""
    ShareRequest = apps.get_model("publishing", "ShareRequest")
    for pk in ShareRequest.objects.values_list("pk", flat=True):
        code = publishing.models.publications.new_link_code()
        ShareRequest.objects.filter(pk=pk).update(link_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0016_incident_quota"),
    ]

    operations = [
        migrations.AddField(
            model_name="sharerequest",
            name="link_code",
            field=models.CharField(
                default=publishing.models.publications.new_link_code,
                editable=False,
                max_length=8,
                verbose_name="short link code",
            ),
        ),
        migrations.RunPython(give_link_codes, migrations.RunPython.noop),
    ]
