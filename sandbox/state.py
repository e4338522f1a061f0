"""The sandbox's data: one dict behind one lock, saved as JSON after each change.

Everything a route touches lives in `SandboxState.data` (plain JSON types), so the
state file is a readable record of what was posted. Route functions run with the lock
held (see server.py); the helpers here assume the caller holds it.
"""

import copy
import json
import os
import secrets
import threading
import time
from pathlib import Path

DEFAULT_APPS = {
    "facebook": {"sandbox-fb-app": {"secret": "sandbox-fb-secret", "name": "BHXH"}},
    "zalo": {"sandbox-zalo-app": {"secret": "sandbox-zalo-secret", "name": "BHXH"}},
}
DEFAULT_USER_NAME = "Người dùng thử nghiệm"
FIRST_IDS = {
    "user": 100000000000001,
    "page": 1000000000001,
    "object": 100000000000001,  # posts and photos
    "oa": 4000000000000000001,
    "article": 7000000000001,
}
CALLS_KEPT = 1000  # the log is for tests and curious developers, not an archive
CODE_TTL = 600  # authorization codes: single use, 10 minutes
FULL_SCOPES = [
    "pages_show_list",
    "pages_manage_posts",
    "pages_read_engagement",
    "read_insights",
    "pages_read_user_content",
    "pages_manage_engagement",
]
VERIFY_POLLS = 2  # verify calls answered "-214 being processed" before the id
# What Zalo's article reads give: its documentation promises neither the body in
# `getdetail` nor the dates, so tests run reconciliation without them too.
ZALO_READS = {"detail_body": True, "dates": True}


def empty_data(apps=None):
    """A fresh state: the registered apps, the sandbox user, nothing else."""
    data = {
        "version": 1,
        "counters": dict(FIRST_IDS),
        "apps": copy.deepcopy(apps or DEFAULT_APPS),
        "users": {},
        "default_user": None,
        "pages": {},
        "posts": {},
        "photos": {},
        "oas": {},
        "articles": {},
        "article_tokens": {},
        "broadcasts": {},
        "zalo_reads": dict(ZALO_READS),
        "tokens": {},
        "codes": {},
        "faults": [],
        "calls": [],
    }
    return data


