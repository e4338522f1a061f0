"""What a Vietnamese reader of an admin screen meets that is still English.

Used by tests/test_vietnamese_admin.py. A screen's texts are its text nodes (those in
<template> included: Wagtail keeps dialogs and dropdowns there), the attributes people
read or hear, and the strings of the JSON the admin's JavaScript renders (StreamField
block labels, comment and tooltip texts). A text is "untranslated" when:
- it is the msgid of an installed catalogue (Wagtail, wagtailmedia, Django, ours) that
  has no Vietnamese in the active catalogues, or such a msgid with its placeholders
  filled in (a message such as "Kênh 'Trang Bắc Sơn' updated."); or
- (text nodes and read attributes only) it has no Vietnamese letter and contains a
  common English word (month and day names included), and is not an allowed proper
  name; or it writes a date, a time or a number another way than dd/mm/yyyy, HH:MM
  and 1.234.567.
"""

import json
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import taggit
import wagtail
import wagtailmedia
from django.conf import settings
from django.utils import translation

READ_ATTRIBUTES = {
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "alt",
    "data-w-tooltip-content-value",
    "data-w-progress-active-value",
    "data-w-clipboard-success-value",
    "data-w-dialog-title-value",
    "data-w-dropdown-label-value",
}
# Words that make an ASCII-only text English (UI words and function words).
ENGLISH_WORDS = set(
    """
    the and of to your you this that these no not is are was be been for with from
    by at in on or if it its an as all any more less than there here what which who
    when where how will would can could should must has have had do does did none
    add edit delete save cancel search filter filters status title date view page pages
    image images document documents actions action settings sort order live draft
    user users create new show hide close select choose upload file files next previous
    back home help account name type yes owner updated created preview history
    publish published unpublish unpublished submit submitted approve approved reject
    rejected comment comments workflow task tasks locked unlock lock revision
    revisions compare current latest earliest clear apply reset results result
    showing found item items collection collections report reports dashboard
    channel channels audio snippet snippets site sites group groups
    password email logout log out sign profile notifications language time zone
    privacy public private copy move usage used children child parent subpage
    explorer toggle sidebar skip main content loading saving error warning
    success info message messages required optional field fields help_text default
    choose_page insert link links external anchor phone alt text caption format
    width height size focal point crop original download replace tag tags
    today yesterday tomorrow ago just now minute minutes hour hours day days week
    weeks month months year years never ever always unknown empty nothing
    january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday
    wednesday thursday friday saturday sunday mon tue wed thu fri sat sun noon
    midnight hello please below above
    """.split()
)
# Dates, times and numbers not written the Vietnamese way (dd/mm/yyyy, HH:MM,
# 1.234.567): ISO or dashed dates, 12-hour times, "," digit grouping.
FOREIGN_FORMAT = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}-\d{1,2}-\d{4}\b"
    r"|\b\d{1,2}:\d{2}\s?[ap]\.?m\b|\b\d{1,3}(?:,\d{3})+\b",
    re.IGNORECASE,
)
# Names read as they are, in Vietnamese texts as in English ones.
ALLOWED = {
    "Wagtail",
    "Facebook",
    "Zalo",
    "Zalo OA",
    "OA",
    "CSV",
    "XLSX",
    "URL",
    "Email",
    "email",
    "admin",
    "ID",
    "HTML",
    "PDF",
    "Ctrl",
    "Esc",
    "Video",
    # The bulk file's codes of the kinds of post ("link, photo, photos, video"):
    # "video" is also a Vietnamese word.
    "video",
    # Provinces (Zalo's targeting table) whose Vietnamese names are English words
    # without their diacritics ("an", "long").
    "An Giang",
    "Long An",
}
# Wagtail 8.0 writes these in English in its templates, outside any catalogue: the
# screen-reader-only submit button of the header's and the home page's search forms
# (`<input type="submit" value="Search">`, hidden by `w-sr-only`), and Python's None
# where a value is missing (the aging pages report's "last published by" of a page
# published by no user, as seed_demo publishes).
WAGTAIL_HARDCODED = {"Search", "None"}
VIETNAMESE_LETTER = re.compile(r"[^\x00-\x7f]")
# Read as they are: keyboard shortcuts, and one-word identifiers (time zone names,
# file names, model labels, URLs) such as "Asia/Ho_Chi_Minh" or "cms_content.page".
SHORTCUT = re.compile(r"(?:(?:Ctrl|Alt|Shift|Cmd|Option)\s*\+\s*)+\S+")
# An authenticator's secret key as the enrolment screen writes it, in groups of four
# base32 characters ("URAX WLLV 7D2W 5WHO ..."): random, so it may hold a "WHO".
SECRET_KEY = re.compile(r"[A-Z2-7]{4}(?: [A-Z2-7]{4}){5,}(?: [A-Z2-7]{1,3})?")
IDENTIFIER = re.compile(r"[^\s]*[_./@:-][^\s]*")
WORD = re.compile(r"[A-Za-z]+")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
SITE_PACKAGES = Path(django.__file__).parent.parent
FRAGMENTS = sorted((Path(settings.BASE_DIR) / "locale" / "fragments").glob("*.po"))


