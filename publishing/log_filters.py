"""Keep secrets out of log output, whatever library wrote the record."""

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
