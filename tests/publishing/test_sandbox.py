"""The network sandbox itself, over real HTTP (requests and facebook-sdk)."""

import base64
import hashlib
import io
import json
import threading
import time
from urllib.parse import parse_qs, urlsplit

import facebook
import pytest
import requests
from django.core.management import CommandError, call_command

from sandbox.server import SandboxServer
from sandbox.state import SandboxState

BANNER = "SANDBOX — công cụ phát triển, không phải Facebook/Zalo thật"
V = "v24.0/"
FB_APP = {"client_id": "sandbox-fb-app", "client_secret": "sandbox-fb-secret"}
ENGAGEMENT = (
    "shares,reactions.limit(0).summary(total_count),comments.limit(0).summary(true)"
)
ARTICLE = {
    "type": "normal",
    "title": "Hộ kinh doanh tham gia BHXH",
    "author": "BHXH Bắc Sơn",
    "description": "Từ 01/7/2025",
    "cover": {"cover_type": "photo", "photo_url": "https://x.vn/c.png"},
    "body": [
        {"type": "text", "content": "<p>Nội dung <b>đậm</b></p>"},
        {"type": "image", "url": "https://x.vn/a%20b.png", "caption": "Ảnh"},
    ],
    "status": "show",
    "comment": "show",
}


# Helpers ---------------------------------------------------------------------------
def fb_get(sandbox, path, token=None, **params):
    if token:
        params["access_token"] = token
    return requests.get(sandbox.url + V + path, params=params, timeout=5)


def fb_post(sandbox, path, token, files=None, timeout=5, **data):
    data["access_token"] = token
    url = sandbox.url + V + path
    return requests.post(url, data=data, files=files, timeout=timeout)


def post(sandbox, page, message="Xin chào", **data):
    """A feed post on `page` with its Page token."""
    return fb_post(
        sandbox, f"{page['id']}/feed", page["page_token"], **data, message=message
    )


def zalo(sandbox, path, token, body=None, **params):
    """A Zalo call: POST with a JSON body when given, else GET; the decoded answer."""
    method = "GET" if body is None else "POST"
    headers = {"access_token": token}
    return requests.request(
        method, sandbox.url + path, headers=headers, json=body, params=params, timeout=5
    ).json()


def create_article(sandbox, oa, **changes):
    return zalo(
        sandbox, "v2.0/article/create", oa["access_token"], {**ARTICLE, **changes}
    )


def verify(sandbox, oa, token):
    return zalo(sandbox, "v2.0/article/verify", oa["access_token"], {"token": token})


def error_of(response):
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()["error"]


def feed_ids(sandbox, page):
    data = fb_get(sandbox, f"{page['id']}/feed", page["page_token"]).json()
    return [p["id"] for p in data["data"]]


@pytest.fixture
def fb_page(sandbox):
    return sandbox.facebook_page("BHXH Bắc Sơn", followers=120)


@pytest.fixture
def oa(sandbox):
    return sandbox.zalo_oa("BHXH Lạng Sơn", followers=300)


@pytest.fixture
def sdk(sandbox, monkeypatch):
    """facebook-sdk pointed at the sandbox, as the adapters configure it."""
    monkeypatch.setattr(facebook, "FACEBOOK_GRAPH_URL", sandbox.url)

    def make(token):
        client = facebook.GraphAPI(access_token=token, timeout=5)
        client.version = "v24.0"
        return client

    return make


# Server and control API ----------------------------------------------------------
def test_starts_fast_serves_and_frees_the_port_on_stop():
    server = SandboxServer(SandboxState())
    started = time.perf_counter()
    url = server.start_in_thread(0)
    elapsed = time.perf_counter() - started
    assert requests.get(url, timeout=2).status_code == 200
    server.stop()
    assert elapsed < 0.05
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=1)


