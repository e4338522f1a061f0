"""What every network does with a video: the checks against its limits, and the
file sent in pieces.

A video is never held whole in memory: `pieces` reads the stored file chunk by
chunk (Facebook's resumable transfer), and `MultipartFile` streams one file as a
multipart/form-data body with its length known (requests sends an object with
`__iter__` and `__len__` as it goes; its own `files=` builds the whole body in
memory).
"""

import os
import secrets
import struct

from publishing.networks import messages
from publishing.networks.base import ContentRejected

PIECE = 1024 * 1024
"""Bytes read from storage at a time."""
AUDIO_KBPS = 128
"""The AAC bitrate of a video made from an audio (publishing/outbox/audio.py)."""
PICTURE_KBPS = 32
"""What its still picture may add at most (H.264, one frame a second): the MP4's
size is estimated from the audio's duration at AUDIO_KBPS + PICTURE_KBPS."""


def video_problems(network, payload):
    """What stops `payload.video` from going out on `network` (a BaseNetwork or
    its class), the figures in each sentence."""
    video = payload.video
    if video is None:
        return [messages.VIDEO_MISSING]
    if video.media_type == "audio":
        return audio_problems(network, video)
    problems, label = [], network.label
    if video.format not in network.video_formats:
        problems.append(
            messages.VIDEO_FORMAT
            % {
                "format": video.format or "?",
                "network": label,
                "formats": ", ".join(network.video_formats),
            }
        )
    limit = network.max_video_bytes
    if limit and video.size and video.size > limit:
        problems.append(
            messages.VIDEO_TOO_BIG
            % {"size": _mb(video.size), "network": label, "max": _mb(limit)}
        )
    longest = network.max_video_seconds
    if longest and video.seconds and video.seconds > longest:
        problems.append(
            messages.VIDEO_TOO_LONG
            % {
                "length": messages.duration_text(video.seconds),
                "network": label,
                "max": messages.duration_text(longest),
            }
        )
    return problems


def audio_problems(network, audio):
    """What stops an audio from going out on `network` as a video of its still
    picture: no picture, or its duration, or the MP4's estimated size, too much."""
    label, kbps = network.label, AUDIO_KBPS + PICTURE_KBPS
    problems = [] if audio.still else [messages.AUDIO_NO_PICTURE]
    longest, seconds = network.max_video_seconds, audio.seconds
    if longest and seconds and seconds > longest:
        problems.append(
            messages.AUDIO_TOO_LONG
            % {
                "length": messages.duration_text(seconds),
                "network": label,
                "max": messages.duration_text(longest),
            }
        )
    limit = network.max_video_bytes
    if limit and seconds and estimated_bytes(seconds) > limit:
        problems.append(
            messages.AUDIO_TOO_BIG
            % {
                "length": messages.duration_text(seconds),
                "size": _mb(estimated_bytes(seconds)),
                "kbps": kbps,
                "network": label,
                "max": _mb(limit),
            }
        )
    return problems


def estimated_bytes(seconds):
    """The size of the MP4 made from an audio of `seconds`, at most."""
    return int(seconds * (AUDIO_KBPS + PICTURE_KBPS) * 1000 / 8)


def _mb(size):
    return f"{size / 1024 / 1024:.0f}" if size >= 1024 * 1024 else "< 1"


def opened(video):
    """The video's file, opened for reading; ContentRejected when it is gone."""
    try:
        return open(video.path, "rb")  # noqa: SIM115  (the caller closes it)
    except (OSError, TypeError):
        raise ContentRejected(messages.VIDEO_UNREADABLE) from None


def piece(source, start, end):
    """Bytes `start` to `end` of an open file (one transfer chunk)."""
    source.seek(start)
    return source.read(end - start)


class MultipartFile:
    """One file (and a few text fields) as a streamed multipart/form-data body."""

    def __init__(self, field, source, filename, size, fields=None, mime="video/mp4"):
        self.boundary = secrets.token_hex(16)
        head = "".join(
            f"--{self.boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"\r\n\r\n{value}\r\n'
            for name, value in (fields or {}).items()
        )
        head += (
            f"--{self.boundary}\r\nContent-Disposition: form-data; "
            f'name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: {mime}\r\n\r\n"
        )
        self.head = head.encode()
        self.tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.source, self.size = source, size

    @property
    def content_type(self):
        return f"multipart/form-data; boundary={self.boundary}"

    def __len__(self):
        return len(self.head) + self.size + len(self.tail)

    def __iter__(self):
        yield self.head
        self.source.seek(0)
        while chunk := self.source.read(PIECE):
            yield chunk
        yield self.tail


def mp4_seconds(path):
    """An MP4/QuickTime file's duration from its `moov/mvhd` box (None when it
    cannot be read): the top-level boxes are skipped by their sizes, so only a
    few bytes are read wherever the `moov` box is."""
    try:
        with open(path, "rb") as source:
            end = os.fstat(source.fileno()).st_size
            moov = _box(source, 0, end, b"moov")
            mvhd = moov and _box(source, moov[0], moov[1], b"mvhd")
            if not mvhd:
                return None
            source.seek(mvhd[0])
            version = source.read(4)[0]
            if version == 1:
                _, scale, duration = struct.unpack(">16sIQ", source.read(28))
            else:
                _, scale, duration = struct.unpack(">8sII", source.read(16))
    except (OSError, TypeError, struct.error, IndexError):
        return None
    return duration / scale if scale else None


def _box(source, start, end, name):
    """(content start, content end) of the first box `name` in [start, end)."""
    position = start
    while position + 8 <= end:
        source.seek(position)
        size, kind = struct.unpack(">I4s", source.read(8))
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", source.read(8))[0], 16
        elif size == 0:
            size = end - position
        if size < header:
            return None
        if kind == name:
            return position + header, position + size
        position += size
    return None