class SandboxState:
    """The data of both fake networks. `path=None` keeps it in memory (tests)."""

    def __init__(self, path=None, clock=time.time):
        self.path = Path(path) if path else None
        self.clock = clock  # tests replace it to age codes and tokens
        self.lock = threading.RLock()
        self.uploads = {}  # photo id -> Upload; bytes are not worth persisting
        self.usage = {}  # page id -> Graph calls seen, for the usage header
        self.simulated = False  # counts moved by simulate.Simulator (feed says so)
        self.data = self._load() if self.path and self.path.exists() else empty_data()
        with self.lock:
            self.default_user()

    # Persistence ---------------------------------------------------------------
    def _load(self):
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except ValueError as error:
            raise ValueError(
                f"{self.path} is not valid JSON ({error}); delete it to start afresh"
            ) from error
        fresh = empty_data()
        fresh.update(data)
        for network, apps in DEFAULT_APPS.items():
            fresh["apps"].setdefault(network, {}).update(copy.deepcopy(apps))
        return fresh

    def save(self):
        """Write the state atomically (a crash never leaves half a file)."""
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.data, ensure_ascii=False, indent=1), "utf-8")
        os.replace(tmp, self.path)

    def reset(self):
        """Empty everything but the registered apps."""
        with self.lock:
            self.data = empty_data(self.data["apps"])
            self.uploads.clear()
            self.usage.clear()
            self.default_user()
            self.save()

    def snapshot(self):
        """A deep copy of the data, safe to hand out."""
        with self.lock:
            return copy.deepcopy(self.data)

    # Ids, time, tokens ---------------------------------------------------------
    def now(self):
        return self.clock()

    def next_id(self, kind):
        counters = self.data["counters"]
        value = counters[kind]
        counters[kind] = value + 1
        return str(value)

    def new_token(self, network, kind, owner, *, app=None, ttl=None, **extra):
        """Mint a token. Facebook's start with "EAA" like the real ones."""
        prefix = "EAAS" if network == "facebook" else ""
        value = prefix + secrets.token_urlsafe(36)
        now = self.now()
        self.data["tokens"][value] = {
            "network": network,
            "kind": kind,
            "owner": owner,
            "app": app,
            "issued_at": int(now),
            "expires_at": int(now + ttl) if ttl else None,
            "revoked": False,
            **extra,
        }
        return value

    def token(self, value):
        """The record of a token, or None when unknown."""
        if not value:
            return None
        return self.data["tokens"].get(value)

    def token_problem(self, record):
        """ "revoked", "expired" or None for a known token."""
        if record.get("revoked") or record.get("used"):
            return "revoked"
        if record.get("expires_at") and record["expires_at"] <= self.now():
            return "expired"
        return None

    def new_code(self, **fields):
        code = secrets.token_urlsafe(32)
        self.data["codes"][code] = {
            "expires_at": self.now() + CODE_TTL,
            "used": False,
            **fields,
        }
        return code

    def app_secret(self, network, app_id):
        app = self.data["apps"].get(network, {}).get(app_id or "")
        return app["secret"] if app else None

    # Facebook users and Pages --------------------------------------------------
    def default_user(self):
        """The sandbox user of the login dialog, created on first use."""
        uid = self.data.get("default_user")
        if uid not in self.data["users"]:
            uid = self.ensure_user(None, DEFAULT_USER_NAME)["id"]
            self.data["default_user"] = uid
        return self.data["users"][uid]

    def ensure_user(self, uid, name=None):
        """A user by id, created with a long-lived token when new."""
        users = self.data["users"]
        if uid in users:
            return users[uid]
        uid = str(uid) if uid else self.next_id("user")
        user = {"id": uid, "name": name or f"Người dùng {uid}"}
        user["token"] = self.new_token(
            "facebook",
            "user",
            uid,
            app="sandbox-fb-app",
            scopes=list(FULL_SCOPES),
            long_lived=True,
        )
        users[uid] = user
        return user

    def add_page(self, *, id=None, name, followers=None, user=None):
        """Create (or update) a Page managed by `user` (default: the sandbox user)."""
        owner = self.ensure_user(user) if user else self.default_user()
        pid = str(id) if id else self.next_id("page")
        page = self.data["pages"].get(pid)
        if page is None:
            page = {"id": pid, "category": "Cơ quan chính phủ"}
            page["token"] = self.new_token(
                "facebook", "page", pid, app="sandbox-fb-app", scopes=list(FULL_SCOPES)
            )
            self.data["pages"][pid] = page
        page.update(name=name, user=owner["id"])
        if followers is not None or "followers" not in page:
            page["followers"] = page["fans"] = int(followers or 0)
        return page, owner

    # Zalo OAs ---------------------------------------------------------------------
    def add_oa(self, *, id=None, name, followers=None, verify_polls=None, **broadcasts):
        """Create (or update) an OA with a fresh access and refresh token.
        `broadcast_quota` (a month) and `broadcast_review` (seconds), if given."""
        oid = str(id) if id else self.next_id("oa")
        oa = self.data["oas"].setdefault(oid, {"id": oid, "verify_polls": VERIFY_POLLS})
        oa["name"] = name
        if followers is not None or "followers" not in oa:
            oa["followers"] = int(followers or 0)
        if verify_polls is not None:
            oa["verify_polls"] = int(verify_polls)
        for key in ("broadcast_quota", "broadcast_review"):
            if broadcasts.get(key) is not None:
                oa[key] = int(broadcasts[key])
        return oa, self.zalo_tokens(oid, "sandbox-zalo-app")

    def zalo_tokens(self, oa_id, app):
        """A new access token (25 h) and single-use refresh token (3 months)."""
        access = self.new_token("zalo", "oa", oa_id, app=app, ttl=90000)
        refresh = self.new_token("zalo", "refresh", oa_id, app=app, ttl=90 * 86400)
        return {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}

    # Faults and the calls log --------------------------------------------------
    def push_fault(self, fault):
        self.data["faults"].append(fault)

    def take_fault(self, network, endpoint):
        """The first queued fault for this call, consumed once; None if none."""
        for fault in self.data["faults"]:
            if fault["network"] == network and fault["endpoint"] == endpoint:
                fault["times"] -= 1
                if fault["times"] <= 0:
                    self.data["faults"].remove(fault)
                return dict(fault)
        return None

    def log_call(self, entry):
        calls = self.data["calls"]
        calls.append(entry)
        del calls[:-CALLS_KEPT]

    def calls(self, network=None, endpoint=None):
        """Logged network calls, optionally filtered (a copy)."""
        with self.lock:
            return [
                dict(call)
                for call in self.data["calls"]
                if (network is None or call["network"] == network)
                and (endpoint is None or call["endpoint"] == endpoint)
            ]