def test_control_page_gives_working_page_and_user_tokens(sandbox, fb_page):
    assert fb_page["id"] == "1000000000001"
    me = fb_get(sandbox, "me", fb_page["page_token"]).json()
    assert me == {"id": fb_page["id"], "name": "BHXH Bắc Sơn"}
    user = fb_get(sandbox, "me", fb_page["user_token"]).json()
    assert user["name"] == "Người dùng thử nghiệm"
    fields = "id,name,access_token,tasks"
    accounts = fb_get(sandbox, "me/accounts", fb_page["user_token"], fields=fields)
    [entry] = accounts.json()["data"]
    assert entry["access_token"] == fb_page["page_token"]
    assert "CREATE_CONTENT" in entry["tasks"]


def test_control_rejects_bad_input(sandbox):
    assert "name" in sandbox.control("facebook/pages", {}, check=False)["error"]
    fault = {"network": "facebook", "endpoint": "feed", "mode": "explode"}
    assert "mode" in sandbox.control("faults", fault, check=False)["error"]
    fault = {"network": "zalo", "endpoint": "feed", "mode": "drop"}
    assert "endpoint" in sandbox.control("faults", fault, check=False)["error"]
    response = requests.post(sandbox.url + "_sandbox/nothing", timeout=5)
    assert response.status_code == 404


def test_reset_empties_everything_but_the_apps(sandbox, fb_page, oa):
    sandbox.control("reset")
    state = requests.get(sandbox.url + "_sandbox/state", timeout=5).json()
    assert state["pages"] == {} and state["oas"] == {}
    assert "sandbox-fb-app" in state["apps"]["facebook"]
    assert error_of(fb_get(sandbox, "me", fb_page["page_token"]))["code"] == 190


def test_followers_and_engagement_are_set_by_control(sandbox, fb_page, oa):
    for network, target in (("facebook", fb_page), ("zalo", oa)):
        body = {"network": network, "id": target["id"], "followers": 7}
        sandbox.control("followers", body)
    fields = "id,name,followers_count,fan_count"
    read = fb_get(sandbox, fb_page["id"], fb_page["page_token"], fields=fields).json()
    assert read["followers_count"] == 7 and read["fan_count"] == 7
    info = zalo(sandbox, "v2.0/oa/getoa", oa["access_token"])
    assert info["data"]["num_follower"] == 7 and info["data"]["oa_id"] == oa["id"]


def test_revoked_tokens_answer_190_460_and_minus_216(sandbox, fb_page, oa):
    for token in (fb_page["page_token"], oa["access_token"]):
        sandbox.control("tokens/revoke", {"token": token})
    error = error_of(fb_get(sandbox, "me", fb_page["page_token"]))
    assert (error["code"], error["error_subcode"]) == (190, 460)
    assert zalo(sandbox, "v2.0/oa/getoa", oa["access_token"])["error"] == -216


# Graph: publishing ---------------------------------------------------------------
def test_feed_post_through_facebook_sdk(sandbox, fb_page, sdk):
    client = sdk(fb_page["page_token"])
    answer = client.put_object(
        fb_page["id"],
        "feed",
        message="Tin mới",
        link="https://bhxh.vn/a",
        fields="permalink_url",
    )
    assert answer["id"].startswith(fb_page["id"] + "_")
    assert answer["permalink_url"].endswith("#post-" + answer["id"])
    read = client.get_object(answer["id"], fields="id,message,permalink_url")
    assert read["message"] == "Tin mới"
    received = sandbox.state.data["posts"][answer["id"]]["received"]
    assert received["link"] == "https://bhxh.vn/a" and "access_token" not in received


def test_photos_by_url_multipart_and_unpublished(sandbox, fb_page, sdk):
    client, album = sdk(fb_page["page_token"]), f"{fb_page['id']}/photos"
    by_url = client.put_object(fb_page["id"], "photos", url="https://x.vn/p.png")
    assert by_url["post_id"] == f"{fb_page['id']}_{by_url['id']}"
    upload = client.put_photo(io.BytesIO(b"PNGDATA"), album, caption="Ảnh")
    image = requests.get(f"{sandbox.url}_sandbox/uploads/{upload['id']}", timeout=5)
    assert image.content == b"PNGDATA"
    hidden = client.put_object(
        fb_page["id"], "photos", url="https://x.vn/q.png", published="false"
    )
    assert "id" in hidden and "post_id" not in hidden