def normalise(text):
    return " ".join(text.split())


def catalogue_paths():
    """The English .po of every app we run (they list all its msgids), and ours."""
    return [
        *Path(wagtail.__file__).parent.glob("**/locale/en/LC_MESSAGES/django*.po"),
        *Path(wagtailmedia.__file__).parent.glob("locale/en/LC_MESSAGES/django*.po"),
        *Path(taggit.__file__).parent.glob("locale/en/LC_MESSAGES/django*.po"),
        *(SITE_PACKAGES / "django").glob("**/locale/en/LC_MESSAGES/django*.po"),
        *(Path(settings.BASE_DIR) / "locale").glob("vi/LC_MESSAGES/django*.po"),
        *FRAGMENTS,
    ]


@cache
def known_msgids():
    """{normalised English text: {(context, msgid, msgid_plural)}}."""
    found = {}
    for path in catalogue_paths():
        for entry in polib.pofile(str(path)):
            for text in (entry.msgid, entry.msgid_plural):
                if text and len(text) > 1:
                    key = normalise(text)
                    found.setdefault(key, set()).add(
                        (entry.msgctxt, entry.msgid, entry.msgid_plural)
                    )
    return found


@cache
def pending_translations():
    """Patterns of the msgids translated in a fragment (locale/fragments/*.po) that
    the lead has not merged into the catalogue yet: translated, just not compiled.
    A placeholder matches any text, as the rendered string has it filled in."""
    patterns = []
    for path in FRAGMENTS:
        for entry in polib.pofile(str(path)):
            if not (entry.msgstr or any(entry.msgstr_plural.values())):
                continue
            for text in (entry.msgid, entry.msgid_plural):
                if text:
                    parts = PLACEHOLDER.split(normalise(text))
                    patterns.append(re.compile(".+?".join(map(re.escape, parts))))
    return patterns


def pending(text):
    return any(pattern.fullmatch(text) for pattern in pending_translations())


def has_vietnamese(context, msgid, plural):
    if plural:
        return any(
            translation.ngettext(msgid, plural, n) not in (msgid, plural)
            for n in (1, 2)
        )
    if context:
        return translation.pgettext(context, msgid) != msgid
    return translation.gettext(msgid) != msgid


@cache
def untranslated_templates():
    """[(longest literal part, pattern)] of the msgids with placeholders that no
    active catalogue translates and whose own words are English (one of four letters
    at least: a shorter one such as "in" or "to" is a Vietnamese word too). Rendered,
    their placeholders are filled in, so the text is no msgid itself."""
    found = []
    with translation.override("vi"):
        for key, entries in known_msgids().items():
            parts = PLACEHOLDER.split(key)
            if len(parts) < 2:
                continue
            words = [w.lower() for part in parts for w in WORD.findall(part)]
            if not any(len(w) > 3 and w in ENGLISH_WORDS for w in words):
                continue
            if any(has_vietnamese(*entry) for entry in entries):
                continue
            pattern = re.compile(".+?".join(map(re.escape, parts)))
            found.append((max(parts, key=len), pattern))
    return found


def filled_in_gap(text):
    return any(
        literal in text and pattern.fullmatch(text)
        for literal, pattern in untranslated_templates()
    )


@cache
def catalogue_gap(text):
    """True when `text` is a msgid no active catalogue translates to Vietnamese, or
    one with its placeholders filled in."""
    if pending(text):
        return False
    entries = known_msgids().get(text)
    if not entries:
        return filled_in_gap(text)
    with translation.override("vi"):
        return not any(has_vietnamese(*entry) for entry in entries)


# Where Wagtail joins texts into one: "Exploring: Tin tức" (a header or tab title),
# "… - Truyền thông BHXH" (the tab title's branding).
JOINED = re.compile(r": | - ")


