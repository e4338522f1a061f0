"""Development only: print the code a demo account's authenticator shows now."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cms.twofactor.policy import totp_device, usable_code


class Command(BaseCommand):
    help = (
        "Chỉ khi phát triển (DEBUG): in mã xác thực hai bước hiện tại "
        "của một tài khoản."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("Lệnh này chỉ dùng khi phát triển (DEBUG = True).")
        user = get_user_model().objects.filter(username=username).first()
        device = totp_device(user) if user else None
        if device is None:
            raise CommandError(
                f"“{username}” không có ứng dụng xác thực. Tài khoản có: "
                + ", ".join(self.enrolled_usernames())
            )
        code = usable_code(device)
        if code is None:
            raise CommandError("Mã hiện tại đã được dùng; chờ 30 giây rồi chạy lại.")
        self.stdout.write(code)

    def enrolled_usernames(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return sorted(
            TOTPDevice.objects.filter(confirmed=True).values_list(
                "user__username", flat=True
            )
        )
