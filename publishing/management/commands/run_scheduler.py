"""The scheduler process: dispatch, reconcile, Wagtail schedules, channel checks."""

from django.core.management.base import BaseCommand

from publishing import scheduler


class Command(BaseCommand):
    help = "Chạy bộ lập lịch đăng bài lên mạng xã hội (dừng bằng SIGTERM)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="chạy mỗi việc một lần rồi thoát"
        )

    def handle(self, *args, **options):
        if options["once"]:
            scheduler.run_once()
            return
        scheduler.run_forever()
