"""`python manage.py rebuild_rollups`: the dashboard's daily roll-ups again from
the posts (after a restore or a bulk change made outside the application). The
scheduler does it every night by itself."""

import time

from django.core.management.base import BaseCommand

from publishing.metrics import rollups


class Command(BaseCommand):
    help = "Rebuild the dashboard's daily roll-ups from the published posts."

    def handle(self, *args, **options):
        started = time.monotonic()
        days = rollups.rebuild()
        self.stdout.write(
            f"{days} days rolled up in {time.monotonic() - started:.1f} s."
        )
