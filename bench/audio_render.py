"""An audio made into a video (issue 20): ffmpeg's time against the audio's length,
the MP4's size against the estimate the editor's check uses, and the memory.

Usage: .venv/bin/python bench/audio_render.py [--minutes 10 30]

For each length, a tone of that many minutes (a 44.1 kHz stereo WAV, made by ffmpeg)
and a 1200x630 cover (Pillow) go through `publishing/outbox/audio.py::render`, as
when a publication is sent. Printed: wall time and times real time, the MP4's size
against `networks/video.py::estimated_bytes` (which must not be smaller: Zalo's
50 MB check relies on it), ffmpeg's peak resident memory (its own process) and this
process's resident memory before and after (the audio is never read into it).
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from PIL import Image  # noqa: E402

from publishing.networks import VideoRef  # noqa: E402
from publishing.networks.video import estimated_bytes  # noqa: E402
from publishing.outbox import audio  # noqa: E402

MB = 1024 * 1024


def resident_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def tone(path, seconds):
    run = [audio.ffmpeg(), "-v", "error", "-y", "-f", "lavfi"]
    run += ["-i", f"sine=frequency=440:duration={seconds}", "-ac", "2", "-ar", "44100"]
    subprocess.run([*run, str(path)], check=True)


def measure(folder, minutes):
    seconds = minutes * 60
    wav, cover = folder / f"{minutes}.wav", folder / "cover.jpg"
    tone(wav, seconds)
    Image.new("RGB", (1200, 630), "#0b5394").save(cover)
    ref = VideoRef(
        url="", name=wav.name, seconds=seconds, media_type="audio",
        path=str(wav), still=str(cover), size=wav.stat().st_size,
    )  # fmt: skip
    before = resident_mb()
    started = time.perf_counter()
    with audio.as_video_file(ref) as made:
        took = time.perf_counter() - started
        size = os.path.getsize(made.path)
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{minutes} min audio ({wav.stat().st_size / MB:.0f} MB WAV): {took:.1f} s, "
        f"{seconds / took:.0f}x real time; MP4 {size / MB:.1f} MB, estimate "
        f"{estimated_bytes(seconds) / MB:.1f} MB; ffmpeg peak {child:.0f} MB; this "
        f"process {before:.0f} -> {resident_mb():.0f} MB"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, nargs="+", default=[10, 30])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for minutes in args.minutes:
            measure(Path(folder), minutes)


if __name__ == "__main__":
    main()
