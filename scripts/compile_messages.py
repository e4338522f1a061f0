"""Compile locale/**/*.po to .mo with polib: no dependency on GNU gettext."""

import sys
from pathlib import Path

import polib

BASE = Path(__file__).resolve().parent.parent
ROOTS = [BASE / "locale", BASE / "locale_overrides"]


def main():
    count = 0
    for po_path in sorted(p for root in ROOTS for p in root.glob("*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    print(f"compiled {count} catalogue(s)", file=sys.stderr)


if __name__ == "__main__":
    main()
