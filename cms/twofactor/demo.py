"""Demo accounts that must use two-step sign-in get an authenticator with a fixed,
documented secret (README, "Demo logins"), so `make run` stays usable: the current
code comes from `make totp USER=<login>` or any authenticator app given the secret."""

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.content.demo.organisation import DEMO_USERS
from cms.twofactor.policy import is_required, key_from_text

DEMO_TOTP_SECRET = "BHXH DEMO BHXH DEMO BHXH DEMO BHXH DEMO"


def seed_devices(sender, stdout=None, **kwargs):
    usernames = [row[0] for row in DEMO_USERS]
    users = get_user_model().objects.filter(username__in=usernames).order_by("pk")
    enrolled = []
    for user in users:
        if not is_required(user):
            continue
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(
                user=user,
                name="Demo",
                key=key_from_text(DEMO_TOTP_SECRET),
                confirmed=True,
            )
        enrolled.append(user.username)
    if stdout is not None and enrolled:
        stdout.write(
            f"Xác thực hai bước (bắt buộc): {', '.join(enrolled)}. Khoá mẫu "
            f"{DEMO_TOTP_SECRET}; mã hiện tại: make totp USER=<tên đăng nhập>"
        )
