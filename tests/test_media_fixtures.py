"""The image fixtures (tests/conftest.py): the same pixels every time, encoded once."""

import io
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests.conftest import png_bytes

ROOT = Path(__file__).resolve().parent.parent


def test_a_cover_is_encoded_once_and_handed_out_again():
    first = png_bytes()
    assert png_bytes() is first
    with Image.open(io.BytesIO(first)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
        assert image.getpixel((600, 315)) == (0x0B, 0x53, 0x94)


def test_each_size_and_format_is_its_own_file():
    small, gif = png_bytes(8, 8), png_bytes(8, 8, fmt="GIF")
    with Image.open(io.BytesIO(small)) as image:
        assert image.size == (8, 8)
    assert gif.startswith(b"GIF") and small.startswith(b"\x89PNG")


def test_a_runs_media_folder_is_shared_with_its_processes_then_removed(tmp_path):
    """cms/settings/test.py: the first process makes the folder, the processes it
    starts use the same one, and it is gone when the first exits, files and all
    (each process used to leave a folder of its own in /tmp)."""
    parent = (
        "import pathlib, subprocess, sys\n"
        "import cms.settings.test as s\n"
        "print(s.MEDIA_ROOT)\n"
        "(pathlib.Path(s.MEDIA_ROOT) / 'original_images').mkdir()\n"
        "(pathlib.Path(s.MEDIA_ROOT) / 'original_images' / 'a.png').write_bytes(b'x')\n"
        "child = 'import cms.settings.test as s; print(s.MEDIA_ROOT)'\n"
        "print(subprocess.run([sys.executable, '-c', child], check=True,"
        " capture_output=True, text=True).stdout.strip())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "TEST_MEDIA_ROOT"}
    env["TMPDIR"] = str(tmp_path)
    run = subprocess.run(
        [sys.executable, "-c", parent],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    made, child = run.stdout.split()
    assert made == child
    assert made.startswith(str(tmp_path / "bhxh-test-media-"))
    assert list(tmp_path.iterdir()) == []
