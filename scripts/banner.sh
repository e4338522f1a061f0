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

  Ctrl-C để dừng (stops everything).

TXT