def test_photo_over_10_mb_is_code_100(sandbox, fb_page):
    files = {"source": ("big.jpg", b"x" * (10 * 1024 * 1024 + 1), "image/jpeg")}
    album = f"{fb_page['id']}/photos"
    response = fb_post(sandbox, album, fb_page["page_token"], files=files)
    assert response.status_code == 400 and error_of(response)["code"] == 100


def test_several_photos_in_one_post_with_attached_media(sandbox, fb_page):
    album, media = f"{fb_page['id']}/photos", {}
    for index, name in enumerate("ab"):
        photo = fb_post(
            sandbox,
            album,
            fb_page["page_token"],
            published="false",
            url=f"https://x.vn/{name}.png",
        ).json()
        media[f"attached_media[{index}]"] = json.dumps({"media_fbid": photo["id"]})
    answer = post(sandbox, fb_page, "Hai ảnh", **media).json()
    stored = sandbox.state.data["posts"][answer["id"]]
    assert stored["images"] == ["https://x.vn/a.png", "https://x.vn/b.png"]
    again = post(sandbox, fb_page, "Lần nữa", **media)
    assert error_of(again)["code"] == 100  # a photo goes in one post only


def test_edit_then_delete_a_post(sandbox, fb_page, sdk):
    client = sdk(fb_page["page_token"])
    post_id = post(sandbox, fb_page, "Bản đầu").json()["id"]
    edit = fb_post(sandbox, post_id, fb_page["page_token"], message="Sửa")
    assert edit.json() == {"success": True}
    assert client.get_object(post_id, fields="message")["message"] == "Sửa"
    assert client.delete_object(post_id) == {"success": True}
    with pytest.raises(facebook.GraphAPIError) as gone:
        client.get_object(post_id)
    assert gone.value.code == 100 and gone.value.result["error"]["error_subcode"] == 33


def test_user_token_cannot_post_to_a_page(sandbox, fb_page):
    response = post(sandbox, {**fb_page, "page_token": fb_page["user_token"]})
    assert response.status_code == 403 and error_of(response)["code"] == 200


def test_feed_lists_newest_first_with_limit_paging_and_since(sandbox, fb_page):
    ids = [post(sandbox, fb_page, f"Bài {n}").json()["id"] for n in range(3)]
    feed, token = f"{fb_page['id']}/feed", fb_page["page_token"]
    first = fb_get(sandbox, feed, token, fields="id,message", limit="2").json()
    assert [p["id"] for p in first["data"]] == [ids[2], ids[1]]
    second = requests.get(first["paging"]["next"], timeout=5).json()
    assert [p["id"] for p in second["data"]] == [ids[0]]
    later = fb_get(sandbox, feed, token, since=str(int(time.time()) + 60)).json()
    assert later["data"] == []


def test_ids_read_engagement_and_its_limits(sandbox, fb_page):
    token = fb_page["page_token"]
    keep, gone = (post(sandbox, fb_page, m).json()["id"] for m in ("Giữ", "Xóa"))
    counts = {"reactions": 5, "comments": 2, "shares": 3}
    sandbox.control("engagement", {"post_id": keep, **counts})
    both = fb_get(sandbox, "", token, ids=f"{keep},{gone}", fields=ENGAGEMENT).json()
    assert both[keep]["reactions"]["summary"]["total_count"] == 5
    assert both[keep]["comments"]["summary"]["total_count"] == 2
    assert both[keep]["shares"] == {"count": 3} and "shares" not in both[gone]
    requests.delete(sandbox.url + V + gone, params={"access_token": token}, timeout=5)
    failed = error_of(fb_get(sandbox, "", token, ids=f"{keep},{gone}", fields="id"))
    assert (failed["code"], failed["error_subcode"]) == (100, 33)
    many = ",".join([keep] * 50 + ["x"])
    too_many = error_of(fb_get(sandbox, "", token, ids=many, fields="id"))
    assert too_many["code"] == 100 and "Maximum: 50" in too_many["message"]


