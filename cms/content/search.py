"""What a visitor types into the public search, made safe for the full-text engine.

The query never reaches SQLite FTS5 or PostgreSQL as typed: a stray `"`, `*`, `NEAR(`,
`^` or `:` is FTS5 syntax (an error, hence a 500), and NUL is refused by both
databases. Only words (folded to lower-case ASCII, as the index is) and quoted
phrases remain, and Wagtail's own query classes (`PlainText`, `Phrase`) carry
them, so the search backend does the quoting.
"""

import re
import unicodedata

from wagtail.search.utils import parse_query_string

from cms.content.models import fold

# Quotes people type on phones and in other scripts mark a phrase as `"` does.
QUOTES = str.maketrans(dict.fromkeys("“”„‟«»", '"'))
NOT_A_WORD = re.compile(r'[^\w"]+')
NOT_FOLDED = re.compile(r'[^a-z0-9"]+')


def clean(text):
    """The query as shown back: full-width forms made plain (NFKC: `＂` is `"`,
    `Ｂ` is `B`), and control, format (bidi overrides, zero-width), private-use
    and unassigned characters, which nobody means to search for, made spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return " ".join(text.split())


def search_query(text):
    """The words and "phrases" of a cleaned query as a Wagtail search query (all
    of them must match), or None when nothing searchable is left."""
    words = NOT_A_WORD.sub(" ", text.translate(QUOTES))  # emoji, operators, ...
    folded = NOT_FOLDED.sub(" ", fold(words))
    _filters, query = parse_query_string(folded, operator="and", zero_terms=None)
    return query
