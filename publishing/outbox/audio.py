"""An audio (a radio spot, a podcast episode) sent as a video: its still picture
(the article's cover, `VideoRef.still`) and its sound made into an MP4 by ffmpeg
when the publication is sent, then uploaded like any video.

ffmpeg is the static binary of the `imageio-ffmpeg` package (installed by `make
install`; IMAGEIO_FFMPEG_EXE points elsewhere). It reads the audio from storage's
file and writes the MP4 to a temporary directory, removed after the upload: the
file is never held in memory. The MP4 is made anew at each attempt: until a
network finishes an upload nothing shows, and after a lost answer reconciliation
asks for the video id stored at its start (as for any video), so a restart never
leaves a second video. ffmpeg missing or failing fails the publication with the
reason (ContentRejected: no retry)."""

import contextlib
import dataclasses
import os
import re
import subprocess
import tempfile

import imageio_ffmpeg

from publishing.networks import ContentRejected, messages
from publishing.networks.video import AUDIO_KBPS

PICTURE = (
    "scale=1280:720:force_original_aspect_ratio=decrease:out_range=tv,"
    "pad=1280:720:(ow-iw)/2:(oh-ih)/2,format=yuv420p"
)
"""The picture fitted in 1280x720 (16:9, even sides for H.264), TV range."""
DURATION = re.compile(rb"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")


def audio_seconds(path):
    """The duration ffmpeg reads in an audio file's header; None when it cannot."""
    try:
        answer = subprocess.run(
            [ffmpeg(), "-hide_banner", "-nostdin", "-i", path],
            capture_output=True,
            timeout=20,
            check=False,
        )
    except (OSError, RuntimeError, subprocess.SubprocessError):
        return None
    found = DURATION.search(answer.stderr)
    if not found:
        return None
    hours, minutes, seconds = found.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def ffmpeg():
    """The ffmpeg to run (RuntimeError when there is none)."""
    return imageio_ffmpeg.get_ffmpeg_exe()


@contextlib.contextmanager
def as_video(payload):
    """`payload` as it is sent: an audio post's video made first (removed after);
    any other payload unchanged."""
    audio = payload.video
    if payload.kind != "video" or audio is None or audio.media_type != "audio":
        yield payload
        return
    with as_video_file(audio) as video:
        yield dataclasses.replace(payload, video=video)


@contextlib.contextmanager
def as_video_file(audio):
    """The VideoRef of the MP4 made from `audio`, a temporary file while open."""
    with tempfile.TemporaryDirectory(prefix="bhxh-audio-") as folder:
        stem = os.path.splitext(os.path.basename(audio.name))[0] or "audio"
        target = os.path.join(folder, f"{stem}.mp4")
        render(audio, target)
        yield dataclasses.replace(
            audio,
            name=f"{stem}.mp4",
            path=target,
            size=os.path.getsize(target),
            media_type="video",
        )


def render(audio, target):
    """Write the MP4 of `audio` (its still picture, its sound) to `target`."""
    if not audio.path or not audio.still:
        raise ContentRejected(messages.VIDEO_UNREADABLE, code="audio_render")
    try:
        command = [ffmpeg(), *_arguments(audio), target]
    except RuntimeError:
        raise ContentRejected(messages.AUDIO_NO_FFMPEG, code="ffmpeg_missing") from None
    seconds = audio.seconds or 0
    try:
        answer = subprocess.run(
            command, capture_output=True, timeout=120 + seconds, check=False
        )
    except FileNotFoundError:
        raise ContentRejected(messages.AUDIO_NO_FFMPEG, code="ffmpeg_missing") from None
    except subprocess.TimeoutExpired:
        _refuse("timed out")
    if answer.returncode != 0 or not os.path.getsize(target):
        _refuse(_reason(answer.stderr, audio, target))


def _arguments(audio):
    """A still picture, one frame a second, and the sound in AAC: a few kbit/s
    for the picture (networks/video.py's estimate allows PICTURE_KBPS)."""
    length = ["-t", f"{audio.seconds:.3f}"] if audio.seconds else ["-shortest"]
    return [
        "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-loop", "1", "-framerate", "1", "-i", audio.still,
        "-i", audio.path,
        "-map", "0:v:0", "-map", "1:a:0", "-vf", PICTURE,
        "-c:v", "libx264", "-tune", "stillimage", "-preset", "veryfast", "-g", "300",
        "-c:a", "aac", "-b:a", f"{AUDIO_KBPS}k", "-ac", "2", "-ar", "44100",
        *length, "-movflags", "+faststart",
    ]  # fmt: skip


def _reason(stderr, audio, target):
    """ffmpeg's last words, the server's paths left out."""
    text = stderr.decode("utf-8", "replace")
    for path in (audio.path, audio.still, target):
        text = text.replace(path, os.path.basename(path))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "ffmpeg"


def _refuse(reason):
    raise ContentRejected(
        messages.AUDIO_RENDER_FAILED % {"reason": reason.rstrip(".")},
        code="audio_render",
    )
