import logging

from publishing.log_filters import RedactSecrets, redact


def test_tokens_are_masked_in_urls_json_and_headers():
    assert redact("GET /v24.0/me?access_token=EAAB123&fields=id") == (
        "GET /v24.0/me?access_token=***&fields=id"
    )
    assert (
        redact('{"refresh_token": "r-123", "n": 1}')
        == '{"refresh_token": "***", "n": 1}'
    )
    assert redact("secret_key: s3cr3t") == "secret_key: ***"
    assert redact("nothing secret here") == "nothing secret here"


def test_the_filter_rewrites_records_and_keeps_them():
    record = logging.LogRecord(
        "urllib3", logging.DEBUG, __file__, 1, "GET %s", ("/x?access_token=abc",), None
    )
    assert RedactSecrets().filter(record) is True
    assert record.getMessage() == "GET /x?access_token=***"
