"""Serve the network sandbox (fake Graph API + Zalo OA) until Ctrl-C.

A development tool: it listens on loopback only, because its control API has no
authentication and its data is whatever anyone posted.
"""

import ipaddress
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sandbox.server import main


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Command(BaseCommand):
    help = (
        "Chạy sandbox mạng xã hội (Graph API và Zalo OA giả lập) trên một cổng; "
        "Ctrl-C để dừng. Chỉ dùng khi phát triển."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8100)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--state",
            default=str(Path(settings.VAR_DIR) / "sandbox.json"),
            help="JSON file holding the sandbox's data (created when missing).",
        )
        parser.add_argument(
            "--simulate",
            action="store_true",
            help="Simulated audiences: engagement and follower counts grow over time "
            "(the demo of `make run`; off by default, and in tests).",
        )
        parser.add_argument(
            "--simulate-every",
            type=float,
            default=60.0,
            help="Seconds between two steps of the simulation (default 60).",
        )
        parser.add_argument(
            "--bandwidth",
            type=float,
            default=None,
            help="Megabits per second that uploads cross, shared by all of them "
            "(bench/video.py); default: no limit.",
        )

    def handle(
        self, *args, port, host, state, simulate, simulate_every, bandwidth, **options
    ):
        if not is_loopback(host):
            raise CommandError(
                f"--host {host} is not a loopback address: the sandbox has no "
                "authentication and must only listen on 127.0.0.1, ::1 or localhost."
            )
        if simulate and simulate_every <= 0:
            raise CommandError("--simulate-every must be a positive number of seconds.")
        self.simulate_every = simulate_every if simulate else None
        try:
            main(
                port=port,
                state_path=state,
                host=host,
                announce=self.announce,
                log=self.stdout.write if options["verbosity"] > 0 else None,
                simulate_every=self.simulate_every,
                bandwidth=bandwidth * 1_000_000 / 8 if bandwidth else None,
            )
        except (OSError, ValueError) as error:
            raise CommandError(f"Sandbox could not start: {error}") from error
        self.stdout.write("Sandbox stopped.")

    def announce(self, url):
        self.stdout.write(
            self.style.SUCCESS(f"Sandbox (Facebook Graph + Zalo OA) at {url}")
            + f"\n  feed page: {url}\n  control:   {url}_sandbox/state\n"
            + (
                f"  simulated audiences: counts move every {self.simulate_every:g} s "
                "(số liệu mô phỏng)\n"
                if self.simulate_every
                else ""
            )
            + "  Ctrl-C to stop."
        )
