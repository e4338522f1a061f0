import logging

from cms.logging import RedactSecrets, redact


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


def test_the_scheduler_drops_only_apschedulers_overlap_notice():
    """Configured in settings: the skipped-run notice of a long dispatch is dropped."""
    seen = []
    handler = logging.Handler()
    handler.emit = seen.append
    logger = logging.getLogger("apscheduler.scheduler")
    logger.addHandler(handler)
    try:
        logger.warning(
            'Execution of job "%s" skipped: maximum number of running instances '
            "reached (%d)",
            "dispatch_job",
            1,
        )
        logger.warning('Run time of job "%s" was missed by %s', "dispatch_job", "0:01")
    finally:
        logger.removeHandler(handler)
    assert [r.getMessage() for r in seen] == [
        'Run time of job "dispatch_job" was missed by 0:01'
    ]
