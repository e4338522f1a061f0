"""Public search under hostile input: whatever is typed (or forged in the address),
the page answers with results, "no results" or "too long", never a 500 from the
full-text engine (SQLite FTS5 or PostgreSQL), and normal queries still work."""

import pytest
from bs4 import BeautifulSoup

from tests.cms.helpers import article

URL = "/tim-kiem/"
TITLE = "Chủ hộ kinh doanh đóng bảo hiểm xã hội"
NO_RESULTS = "Không tìm thấy bài viết nào. Hãy thử từ khoá khác."
TOO_LONG = "Từ khoá quá dài (tối đa 200 ký tự)."

# Each is sent as typed (the client encodes it) and must not reach the engine raw.
HOSTILE = [
    '"',
    '""',
    'bao"hiem',
    '"bao hiem',
    "＂",
    "＂bảo hiểm",
    "'",
    "bao'hiem '",
    "*",
    "bao*",
    "* hiem",
    "-",
    "-bao",
    "bao - hiem",
    "NEAR",
    "NEAR(bao hiem)",
    "bao NEAR/2 hiem",
    "AND",
    "bao AND",
    "OR",
    "OR hiem",
    "NOT",
    "NOT bao",
    "bao NOT",
    "(",
    ")",
    "(bao",
    "bao)",
    "^",
    "^bao",
    ":",
    "title:bao",
    "{title}: bao",
    "bao:hiem",
    "\\",
    "%",
    "'; DROP TABLE wagtailcore_page; --",
    "bao\x00hiem",
    "\x07\x1b[31m",
    "😀",
    "bảo 😀 hiểm",
    "\u202ebao hiem",
    '"' * 200,
    "(" * 200,
]
# Forged in the address itself: NUL and broken UTF-8 (lone surrogates, as a
# browser cannot type them, arrive as invalid byte sequences).
RAW = ["bao%00hiem", "%ED%A0%80", "bao%ED%B0%80hiem", "%FF%FE", "%C0"]


def seen(response):
    """What a person reads: the result line, the error, the titles found."""
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    status = page.select_one("[role=status]")
    error = page.select_one("[role=alert]")
    return {
        "status": status.get_text(" ", strip=True) if status else None,
        "error": error.get_text(strip=True) if error else None,
        "titles": [a.get_text(strip=True) for a in page.select(".card-title a")],
        "text": page.get_text(" ", strip=True),
    }


def answered(shown):
    """Results, "no results" or "too long": one of the answers a person expects."""
    return (
        bool(shown["titles"])
        or NO_RESULTS in shown["text"]
        or (shown["error"] == TOO_LONG)
    )


@pytest.fixture(scope="module")
def _insurance(module_rows):
    """Searches only read: the article is made once for the module."""
    return article(module_rows, TITLE, "dong-bao-hiem")


@pytest.fixture
def insurance(_insurance, org):
    return _insurance


@pytest.mark.parametrize("query", HOSTILE, ids=repr)
def test_a_hostile_query_gets_an_answer_never_an_error(client, insurance, query):
    shown = seen(client.get(URL, {"q": query}))
    assert answered(shown), shown["text"]
    assert "\x00" not in shown["text"]


@pytest.mark.parametrize("raw", RAW)
def test_a_forged_address_gets_an_answer_never_an_error(client, insurance, raw):
    shown = seen(client.get(f"{URL}?q={raw}"))
    assert answered(shown), shown["text"]
    assert "\x00" not in shown["text"]


@pytest.mark.parametrize(
    "query",
    [
        "bao hiem",
        "bảo hiểm",
        "＂bảo hiểm＂",
        '"bao hiem"',
        'bao"hiem',
        "(bao hiem)",
        "bao* hiem^",
        "bảo-hiểm",
        "bao\x00 hiem",
        "bảo 😀 hiểm",
        "ＢẢＯ ＨＩỂＭ",
    ],
    ids=repr,
)
def test_the_words_of_a_query_still_find_the_article(client, insurance, query):
    assert seen(client.get(URL, {"q": query}))["titles"] == [TITLE]


def test_a_quoted_phrase_must_appear_as_written(client, insurance):
    assert seen(client.get(URL, {"q": '"hiem bao"'}))["titles"] == []
    assert seen(client.get(URL, {"q": '"dong bao hiem"'}))["titles"] == [TITLE]


def test_nothing_to_search_for_finds_nothing(client, insurance):
    shown = seen(client.get(URL, {"q": '" * ( ) ^ :'}))
    assert shown["titles"] == []
    assert NO_RESULTS in shown["text"]


def test_2000_characters_are_too_long(client, insurance):
    shown = seen(client.get(URL, {"q": "bảo hiểm " * 250}))
    assert shown["error"] == TOO_LONG
    assert shown["titles"] == []


@pytest.mark.parametrize(
    "raw", ["%20%09%E3%80%80", "%00", "%E2%80%8B%E2%80%AE", "%0D%0A"], ids=str
)
def test_only_blanks_and_invisibles_are_an_empty_search(client, insurance, raw):
    """Spaces (ideographic too), NUL, zero-width and bidi characters: nothing was
    asked, so the search page shows its form, as without a query."""
    shown = seen(client.get(f"{URL}?q={raw}"))
    assert (shown["status"], shown["error"], shown["titles"]) == (None, None, [])
