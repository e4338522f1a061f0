"""Re-encrypt every channel's credentials with the newest FIELD_ENCRYPTION_KEY.

Rotation (docs/operations.md): put the new key first and keep the old ones after
it (`FIELD_ENCRYPTION_KEY=new,old`), restart the processes, run this command, then
remove the old keys and check with `--check`. All or nothing: every value is
decrypted before anything is written, and the writes are one transaction with the
channel rows locked (a Zalo token refresh waits for it, see
`Channel.update_credentials_locked`).
"""

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from publishing import crypto
from publishing.models import Channel


class Command(BaseCommand):
    help = (
        "Mã hoá lại thông tin đăng nhập của mọi kênh bằng khoá đầu tiên trong "
        "FIELD_ENCRYPTION_KEY (tất cả hoặc không gì cả)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="chỉ kiểm tra mọi thông tin đăng nhập giải mã được, không ghi gì",
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            channels = list(
                Channel.objects.select_for_update()
                .exclude(credentials="")
                .only("pk", "name", "network", "credentials")
                .order_by("pk")
            )
            rotated, unreadable = {}, []
            for channel in channels:
                try:
                    rotated[channel.pk] = crypto.rotate(channel.credentials)
                except InvalidToken:
                    unreadable.append(channel)
            if unreadable:
                names = "; ".join(f"#{c.pk} {c}" for c in unreadable)
                raise CommandError(
                    f"{len(unreadable)} kênh không giải mã được bằng các khoá trong "
                    f"FIELD_ENCRYPTION_KEY: {names}. Chưa ghi gì. Thêm khoá cũ vào "
                    "sau khoá mới (cách nhau bằng dấu phẩy) rồi chạy lại."
                )
            if options["check"]:
                self.stdout.write(
                    f"{len(channels)} kênh: mọi thông tin đăng nhập giải mã được."
                )
                return
            for pk, credentials in rotated.items():
                Channel.objects.filter(pk=pk).update(credentials=credentials)
        self.stdout.write(
            f"Đã mã hoá lại thông tin đăng nhập của {len(rotated)} kênh bằng khoá mới "
            "nhất. Có thể bỏ các khoá cũ khỏi FIELD_ENCRYPTION_KEY."
        )
