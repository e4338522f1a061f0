"""Ask each network whether each channel still works; store and print the answer."""

from django.core.management.base import BaseCommand

from publishing.models import Channel, ChannelStatus
from publishing.networks import NetworkError, adapter_for


class Command(BaseCommand):
    help = "Kiểm tra token, quyền và số người theo dõi của các kênh."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="kể cả kênh đã tắt")

    def handle(self, *args, **options):
        channels = Channel.objects.select_related("unit")
        if not options["all"]:
            channels = channels.exclude(status=ChannelStatus.DISABLED)
        problems = 0
        for channel in channels:
            try:
                result = adapter_for(channel).check()
            except NetworkError as error:
                problems += 1
                self.stdout.write(f"? {channel}: {error.message}")
                continue
            channel.record_check(result)
            if result.ok:
                followers = channel.followers or 0
                self.stdout.write(f"✓ {channel}: {followers} người theo dõi")
            else:
                problems += 1
                self.stdout.write(f"✗ {channel}: {result.reason}")
        self.stdout.write(f"{channels.count()} kênh, {problems} cần xử lý.")
