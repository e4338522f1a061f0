"""The production smoke test's installation starts as soon as the tests are chosen
(tests/security/deployment.py says why)."""

from tests.security import deployment


def pytest_collection_finish(session):
    deployment.start(session)


def pytest_sessionfinish(session):
    deployment.finish(session)
