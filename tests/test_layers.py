"""The dependency rule, read from the imports (docs/architecture.md, section 3):
no module of `cms` imports `publishing`, and the modules of `publishing` import each
other without a cycle at module level (an import inside a function runs later and
does not count). The cycles already there are named in KNOWN_CYCLES, so a new one,
or a known one taking in another module, fails; a cycle undone leaves its entry
stale, which fails too, so the list only shrinks."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.helpers import production_env

ROOT = Path(__file__).resolve().parent.parent

# Module-level cycles allowed inside publishing, each the set of modules that import
# each other, directly or through one another: none since issue 16.
KNOWN_CYCLES = []


def modules(package):
    """{dotted name: path} of the package's modules, migrations left out."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _absolute(node, name, is_package):
    """The dotted module an ImportFrom names, its relative dots resolved."""
    if not node.level:
        return node.module or ""
    parts = name.split(".")
    keep = len(parts) - node.level + (1 if is_package else 0)
    base = ".".join(parts[:keep])
    return f"{base}.{node.module}" if node.module else base


def _statements(body, top_level):
    """Import statements of `body`: every one, or those that run on import."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        if top_level and isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        ):
            continue
        if (
            top_level
            and isinstance(node, ast.If)
            and "TYPE_CHECKING" in ast.unparse(node.test)
        ):
            continue
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, field, None)
            if isinstance(children, list):
                yield from _statements(children, top_level)


def imported(source, name, is_package, top_level):
    """The dotted names `source` (the module `name`) imports: for `from X import y`,
    both X and X.y (y may be a submodule)."""
    names = set()
    for node in _statements(ast.parse(source).body, top_level):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        else:
            base = _absolute(node, name, is_package)
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return names


def import_graph(package, top_level=True):
    """{module: the modules of the same package it imports}."""
    known = modules(package)
    graph = {}
    for name, path in known.items():
        is_package = path.name == "__init__.py"
        targets = imported(path.read_text(), name, is_package, top_level)
        graph[name] = {t for t in targets if t in known and t != name}
    return graph


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


# The layers of publishing, top to bottom (docs/architecture.md, "The layout"). A
# module imports modules of lower layers, and of its own layer only inside its own
# concern (its folder): planning never imports metrics, outbox never imports
# planning. Wiring (views, hooks, the scheduler, commands) may import anything.
WIRING = 6
LAYERS = {
    "editor": 5,
    "planning": 5,
    "metrics": 5,
    "incidents": 5,
    "inbox": 5,
    "outbox": 4,
    "channels": 3,
    "networks": 2,
    "models": 1,
}
BASE = {"conf", "lifecycle", "crypto", "permissions", "signals"}
WIRING_MODULES = {
    "apps",
    "checks",
    "wagtail_hooks",
    "home_panels",
    "scheduler",
    "health",
    "shortlinks",
    "demo",
    "management",
    "templatetags",
}


def place(name):
    """(layer, concern) of a module of publishing."""
    parts = name.split(".")[1:]
    if not parts or parts[0] in BASE:
        return 1, "base"
    if parts[0] in WIRING_MODULES or "views" in parts:
        return WIRING, "wiring"
    if parts[0] not in LAYERS:
        raise AssertionError(f"{name}: no layer; add its folder to LAYERS")
    return LAYERS[parts[0]], parts[0]


def layer_violations(graph):
    """[(importer, imported)] against the layers."""
    found = []
    for name, targets in sorted(graph.items()):
        layer, concern = place(name)
        for target in sorted(targets):
            their_layer, their_concern = place(target)
            if layer == WIRING or their_layer < layer:
                continue
            if their_layer == layer and (their_concern == concern or layer == 1):
                continue
            found.append((name, target))
    return found


def test_publishing_layers_go_one_way():
    """Every import counts, those inside functions too: a lazy import is still a
    dependency."""
    assert layer_violations(import_graph("publishing", top_level=False)) == []


def test_a_layer_violation_is_found():
    graph = {
        "publishing.outbox.send": {"publishing.metrics.engagement"},
        "publishing.planning.actions": {"publishing.metrics.rollups"},
        "publishing.metrics.rollups": {"publishing.outbox.locks"},
        "publishing.planning.views.bulk": {"publishing.metrics.rollups"},
        "publishing.models.channels": {"publishing.planning.slots"},
        "publishing.networks.zalo": {"publishing.conf"},
    }
    assert layer_violations(graph) == [
        ("publishing.models.channels", "publishing.planning.slots"),
        ("publishing.outbox.send", "publishing.metrics.engagement"),
        ("publishing.planning.actions", "publishing.metrics.rollups"),
    ]


def test_cms_never_imports_publishing():
    offenders = {}
    for name, path in modules("cms").items():
        is_package = path.name == "__init__.py"
        names = imported(path.read_text(), name, is_package, top_level=False)
        bad = sorted(n for n in names if n.split(".")[0] == "publishing")
        if bad:
            offenders[name] = bad
    assert offenders == {}


def is_sandbox(name):
    """The sandbox, where it lives (the top-level app) or if it moved back into
    publishing."""
    return name == "sandbox" or name.startswith(("sandbox.", "publishing.sandbox"))


def test_cms_and_publishing_never_import_the_sandbox():
    """The sandbox is a development tool with an unauthenticated control API:
    production code neither holds it nor imports it."""
    offenders = {}
    for package in ("cms", "publishing"):
        for name, path in modules(package).items():
            is_package = path.name == "__init__.py"
            names = imported(path.read_text(), name, is_package, top_level=False)
            bad = sorted(n for n in names if is_sandbox(n))
            if bad or is_sandbox(name):
                offenders[name] = bad
    assert offenders == {}


@pytest.mark.external_clock  # a process of its own, on the real clock
def test_only_dev_and_test_settings_install_the_sandbox():
    script = (
        "import importlib, json\n"
        "print(json.dumps({m: importlib.import_module('cms.settings.' + m)"
        ".INSTALLED_APPS for m in ('dev', 'test', 'production')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    apps = json.loads(result.stdout)
    assert "sandbox" in apps["dev"]
    assert "sandbox" in apps["test"]
    assert not [app for app in apps["production"] if "sandbox" in app]


def test_no_new_import_cycle_in_publishing():
    known = {frozenset(cycle) for cycle in KNOWN_CYCLES}
    new = [sorted(c) for c in cycles(import_graph("publishing")) if c not in known]
    assert new == []


def test_the_known_cycles_are_still_there():
    found = set(cycles(import_graph("publishing")))
    stale = [sorted(cycle) for cycle in KNOWN_CYCLES if frozenset(cycle) not in found]
    assert stale == []


def test_the_reader_sees_what_runs_on_import():
    source = (
        "import publishing.models\n"
        "from . import sharing\n"
        "from ..networks import base as b\n"
        "if TYPE_CHECKING:\n"
        "    from .compose import problems\n"
        "try:\n"
        "    from .slots import next_slot\n"
        "except ImportError:\n"
        "    pass\n"
        "class Form:\n"
        "    from .lifecycle import TONES\n"
        "def later():\n"
        "    from .actions import cancel\n"
    )
    top = imported(source, "publishing.views.bulk", False, top_level=True)
    assert top == {
        "publishing.models",
        "publishing.views",
        "publishing.views.sharing",
        "publishing.networks",
        "publishing.networks.base",
        "publishing.views.slots",
        "publishing.views.slots.next_slot",
        "publishing.views.lifecycle",
        "publishing.views.lifecycle.TONES",
    }
    every = imported(source, "publishing.views.bulk", False, top_level=False)
    assert "publishing.views.actions" in every
    assert "publishing.views.compose" in every


def test_a_cycle_is_found_and_a_chain_is_not():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [frozenset({"a", "b", "c"})]
    assert cycles({"a": {"b"}, "b": set()}) == []
