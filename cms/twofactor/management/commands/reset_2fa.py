"""Recovery: a user who lost their phone and backup codes gets two-step sign-in
reset; a manager, lead or superuser is asked to set it up again at next sign-in."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.log_actions import log

from cms.twofactor.policy import is_required, remove_devices, totp_device


class Command(BaseCommand):
    help = (
        "Đặt lại xác thực hai bước của một tài khoản "
        "(xoá ứng dụng xác thực và mã dự phòng)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as error:
            raise CommandError(f"Không có tài khoản “{username}”.") from error
        had_device = totp_device(user) is not None
        remove_devices(user)
        # The audit log: by nobody signed in (a command on the server).
        log(instance=user, action="twofactor.reset", data={"by": "reset_2fa"})
        if not had_device:
            self.stdout.write(f"{username} chưa thiết lập xác thực hai bước.")
        elif is_required(user):
            self.stdout.write(
                f"Đã đặt lại xác thực hai bước của {username}: lần đăng nhập tới "
                "sẽ phải thiết lập lại."
            )
        else:
            self.stdout.write(f"Đã đặt lại xác thực hai bước của {username}.")