def test_insights_and_a_retired_metric_failing_all(sandbox, fb_page):
    post_id = post(sandbox, fb_page).json()["id"]
    counts = {"views": 40, "reach": 30, "clicks": 4}
    sandbox.control("engagement", {"post_id": post_id, **counts})
    path, token = f"{post_id}/insights", fb_page["page_token"]
    metric = "post_media_view,post_total_media_view_unique,post_clicks"
    data = fb_get(sandbox, path, token, metric=metric).json()["data"]
    values = {m["name"]: m["values"][0]["value"] for m in data}
    assert values == dict(zip(metric.split(","), (40, 30, 4), strict=True))
    assert data[0]["period"] == "lifetime"
    failed = fb_get(sandbox, path, token, metric="post_media_view,post_impressions")
    assert failed.status_code == 400 and error_of(failed)["code"] == 100


def test_insights_by_field_expansion_and_a_retired_metric_failing_all(sandbox, fb_page):
    token = fb_page["page_token"]
    first, second = (post(sandbox, fb_page, m).json()["id"] for m in ("Một", "Hai"))
    counts = {"reactions": 5, "views": 40, "reach": 30, "clicks": 4}
    sandbox.control("engagement", {"post_id": first, **counts})
    metrics = "post_media_view,post_total_media_view_unique,post_clicks"
    fields = f"{ENGAGEMENT},insights.metric({metrics})"
    both = fb_get(sandbox, "", token, ids=f"{first},{second}", fields=fields).json()
    assert both[first]["reactions"]["summary"]["total_count"] == 5
    data = both[first]["insights"]["data"]
    values = {m["name"]: m["values"][0]["value"] for m in data}
    assert values == dict(zip(metrics.split(","), (40, 30, 4), strict=True))
    assert {m["period"] for m in data} == {"lifetime"}
    assert data[0]["id"] == f"{first}/insights/post_media_view/lifetime"
    assert [m["values"][0]["value"] for m in both[second]["insights"]["data"]] == [
        0,
        0,
        0,
    ]
    one = fb_get(sandbox, first, token, fields="insights.metric(post_clicks)").json()
    assert one["insights"]["data"][0]["values"] == [{"value": 4}]
    for path, params in (
        ("", {"ids": f"{first},{second}"}),
        (first, {}),
    ):
        bad = f"{ENGAGEMENT},insights.metric(post_clicks,post_impressions)"
        failed = fb_get(sandbox, path, token, fields=bad, **params)
        assert failed.status_code == 400
        error = error_of(failed)
        assert error["code"] == 100 and "error_subcode" not in error
        assert "insights metric" in error["message"]


def test_graph_error_shape_statuses_and_usage_header(sandbox, fb_page):
    bad = fb_get(sandbox, "me", "EAAnotatoken")
    error = error_of(bad)
    assert bad.status_code == 401 and error["code"] == 190
    assert error["type"] == "OAuthException" and error["fbtrace_id"]
    assert error["is_transient"] is False
    assert error_of(fb_get(sandbox, "me"))["code"] == 104
    unknown = fb_get(sandbox, fb_page["id"], fb_page["page_token"], fields="nonsense")
    assert error_of(unknown)["code"] == 100
    header = fb_get(sandbox, "me", fb_page["page_token"]).headers
    usage = json.loads(header["X-Business-Use-Case-Usage"])[fb_page["id"]][0]
    assert set(usage) >= {"call_count", "total_time", "total_cputime", "type"}
    assert usage["estimated_time_to_regain_access"] == 0


