"""Read post counts now (what is due, or every tracked post with --all), with a
progress bar on stderr. Resumable: what was read is stored chunk by chunk and is no
longer due (with --all: not read again within the hour), so a run stopped by a
rate limit, a Ctrl-C or a crash goes on where it stopped when started again."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from publishing.metrics import engagement


class Progress:
    """`[#####.....] 120/500 posts, 6 calls, 0 errors, 12 s` on one line of stderr."""

    width = 30

    def __init__(self, stream):
        self.stream = stream
        self.started = time.monotonic()

    def __call__(self, summary):
        total = max(summary.total, 1)
        filled = round(self.width * summary.done / total)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(
            f"\r[{bar}] {summary.done}/{summary.total} bài đăng, "
            f"{summary.calls} lượt gọi, {summary.errors} lỗi, "
            f"{time.monotonic() - self.started:.0f} s",
            ending="",
            style_func=str,
        )
        self.stream.flush()


class Command(BaseCommand):
    help = "Đọc số lượt tương tác của các bài đăng đến hạn (hoặc tất cả với --all)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="mọi bài đăng còn theo dõi chưa đọc trong giờ qua (không chỉ bài "
            "đến hạn)",
        )
        parser.add_argument(
            "--limit", type=int, default=None, help="đọc nhiều nhất N bài đăng"
        )

    def handle(self, *args, **options):
        stream = self.stderr
        if options["all"]:
            started = engagement.track_untracked(timezone.now())
            if started:
                self.stdout.write(f"{started} bài đăng bắt đầu được theo dõi.")
        progress = Progress(stream)
        summary = engagement.sync_due(
            limit=options["limit"], progress=progress, everything=options["all"]
        )
        progress(summary)
        stream.write("")
        left = len(set(summary.stopped))
        self.stdout.write(
            f"{summary.done}/{summary.total} bài đăng đã đọc, "
            f"{summary.calls} lượt gọi, {summary.snapshots} bản ghi mới, "
            f"{summary.removed} bài đã bị gỡ, {summary.errors} lỗi"
            + (f", {left} kênh để lần sau" if left else "")
            + "."
        )
