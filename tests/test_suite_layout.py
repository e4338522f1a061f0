"""The suite's own layout: a test module never imports another test module. Shared
factories, helpers and fixtures live in each package's `factories.py`, `helpers.py`
and `conftest.py`, so a module can be run, moved or deleted alone."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def is_test_module(dotted):
    return dotted.rsplit(".", 1)[-1].startswith("test_")


def imported_test_modules(source, package):
    """The dotted names of the test modules that `source` imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = (
                    package.rsplit(".", node.level - 1)[0]
                    if node.level > 1
                    else package
                )
                base = f"{parent}.{base}" if base else parent
            if is_test_module(base):
                found.append(base)
            found += [
                f"{base}.{alias.name}"
                for alias in node.names
                if is_test_module(alias.name)
            ]
    return found


def test_no_test_module_imports_another():
    offenders = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        package = ".".join(path.parent.relative_to(TESTS.parent).parts)
        imported = imported_test_modules(path.read_text(), package)
        if imported:
            offenders[str(path.relative_to(TESTS.parent))] = imported
    assert offenders == {}


def test_the_check_sees_every_form_of_import():
    source = (
        "import tests.publishing.test_dispatch\n"
        "from tests.e2e import test_share_journey as share\n"
        "from tests.publishing.test_bulk import channel\n"
        "from .test_facebook import capture_logs\n"
        "def later():\n"
        "    from tests.publishing.test_zalo import FAST\n"
        "from tests.publishing.factories import due\n"
        "from . import helpers\n"
    )
    assert imported_test_modules(source, "tests.publishing") == [
        "tests.publishing.test_dispatch",
        "tests.e2e.test_share_journey",
        "tests.publishing.test_bulk",
        "tests.publishing.test_facebook",
        "tests.publishing.test_zalo",
    ]