# Zalo -----------------------------------------------------------------------------
def test_article_lifecycle(sandbox, oa):
    token, key = create_article(sandbox, oa)["data"]["token"], oa["access_token"]
    assert [verify(sandbox, oa, token)["error"] for _ in range(2)] == [-214, -214]
    article_id = verify(sandbox, oa, token)["data"]["id"]
    detail = zalo(sandbox, "v2.0/article/getdetail", key, id=article_id)["data"]
    assert detail["title"] == ARTICLE["title"] and detail["total_view"] == 0
    create_article(sandbox, oa, title="Thứ hai")
    listed = zalo(sandbox, "v2.0/article/getslice", key, offset=0, limit=10)
    titles = [m["title"] for m in listed["data"]["medias"]]
    assert titles == ["Thứ hai", ARTICLE["title"]]
    too_many = zalo(sandbox, "v2.0/article/getslice", key, offset=0, limit=11)
    assert too_many["error"] == -201
    body = {**ARTICLE, "id": article_id, "title": "Đã sửa"}
    updated = zalo(sandbox, "v2.0/article/update", key, body)
    assert updated["data"]["token"] != token
    detail = zalo(sandbox, "v2.0/article/getdetail", key, id=article_id)["data"]
    assert detail["title"] == "Đã sửa"
    assert zalo(sandbox, "v2.0/article/remove", key, {"id": article_id})["error"] == 0
    gone = zalo(sandbox, "v2.0/article/getdetail", key, id=article_id)
    assert gone["error"] == -201


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "T" * 151},
        {"description": "D" * 301},
        {"author": "A" * 51},
        {"cover": {"cover_type": "photo", "photo_url": "https://x.vn/a b.png"}},
        {"body": [{"type": "image", "url": "https://x.vn/ảnh.png"}]},
    ],
)
def test_article_limits_answer_minus_201(sandbox, oa, changes):
    assert create_article(sandbox, oa, **changes)["error"] == -201


def test_article_title_of_150_characters_is_accepted(sandbox, oa):
    assert create_article(sandbox, oa, title="T" * 150)["error"] == 0


def test_zalo_unknown_token_is_minus_216_with_http_200(sandbox):
    headers = {"access_token": "nope"}
    response = requests.get(sandbox.url + "v2.0/oa/getoa", headers=headers, timeout=5)
    assert response.status_code == 200 and response.json()["error"] == -216


# OAuth ---------------------------------------------------------------------------
def facebook_code(sandbox, decision="approve", state="csrf-1"):
    """The dialog's HTML and the query string it redirects back with."""
    params = {
        "client_id": "sandbox-fb-app",
        "redirect_uri": "http://app.test/cb",
        "state": state,
        "scope": "pages_show_list,pages_manage_posts",
    }
    dialog = sandbox.url + V + "dialog/oauth"
    html = requests.get(dialog, params=params, timeout=5).text
    answer = requests.post(
        dialog, data={**params, "decision": decision}, allow_redirects=False, timeout=5
    )
    assert answer.status_code == 302
    return html, parse_qs(urlsplit(answer.headers["Location"]).query)


def exchange_code(sandbox, code, secret="sandbox-fb-secret"):
    return fb_get(
        sandbox,
        "oauth/access_token",
        **FB_APP | {"client_secret": secret},
        redirect_uri="http://app.test/cb",
        code=code,
    )


def test_facebook_login_flow(sandbox, fb_page):
    html, query = facebook_code(sandbox)
    assert BANNER in html and "Người dùng thử nghiệm" in html
    assert "BHXH Bắc Sơn" in html and "Cho phép" in html and "Từ chối" in html
    assert query["state"] == ["csrf-1"]
    short = exchange_code(sandbox, query["code"][0]).json()
    assert short["token_type"] == "bearer" and short["expires_in"] == 5183944
    reused = error_of(exchange_code(sandbox, query["code"][0]))
    assert (reused["code"], reused["error_subcode"]) == (100, 36009)
    long = fb_get(
        sandbox,
        "oauth/access_token",
        **FB_APP,
        grant_type="fb_exchange_token",
        fb_exchange_token=short["access_token"],
    ).json()
    assert long["access_token"] != short["access_token"]
    fields = "id,name,access_token,tasks"
    accounts = fb_get(sandbox, "me/accounts", long["access_token"], fields=fields)
    [entry] = accounts.json()["data"]
    assert post(sandbox, {"id": entry["id"], "page_token": entry["access_token"]}).ok
    debug = fb_get(
        sandbox,
        "debug_token",
        "sandbox-fb-app|sandbox-fb-secret",
        input_token=entry["access_token"],
    ).json()["data"]
    assert debug["type"] == "PAGE" and debug["profile_id"] == fb_page["id"]
    assert debug["is_valid"] is True


