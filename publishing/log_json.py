"""JSON lines logs (`LOG_FORMAT=json`): one object per line for a log collector.

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

from .log_filters import redact

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
