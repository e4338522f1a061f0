"""The map stays true: every path docs/architecture.md and the README name exists
(the layout tree, the concern tables, the answers), a `path::name` names something
in that file, and no file sends a reader to documents outside the repository."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"
README = ROOT / "README.md"

# Built from parts so that this file does not name them itself.
OUTSIDE = ["../" + "shared/"] + [
    name + ".md" for name in ("DESIGN", "PLATFORMS", "DOMAIN", "RECIPES", "STYLE")
]
TOP_LEVEL = (
    "cms/",
    "publishing/",
    "tests/",
    "bench/",
    "docs/",
    "scripts/",
    "locale/",
    "locale_overrides/",
)
SKIPPED = {".git", ".venv", "var", "media", "static_collected", "node_modules"}


def tracked_files():
    """The repository's files: git's list, or the tree without what git ignores."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        return [ROOT / name for name in listed.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        return [
            path
            for path in ROOT.rglob("*")
            if path.is_file() and not SKIPPED & set(path.relative_to(ROOT).parts)
        ]


def layout_tree():
    """Paths of the code block under "Layout": two spaces of indent per level."""
    text = ARCHITECTURE.read_text()
    section = text[text.index("## 3. Layout") :]
    block = section.split("```text\n", 1)[1].split("```", 1)[0]
    paths, parents = [], []
    for line in block.splitlines():
        if not line.strip():
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        name = line.split()[0]
        parents = parents[:depth] + [name]
        paths.append("".join(parents))
    return paths


def named_paths(document):
    """Every `path` or `path::name` in backticks under one of the top folders."""
    found = []
    for token in re.findall(r"`([^`\s]+)`", document.read_text()):
        if token.startswith(TOP_LEVEL):
            path, _sep, names = token.partition("::")
            found.append((path, names))
    return found


def test_no_file_points_outside_the_repository():
    offending = []
    for path in tracked_files():
        if not path.is_file():
            continue  # deleted in the working copy, not yet committed
        text = path.read_bytes().decode("utf-8", errors="ignore")
        offending += [
            f"{path.relative_to(ROOT)}: {name}" for name in OUTSIDE if name in text
        ]
    assert offending == []


def test_the_layout_tree_lists_folders_and_modules_that_exist():
    paths = layout_tree()
    assert "publishing/outbox/" in paths and "cms/core/" in paths
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert missing == []
    not_folders = [p for p in paths if p.endswith("/") and not (ROOT / p).is_dir()]
    assert not_folders == []


@pytest.mark.parametrize("document", [ARCHITECTURE, README], ids=lambda p: p.name)
def test_every_path_named_exists(document):
    named = named_paths(document)
    assert len(named) > 20
    missing = [path for path, _names in named if not (ROOT / path).exists()]
    assert missing == []


def test_every_name_after_a_path_is_in_that_file():
    unknown = []
    for path, names in named_paths(ARCHITECTURE):
        if not names or not (ROOT / path).is_file():
            continue
        text = (ROOT / path).read_text()
        unknown += [
            f"{path}::{name}"
            for name in names.split("::")[-1].split(".")
            if not re.search(rf"\b{re.escape(name)}\b", text)
        ]
    assert unknown == []


def test_the_concern_tables_cover_each_concern():
    for document in (ARCHITECTURE, README):
        rows = re.findall(r"^\| ([^|`]+) \| `", document.read_text(), re.MULTILINE)
        concerns = " ".join(rows)
        for concern in (
            "editing articles",
            "share tab",
            "calendar",
            "outbox",
            "networks",
            "sandbox",
            "dashboard",
            "notifications",
            "channels",
            "roles",
            "offline records",
            "settings",
            "tests",
            "bench",
            "docs",
        ):
            assert concern in concerns, (document.name, concern)
