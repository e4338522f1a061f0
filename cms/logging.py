"""The site's logging classes, named by `LOGGING` in cms/settings/base.py.

Filters keep secrets out of log output, whatever library wrote the record.

`JsonLines` (`LOG_FORMAT=json`): one object per line for a log collector.

`{"time", "level", "logger", "message", "process", ...extra fields}`, with the
exception's traceback under "exception". The standard library's `logging.Formatter`
is enough for this; a package (python-json-logger) would add a dependency for the
same forty lines, and we must control what is written anyway: secrets are masked
here as well as by `RedactSecrets`, in the message, the traceback and every extra
field, so a handler configured without the filter cannot leak a token either.
"""

import datetime
import json
import logging
import re

# access_token=..., "access_token": "...", secret_key / refresh_token / code values.
_SECRET = re.compile(
    r"(?P<key>access_token|refresh_token|page_token|user_token|secret_key|"
    r"client_secret|fb_exchange_token|input_token|code_verifier)"
    r"(?P<sep>[\"']?\s*[:=]\s*[\"']?)(?P<value>[^&\s\"',}]+)",
    re.IGNORECASE,
)


def redact(text):
    return _SECRET.sub(lambda m: f"{m['key']}{m['sep']}***", text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message with token values masked (never drops it), and
    its traceback: an exception from requests names the URL it called, query
    string and all."""

    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Formatters use exc_text when it is set, instead of formatting again.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class DropOverlapNotices(logging.Filter):
    """Drops APScheduler's "skipped: maximum number of running instances" warning.

    A dispatch run that drains a backlog outlasts the interval on purpose; the next
    run starting is skipped and the running one carries on. Other warnings stay.
    """

    def filter(self, record):
        return "maximum number of running instances" not in str(record.msg)


# JSON lines ---------------------------------------------------------------------
# Every attribute a plain LogRecord has; anything else came in `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
}
# Extra fields whose value is a secret whatever it looks like.
_SECRET_NAME = re.compile(
    r"token|secret|password|passwd|credential|authorization|cookie|api_?key|"
    r"signature|session",
    re.IGNORECASE,
)
MASK = "***"


def _clean(value, depth=0):
    """A JSON-safe copy of `value` with secrets masked."""
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if depth < 4 and isinstance(value, dict):
        return {
            str(k): MASK if _SECRET_NAME.search(str(k)) else _clean(v, depth + 1)
            for k, v in value.items()
        }
    if depth < 4 and isinstance(value, list | tuple | set | frozenset):
        return [_clean(item, depth + 1) for item in value]
    return redact(str(value))


class JsonLines(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_") or key in entry:
                continue
            entry[key] = MASK if _SECRET_NAME.search(key) else _clean(value)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)
