"""Small helpers shared by the tests of publishing: admin sign-in and reading a
response, the network dialogs, payloads, log capture, the sandbox's counters."""

import contextlib
import logging
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import requests
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.users.models import UserProfile

from publishing.networks import ImageRef, Payload
from tests.conftest import PASSWORD


def login(client, user, language="en"):
    """English admin, so assertions read the msgids whatever the catalogue has."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return user


def detail(publication):
    return reverse("publishing_publications:inspect", args=(publication.pk,))


def text(response):
    return response.content.decode()


def refused(response):
    """Wagtail answers a PermissionDenied in the admin by sending to its home."""
    return response.status_code == 403 or (
        response.status_code == 302
        and response["Location"] == reverse("wagtailadmin_home")
    )


def decide(dialog_url, decision="approve", **extra):
    """Press a button of the network's dialog; return where it sends the browser."""
    parts = urlsplit(dialog_url)
    params = dict(parse_qsl(parts.query), decision=decision, **extra)
    target = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    response = requests.post(target, data=params, allow_redirects=False, timeout=5)
    assert response.status_code in (302, 303), response.text[:500]
    return response.headers["Location"]


def local_path(url):
    """Our callback URL (BASE_URL is http://testserver) as a test-client path."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def start_facebook(client):
    response = client.get(reverse("publishing_connect", args=["facebook"]))
    assert response.status_code == 302
    return response["Location"]


def csv_file(text, name="lich.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


class Records(logging.Handler):
    """Every log record while a test runs (works with `-p no:logging` too)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    @property
    def text(self):
        return "\n".join(r.getMessage() for r in self.records)


@contextlib.contextmanager
def capture_logs():
    handler, root = Records(), logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def link_payload(marker="pub-7", message=None):
    link = (
        "https://bhxh.example/tin-tuc/ho-kinh-doanh/?utm_source=facebook"
        f"&utm_medium=social&utm_content={marker}"
    )
    text = message or f"Hộ kinh doanh đóng BHXH bắt buộc\n\n{link}"
    return Payload(kind="link", marker=marker, message=text, link=link)


COVER = "https://bhxh.example/media/images/bia.fill-1200x630.png"


def zalo_article(marker="pub-7", title="Hộ kinh doanh đóng BHXH bắt buộc", **fields):
    link = f"https://bhxh.example/tin-tuc/ho-kinh-doanh/?utm_content={marker}"
    values = {
        "kind": "article",
        "marker": marker,
        "title": title,
        "description": "Từ 01/7/2025 chủ hộ kinh doanh tham gia BHXH bắt buộc.",
        "author": "BHXH cơ sở Bắc Sơn",
        "cover": ImageRef(COVER),
        "link": link,
        "body": [
            {"type": "text", "content": "<p>Bảo hiểm xã hội bắt buộc.</p>"},
            {"type": "image", "url": COVER, "caption": "Ảnh"},
            {"type": "text", "content": f'<p><a href="{link}">Đọc tiếp</a></p>'},
        ],
    }
    values.update(fields)
    return Payload(**values)


def set_counts(sandbox, publication, **values):
    sandbox.control("engagement", {"post_id": publication.external_id, **values})


def row_errors(response, index=0):
    formset = response.context["form"].formsets["share_plans"]
    return formset.forms[index].errors


def cells(response):
    """{"YYYY-MM-DD": [(time, title, status), ...]} as the page shows them (a
    day's cell in the month, its hours' cells in the week, top to bottom)."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    found = {}
    for cell in soup.select("td[data-date]"):
        found.setdefault(cell["data-date"], []).extend(
            (
                item.time.get_text(strip=True),
                item.select_one("a").get_text(strip=True),
                item["data-status"],
            )
            for item in cell.select("li.publishing-calendar__event")
        )
    return found


def member_login(client, org, username, role, unit):
    """A new member of `unit` with `role`, signed in through the login form's check
    (the admin in the user's own language)."""
    org.user(username, role=role, unit=unit)
    assert client.login(username=username, password=PASSWORD)