def test_facebook_login_refused(sandbox):
    _, query = facebook_code(sandbox, decision="deny", state="s2")
    assert query["error"] == ["access_denied"] and query["state"] == ["s2"]
    assert query["error_reason"] == ["user_denied"] and "code" not in query


def test_facebook_code_expires_and_secret_is_checked(sandbox):
    _, query = facebook_code(sandbox)
    assert error_of(exchange_code(sandbox, query["code"][0], "wrong"))["code"] == 100
    sandbox.state.clock = lambda: time.time() + 601
    expired = error_of(exchange_code(sandbox, query["code"][0]))
    assert expired["code"] == 100 and "expired" in expired["message"]


def zalo_code(sandbox, oa, verifier, decision="approve"):
    """Through the permission page; the query string it redirects back with."""
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    params = {
        "app_id": "sandbox-zalo-app",
        "redirect_uri": "http://app.test/zalo",
        "code_challenge": challenge,
        "state": "z1",
    }
    html = requests.get(sandbox.url + "v4/oa/permission", params=params, timeout=5)
    assert BANNER in html.text and "BHXH Lạng Sơn" in html.text
    choice = {**params, "oa_id": oa["id"], "decision": decision}
    answer = requests.post(
        sandbox.url + "v4/oa/permission", data=choice, allow_redirects=False, timeout=5
    )
    return parse_qs(urlsplit(answer.headers["Location"]).query)


def zalo_token(sandbox, secret="sandbox-zalo-secret", **form):
    return requests.post(
        sandbox.url + "v4/oa/access_token",
        headers={"secret_key": secret},
        data={"app_id": "sandbox-zalo-app", **form},
        timeout=5,
    ).json()


def test_zalo_oauth_with_pkce_and_single_use_tokens(sandbox, oa):
    verifier = "v" * 43
    query = zalo_code(sandbox, oa, verifier)
    assert query["oa_id"] == [oa["id"]] and query["state"] == ["z1"]
    grant = {"grant_type": "authorization_code", "code": query["code"][0]}
    wrong = zalo_token(sandbox, **grant, code_verifier="w" * 43)
    assert wrong["error"] == -14014 and wrong["error_name"] == "Invalid parameter"
    tokens = zalo_token(sandbox, **grant, code_verifier=verifier)
    assert tokens["expires_in"] == "90000"
    assert zalo_token(sandbox, **grant, code_verifier=verifier)["error"] == -14014
    refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    renewed = zalo_token(sandbox, **refresh)
    assert renewed["refresh_token"] != tokens["refresh_token"]
    assert zalo_token(sandbox, **refresh)["error"] == -14014
    info = zalo(sandbox, "v2.0/oa/getoa", renewed["access_token"])
    assert info["data"]["oa_id"] == oa["id"]


def test_zalo_oauth_refusal_and_wrong_secret(sandbox, oa):
    query = zalo_code(sandbox, oa, "v" * 43, decision="deny")
    assert "error" in query and "code" not in query and query["state"] == ["z1"]
    refresh = {"grant_type": "refresh_token", "refresh_token": oa["refresh_token"]}
    assert zalo_token(sandbox, "wrong", **refresh)["error"] == -14014


# Faults --------------------------------------------------------------------------
def test_timeout_does_not_post_and_others_are_still_served(sandbox, fb_page):
    sandbox.fault("facebook", "feed", "timeout", seconds=5)
    with pytest.raises(requests.Timeout):
        post(sandbox, fb_page, timeout=0.5)
    started = time.perf_counter()
    assert feed_ids(sandbox, fb_page) == []  # while the handler still sleeps
    assert time.perf_counter() - started < 0.5
    [call] = sandbox.calls("facebook", "feed")
    assert call["fault"] == "timeout" and call["status"] is None


def test_timeout_after_create_posts(sandbox, fb_page):
    sandbox.fault("facebook", "feed", "timeout_after_create", seconds=5)
    with pytest.raises(requests.Timeout):
        post(sandbox, fb_page, timeout=0.5)
    assert len(feed_ids(sandbox, fb_page)) == 1


