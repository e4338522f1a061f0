"""Production settings pass Django's deployment checklist, and every response
carries the security headers (issue 7, security review)."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.helpers import production_env

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.external_clock  # a process of its own, on the real clock
def test_production_settings_pass_the_deploy_check_without_a_warning():
    env = production_env()
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.external_clock  # a process of its own, on the real clock
def test_the_deploy_check_does_fail_on_a_weak_setting():
    """The test above can fail: turning HSTS off makes the check warn."""
    env = production_env(SECURE_HSTS_SECONDS="0")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr


@pytest.mark.external_clock  # a process of its own, on the real clock
def test_production_refuses_a_weak_secret_key():
    env = production_env(SECRET_KEY="a" * 60)
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.external_clock  # a process of its own, on the real clock
def test_production_cookie_and_transport_settings():
    script = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_CONTENT_TYPE_NOSNIFF, s.X_FRAME_OPTIONS, s.DEBUG)"
    )
    result = manage("shell", "--no-imports", "-c", script, env=production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "True",
        "True",
        "Lax",
        "True",
        "True",
        "Lax",
        "31536000",
        "True",
        "True",
        "DENY",
        "False",
    ]


def csp(response):
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()
    }


def test_public_pages_carry_a_strict_policy_and_nosniff(client, org):
    article = org.article()
    for url in (article.url, "/", "/tim-kiem/?q=bhxh", "/khong-co-trang-nay/"):
        response = client.get(url)
        policy = csp(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'self'"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        assert "Content-Security-Policy-Report-Only" not in response
        assert response["X-Content-Type-Options"] == "nosniff", url
    assert csp(client.get(article.url))["frame-src"] == [
        "https://www.youtube-nocookie.com",
        "https://www.facebook.com",
    ]


def test_the_admin_policy_adds_only_what_wagtail_needs(client, org):
    client.force_login(org.user("admin", superuser=True))
    response = client.get("/admin/")
    policy = csp(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    login = csp(client.get("/admin/login/"))
    assert login["script-src"] == ["'self'", "'unsafe-inline'"]


def test_embedded_video_renders_without_an_inline_style(client, org):
    """Wagtail's embed wrapper sets an inline padding the public policy blocks."""
    article = org.article(
        body=[
            {
                "type": "embed",
                "value": {
                    "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                    "caption": "Video",
                },
            }
        ]
    )
    html = client.get(article.url).content.decode()
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert "style=" not in html
