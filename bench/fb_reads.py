"""How many Facebook calls reading engagement costs, against the sandbox.

Usage: .venv/bin/python bench/fb_reads.py [--sizes 10,500,10000]

For each N, N posts are put on one sandbox Page and FacebookNetwork.fetch_engagement
reads them all. Prints the calls per endpoint (the `?ids=` reads must be ceil(N/50))
and the wall time. Runs in-process: the sandbox in a thread on a free port.
"""

import argparse
import collections
import math
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,500,10000")
    sizes = [int(n) for n in parser.parse_args().sizes.split(",")]

    import django

    django.setup()
    from django.conf import settings

    from bench.dispatch import use_sandbox
    from publishing.models import Channel
    from publishing.networks import adapter_for
    from sandbox.server import SandboxServer
    from sandbox.state import SandboxState

    print("| posts | ?ids= reads | expected ceil(N/50) | insights calls | wall time |")
    print("|---|---|---|---|---|")
    for size in sizes:
        server = SandboxServer(SandboxState())
        url = server.start_in_thread(0)
        use_sandbox(settings, url)
        counts = collections.Counter()
        log_call = server.state.log_call

        def count(entry, log_call=log_call, counts=counts):
            counts[entry.get("endpoint")] += 1
            return log_call(entry)

        server.state.log_call = count
        try:
            with server.state.lock:
                page, _user = server.state.add_page(name="Trang đo", followers=10)
            ids = add_posts(server.state, page["id"], size)
            channel = Channel(network="facebook", external_id=page["id"], name="x")
            channel.set_credentials({"page_token": page["token"]})
            counts.clear()
            start = time.perf_counter()
            result = adapter_for(channel).fetch_engagement(ids)
            elapsed = time.perf_counter() - start
            assert len(result) == size and not any(e.removed for e in result.values())
        finally:
            server.stop()
        print(
            f"| {size} | {counts['read']} | {math.ceil(size / 50)} |"
            f" {counts['insights']} | {elapsed:.2f} s |"
        )


def add_posts(state, page_id, count):
    """Posts straight into the sandbox's state (posting 10,000 over HTTP would
    measure posting, not reading)."""
    now = int(state.now())
    ids = []
    with state.lock:
        for _ in range(count):
            seq = state.next_id("object")
            post_id = f"{page_id}_{seq}"
            state.data["posts"][post_id] = {
                "id": post_id,
                "seq": int(seq),
                "page": page_id,
                "created_time": now,
                "updated_time": now,
                "permalink_url": "",
                "published": True,
                "message": "bài đo",
                "images": [],
                "engagement": {"reactions": 3, "comments": 1, "shares": 2},
                "received": {},
            }
            ids.append(post_id)
    return ids


if __name__ == "__main__":
    main()
