"""The admin login page reads entirely in Vietnamese (issue 2, "Vietnamese first")."""

import pytest
from bs4 import BeautifulSoup

ENGLISH = [
    "Sign in",
    "Password",
    "Forgotten password?",
    "Remember me",
    "Skip to main content",
    "Username",
    "Enter your",
    "Log in",
]
# Attributes a user reads or hears: placeholders, labels for screen readers, tooltips.
READ_ATTRIBUTES = ["placeholder", "aria-label", "title", "alt"]


@pytest.fixture
def login_page(client, db):
    response = client.get("/admin/login/")  # the test client sends no Accept-Language
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def what_a_user_reads(page):
    for tag in page(["script", "style", "template"]):
        tag.decompose()
    texts = [" ".join(page.get_text(" ").split())]
    for attribute in READ_ATTRIBUTES:
        for tag in page.find_all(attrs={attribute: True}):
            if tag.name == "svg" and tag[attribute] == "Wagtail":
                continue  # the logo's name
            texts.append(tag[attribute])
    for tag in page.find_all("input", attrs={"type": ["submit", "button"]}):
        texts.append(tag.get("value", ""))
    return texts


def test_login_page_is_in_vietnamese(login_page):
    assert login_page.html["lang"] == "vi"
    texts = what_a_user_reads(login_page)
    text = " ".join(texts)
    assert "Đăng nhập" in text
    assert "Mật khẩu" in text
    assert login_page.find("button", type="submit").get_text(strip=True) == "Đăng nhập"


@pytest.mark.parametrize("english", ENGLISH)
def test_login_page_has_no_english_left(login_page, english):
    texts = what_a_user_reads(login_page)
    leftovers = [t for t in texts if english.lower() in t.lower()]
    assert leftovers == []


def test_login_fields_are_labelled_in_vietnamese(login_page):
    labels = {
        label["for"]: label.get_text(" ", strip=True)
        for label in login_page.find_all("label", attrs={"for": True})
    }
    assert labels["id_password"].startswith("Mật khẩu")
    assert labels["id_username"].startswith("Tên đăng nhập")
    assert login_page.find("input", id="id_password")["placeholder"].startswith("Nhập")
