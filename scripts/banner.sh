#!/usr/bin/env bash
# Printed by `make run` before the servers start: where to go, who to log in as.
base="${1:-http://127.0.0.1:8000}"
sandbox="${2:-http://127.0.0.1:8100/}"
cat <<TXT

  Trang công khai (public site):  $base/
  Trang quản trị (admin):         $base/admin/
  Sandbox mạng xã hội (network sandbox, dev tool): $sandbox

  Tài khoản mẫu (demo logins, development only), mật khẩu / password: bhxh-demo-2025
    admin            quản trị hệ thống (superuser)
    bientap.bacson   biên tập viên, BHXH cơ sở Bắc Sơn (district editor)
    duyet.bacson     người duyệt, BHXH cơ sở Bắc Sơn (district approver)
    lanhdao.khuvuc   lãnh đạo truyền thông, BHXH khu vực V (region lead)
  admin và lanhdao.khuvuc đăng nhập hai bước (two-step sign-in): mã / code:
    make totp USER=lanhdao.khuvuc   (hoặc khoá mẫu / demo secret BHXH DEMO BHXH DEMO BHXH DEMO BHXH DEMO)

  Ctrl-C để dừng (stops everything).

TXT