def parts_gap(text):
    """A msgid no catalogue translates inside a joined title, or as a label:
    Django writes a field's verbose name ("meta description") with a capital."""
    parts = [part.strip() for part in JOINED.split(text)] if JOINED.search(text) else []
    for part in [text, *parts]:
        if part in ALLOWED:
            continue
        lowered = part[:1].lower() + part[1:]
        if (part != text and catalogue_gap(part)) or (
            lowered != part and catalogue_gap(lowered)
        ):
            return True
    return False


def looks_english(text):
    if text in ALLOWED or VIETNAMESE_LETTER.search(text):
        return False
    if SHORTCUT.fullmatch(text) or IDENTIFIER.fullmatch(text):
        return False
    if SECRET_KEY.fullmatch(text):
        return False
    words = [w.lower() for w in WORD.findall(text)]
    return any(w in ENGLISH_WORDS for w in words)


def json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def parse_json(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


class ScreenReader(HTMLParser):
    """Collects (text, judged by the English heuristic too) for everything a screen
    shows, as the parser goes (no tree: a tenth of BeautifulSoup's time)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts = []
        self.raw = None  # inside <script> or <style>: (tag, is JSON, chunks)
        self.muted = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag in ("script", "style"):
            self.raw = (tag, attrs.get("type") == "application/json", [])
        # Wagtail prints Python's None in the side panel toggles' hidden counters,
        # which its JavaScript fills with a number before showing them.
        if "data-side-panel-toggle-counter" in attrs:
            self.muted = tag
        for name, value in attrs.items():
            self.read_attribute(tag, attrs, name, value)

    def read_attribute(self, tag, attrs, name, value):
        if name in READ_ATTRIBUTES:
            self.texts.append((value, tag != "svg"))
        elif name == "value" and tag == "input":
            if attrs.get("type") in ("submit", "button"):
                if value not in WAGTAIL_HARDCODED:
                    self.texts.append((value, True))
        elif name.startswith("data-") and value[:1] in ("{", "["):
            self.read_json(value)

    def read_json(self, text):
        for string in json_strings(parse_json(text)):
            if not string.islower():  # not a key such as "images"
                self.texts.append((string, False))

    def handle_endtag(self, tag):
        if self.raw and tag == self.raw[0]:
            if self.raw[1]:
                self.read_json("".join(self.raw[2]))
            self.raw = None
        if tag == self.muted:
            self.muted = None

    def handle_data(self, data):
        if self.raw:
            self.raw[2].append(data)
        elif not self.muted:
            self.texts.append((data, True))


def screen_texts(html):
    reader = ScreenReader()
    reader.feed(html)
    reader.close()
    return reader.texts


def untranslated(html):
    """The texts of `html` a Vietnamese reader would find in English."""
    found = set()
    for raw, heuristic in screen_texts(html):
        text = normalise(raw)
        if not text or text in ALLOWED or SHORTCUT.fullmatch(text):
            continue
        if text == "None":  # see WAGTAIL_HARDCODED
            continue
        if pending(text):
            continue
        if catalogue_gap(text) or parts_gap(text):
            found.add(text)
        elif heuristic and looks_english(text):
            found.add(text)
        elif heuristic and FOREIGN_FORMAT.search(text):
            found.add(text)
    return found


def response_html(response):
    """The HTML of a response: the page itself, or a chooser's JSON `html`."""
    kind = response.get("Content-Type", "")
    if kind.startswith("application/json"):
        data = parse_json(response.content.decode())
        return data.get("html", "") if isinstance(data, dict) else ""
    if kind.startswith("text/html"):
        return response.content.decode()
    return ""


class FormReader(HTMLParser):
    """The fields of each POST form of a screen, as a browser sends them untouched:
    [(action, [(name, value), ...])]. Enough to save an editor as it stands."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.fields, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.fields = []
            self.forms.append((attrs.get("action", ""), self.fields))
        if self.fields is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file", "image"):
                unset = "on" if kind in ("checkbox", "radio") else ""
                self.fields.append((name, attrs.get("value", unset)))
        elif tag == "select" and name:
            self.select = (name, [], "multiple" in attrs)
        elif tag == "option" and self.select is not None:
            self.select[1].append((attrs.get("value"), "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea = (name, [])

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            name, options, multiple = self.select
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not multiple:
                chosen = [options[0][0]]
            self.fields.extend((name, value or "") for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, chunks = self.textarea
            self.fields.append((name, "".join(chunks).removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.fields = None


def form_data(html):
    """The largest POST form of `html`, as {name: value or [values]}."""
    reader = FormReader()
    reader.feed(html)
    reader.close()
    _action, fields = max(reader.forms, key=lambda form: len(form[1]))
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return {
        name: values[0] if len(values) == 1 else values for name, values in data.items()
    }