def test_500_but_created_on_both_networks(sandbox, fb_page, oa, sdk):
    sandbox.fault("facebook", "feed", "500_but_created")
    with pytest.raises(facebook.GraphAPIError) as failed:
        sdk(fb_page["page_token"]).put_object(fb_page["id"], "feed", message="x")
    assert failed.value.code == 1 and failed.value.result["error"]["is_transient"]
    assert len(feed_ids(sandbox, fb_page)) == 1
    sandbox.fault("zalo", "create", "500_but_created")
    headers = {"access_token": oa["access_token"]}
    response = requests.post(
        sandbox.url + "v2.0/article/create", json=ARTICLE, headers=headers, timeout=5
    )
    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("text/html")
    assert len(sandbox.state.data["articles"]) == 1


def test_drop_closes_the_connection_and_does_nothing(sandbox, fb_page):
    sandbox.fault("facebook", "feed", "drop")
    with pytest.raises(requests.ConnectionError):
        post(sandbox, fb_page)
    assert feed_ids(sandbox, fb_page) == []
    assert sandbox.calls("facebook", "feed")[0]["status"] is None


def test_rate_limit_fault_sets_the_usage_header(sandbox, fb_page, oa):
    sandbox.fault("facebook", "me", "rate_limit", minutes=7, code=613)
    limited = fb_get(sandbox, "me", fb_page["page_token"])
    assert error_of(limited)["code"] == 613
    usage = json.loads(limited.headers["X-Business-Use-Case-Usage"])
    assert usage[fb_page["id"]][0]["estimated_time_to_regain_access"] == 7
    assert fb_get(sandbox, "me", fb_page["page_token"]).ok  # consumed
    sandbox.fault("zalo", "getoa", "rate_limit")
    assert zalo(sandbox, "v2.0/oa/getoa", oa["access_token"])["error"] == -32


def test_expired_token_fault(sandbox, fb_page, oa):
    sandbox.fault("facebook", "feed", "expired_token")
    expired = post(sandbox, fb_page)
    assert expired.status_code == 401
    assert (error_of(expired)["code"], error_of(expired)["error_subcode"]) == (190, 463)
    sandbox.fault("zalo", "create", "expired_token")
    assert create_article(sandbox, oa)["error"] == -216
    assert feed_ids(sandbox, fb_page) == [] and sandbox.state.data["articles"] == {}


def test_error_html_500_and_times(sandbox, fb_page, sdk):
    body = {"error": {"message": "dup", "type": "OAuthException", "code": 506}}
    sandbox.fault("facebook", "feed", "error", status=400, body=body, times=2)
    assert [error_of(post(sandbox, fb_page))["code"] for _ in range(2)] == [506, 506]
    assert post(sandbox, fb_page).ok
    sandbox.fault("facebook", "feed", "html_500")
    with pytest.raises(facebook.GraphAPIError) as failed:
        sdk(fb_page["page_token"]).put_object(fb_page["id"], "feed", message="x")
    assert "Maintype" in str(failed.value)


def test_delay_then_normal_answer(sandbox, fb_page):
    sandbox.fault("facebook", "me", "delay", seconds=0.3)
    started = time.perf_counter()
    assert fb_get(sandbox, "me", fb_page["page_token"]).ok
    assert time.perf_counter() - started >= 0.3


def test_latency_answers_that_long_after_arrival_with_the_work_done_at_once(
    sandbox, fb_page
):
    sandbox.fault("facebook", "feed", "latency", seconds=0.4, times=2)
    seen = []
    caller = threading.Thread(
        target=lambda: seen.append(post(sandbox, fb_page, "Độ trễ").status_code)
    )
    started = time.perf_counter()
    caller.start()
    time.sleep(0.2)
    assert len(feed_ids(sandbox, fb_page)) == 1  # done at once, not yet answered
    assert not seen
    caller.join(5)
    elapsed = time.perf_counter() - started
    assert seen == [200]
    assert 0.4 <= elapsed < 0.6  # the sandbox's processing is inside the 0.4 s


def test_stop_wakes_a_sleeping_handler_promptly(sandbox, fb_page):
    sandbox.fault("facebook", "me", "timeout", seconds=30)
    outcome = []

    def call():
        try:
            outcome.append(fb_get(sandbox, "me", fb_page["page_token"]).status_code)
        except requests.RequestException as error:
            outcome.append(type(error))

    caller = threading.Thread(target=call)
    caller.start()
    time.sleep(0.2)
    started = time.perf_counter()
    sandbox.server.stop()
    caller.join(5)
    assert time.perf_counter() - started < 1 and outcome
    assert outcome[0] != 200


# Feed page, masking, persistence, command ----------------------------------------
def test_feed_page_shows_what_was_posted_escaped(sandbox, fb_page, oa):
    post(sandbox, fb_page, "<script>alert(1)</script>", link="https://bhxh.vn/x")
    fb_post(
        sandbox,
        f"{fb_page['id']}/photos",
        fb_page["page_token"],
        url="https://x.vn/p.png",
        caption="Ảnh & chữ",
    )
    create_article(sandbox, oa)
    html = requests.get(sandbox.url, timeout=5).text
    assert BANNER in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert 'href="https://bhxh.vn/x"' in html
    assert '<img src="https://x.vn/p.png"' in html and "Ảnh &amp; chữ" in html
    assert ARTICLE["title"] in html and "Nội dung đậm" in html
    token = fb_page["page_token"]
    assert token not in html and token[:4] + "…" in html


def test_dialog_escapes_what_the_client_sent(sandbox):
    params = {
        "client_id": "sandbox-fb-app",
        "redirect_uri": "http://app.test/cb",
        "state": '"><script>x</script>',
    }
    dialog = sandbox.url + V + "dialog/oauth"
    html = requests.get(dialog, params=params, timeout=5).text
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    params["client_id"] = "unknown-app"
    refused = requests.get(dialog, params=params, timeout=5)
    assert refused.status_code == 400 and BANNER in refused.text


def test_tokens_are_masked_in_the_calls_log(sandbox, fb_page, oa):
    post(sandbox, fb_page)
    fb_get(sandbox, "me", fb_page["page_token"])
    zalo(sandbox, "v2.0/oa/getoa", oa["access_token"])
    state = requests.get(sandbox.url + "_sandbox/state", timeout=5).json()
    logged = json.dumps(state["calls"], ensure_ascii=False)
    assert len(state["calls"]) == 3
    for token in (fb_page["page_token"], oa["access_token"]):
        assert token not in logged and token[:4] + "…" in logged


def test_state_is_saved_to_a_file_and_reloaded(tmp_path):
    path = tmp_path / "sandbox.json"
    first = SandboxServer(state_path=path)
    first.start_in_thread(0)
    page = requests.post(
        first.url + "_sandbox/facebook/pages", json={"name": "Lưu"}, timeout=5
    ).json()
    post_id = post(first, page).json()["id"]
    first.stop()
    assert post_id in json.loads(path.read_text())["posts"]
    second = SandboxServer(state_path=path)
    second.start_in_thread(0)
    try:
        assert feed_ids(second, page) == [post_id]
        again = requests.post(
            second.url + "_sandbox/facebook/pages", json={"name": "Mới"}, timeout=5
        ).json()
        assert again["id"] != page["id"]
    finally:
        second.stop()


def test_a_corrupt_state_file_is_reported(tmp_path):
    path = tmp_path / "sandbox.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="delete it"):
        SandboxState(path)


def test_run_sandbox_refuses_a_public_host_and_uses_defaults(monkeypatch):
    with pytest.raises(CommandError, match="loopback"):
        call_command("run_sandbox", host="0.0.0.0")
    seen = {}
    monkeypatch.setattr(
        "sandbox.management.commands.run_sandbox.main",
        lambda **kwargs: seen.update(kwargs),
    )
    call_command("run_sandbox", verbosity=0)
    assert seen["port"] == 8100 and seen["host"] == "127.0.0.1"
    assert str(seen["state_path"]).endswith("sandbox.json")
