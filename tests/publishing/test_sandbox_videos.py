"""The sandbox's video uploads (both networks, both upload styles), processing with
a delay, and its video faults, over real HTTP."""

import requests

from sandbox import videos

V = "v24.0/"
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 1000


def fb(sandbox, method, path, token, files=None, **params):
    return requests.request(
        method,
        sandbox.url + V + path,
        data=params if method == "POST" else None,
        params=params if method == "GET" else None,
        files=files,
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    ).json()


def resumable(sandbox, page, data, description="Video pub-3"):
    token, path = page["page_token"], f"{page['id']}/videos"
    start = fb(sandbox, "POST", path, token, upload_phase="start", file_size=len(data))
    offset = int(start["start_offset"])
    while offset < len(data):
        end = int(start["end_offset"])
        start = fb(
            sandbox,
            "POST",
            path,
            token,
            files={"video_file_chunk": ("chunk", data[offset:end])},
            upload_phase="transfer",
            upload_session_id=start["upload_session_id"],
            start_offset=offset,
        ) | {"upload_session_id": start["upload_session_id"]}
        offset = int(start["start_offset"])
    done = fb(
        sandbox,
        "POST",
        path,
        token,
        upload_phase="finish",
        upload_session_id=start["upload_session_id"],
        title="Họp dân",
        description=description,
    )
    return start, done


def status(sandbox, page, video_id):
    answer = fb(sandbox, "GET", video_id, page["page_token"], fields="status")
    return answer["status"]["video_status"]


def test_facebook_resumable_upload_is_processed_then_listed(sandbox, monkeypatch):
    monkeypatch.setattr(videos, "CHUNK", 400)
    page = sandbox.facebook_page()
    start = fb(
        sandbox,
        "POST",
        f"{page['id']}/videos",
        page["page_token"],
        upload_phase="start",
        file_size=len(MP4),
    )
    video_id = start["video_id"]
    assert (start["start_offset"], start["end_offset"]) == ("0", "400")
    # Not finished: no video on the Page yet.
    assert status(sandbox, page, video_id) == "upload_incomplete"
    listed = fb(sandbox, "GET", f"{page['id']}/videos", page["page_token"])
    assert listed["data"] == []

    _, done = resumable(sandbox, page, MP4)
    assert done == {"success": True}
    video_id = str(int(video_id) + 1)  # the second session's video
    assert [status(sandbox, page, video_id) for _ in range(3)] == [
        "processing",
        "processing",
        "ready",
    ]
    listed = fb(
        sandbox,
        "GET",
        f"{page['id']}/videos",
        page["page_token"],
        fields="id,description,created_time",
    )
    assert [(v["id"], v["description"]) for v in listed["data"]] == [
        (video_id, "Video pub-3")
    ]


def test_facebook_single_upload_by_url_and_source(sandbox):
    page = sandbox.facebook_page()
    path = f"{page['id']}/videos"
    by_url = fb(
        sandbox,
        "POST",
        path,
        page["page_token"],
        file_url="https://bhxh.example/media/hop-dan.mp4",
        description="a",
    )
    by_source = fb(
        sandbox,
        "POST",
        path,
        page["page_token"],
        files={"source": ("v.mp4", MP4)},
        description="b",
    )
    feed = fb(sandbox, "GET", f"{page['id']}/feed", page["page_token"])
    assert {p["id"] for p in feed["data"]} == {by_url["id"], by_source["id"]}


def test_facebook_refuses_what_is_not_a_video_and_faults_on_demand(sandbox):
    page = sandbox.facebook_page()
    path = f"{page['id']}/videos"
    files = {"source": ("v.mp4", b"not a video at all")}
    error = fb(sandbox, "POST", path, page["page_token"], files=files)["error"]
    assert (error["code"], error["error_subcode"]) == (6000, videos.FB_BAD_FORMAT)

    sandbox.fault("facebook", "videos", "video_too_long")
    files = {"source": ("v.mp4", MP4)}
    error = fb(sandbox, "POST", path, page["page_token"], files=files)["error"]
    assert error["error_subcode"] == videos.FB_TOO_LONG

    sandbox.fault("facebook", "videos", "video_processing_error")
    video = fb(sandbox, "POST", path, page["page_token"], files=files)
    states = [status(sandbox, page, video["id"]) for _ in range(3)]
    assert states == ["processing", "processing", "error"]


def test_facebook_lost_answer_after_finish_leaves_the_video(sandbox, monkeypatch):
    page = sandbox.facebook_page()
    sandbox.fault("facebook", "videos", "500_but_created")
    answer = fb(
        sandbox,
        "POST",
        f"{page['id']}/videos",
        page["page_token"],
        files={"source": ("v.mp4", MP4)},
        description="pub-9",
    )
    assert answer["error"]["code"] == 1
    listed = fb(sandbox, "GET", f"{page['id']}/videos", page["page_token"])
    assert [v["description"] for v in listed["data"]] == ["pub-9"]


def zalo_call(sandbox, method, path, token, headers=None, **kwargs):
    return requests.request(
        method,
        sandbox.url + path,
        headers={"access_token": token, **(headers or {})},
        timeout=5,
        **kwargs,
    ).json()


def test_zalo_video_upload_verify_then_video_article(sandbox):
    oa = sandbox.zalo_oa(verify_polls=1)
    token = oa["access_token"]
    prepared = zalo_call(
        sandbox,
        "POST",
        "v2.0/article/upload_video/preparevideo",
        token,
        files={"file": ("hop-dan.mp4", MP4, "video/mp4")},
    )
    video_token = prepared["data"]["token"]
    verify = [
        zalo_call(
            sandbox,
            "GET",
            "v2.0/article/upload_video/verify",
            token,
            headers={"token": video_token},
        )
        for _ in range(2)
    ]
    assert verify[0]["error"] == -214
    video_id = verify[1]["data"]["video_id"]
    article = {
        "type": "video",
        "title": "Họp dân",
        "description": "pub-4",
        "video_id": video_id,
        "avatar": "https://bhxh.example/a.jpg",
    }
    created = zalo_call(sandbox, "POST", "v2.0/article/create", token, json=article)
    assert created["error"] == 0
    unknown = {**article, "video_id": "nope"}
    refused = zalo_call(sandbox, "POST", "v2.0/article/create", token, json=unknown)
    assert refused["error"] == -201


def test_zalo_video_faults(sandbox):
    oa = sandbox.zalo_oa(verify_polls=0)
    token = oa["access_token"]
    path = "v2.0/article/upload_video/preparevideo"
    files = {"file": ("a.mp4", b"no video")}
    assert zalo_call(sandbox, "POST", path, token, files=files)["error"] == -201
    sandbox.fault("zalo", "preparevideo", "video_processing_error")
    files = {"file": ("a.mp4", MP4)}
    prepared = zalo_call(sandbox, "POST", path, token, files=files)
    verify = zalo_call(
        sandbox,
        "GET",
        "v2.0/article/upload_video/verify",
        token,
        headers={"token": prepared["data"]["token"]},
    )
    assert verify["error"] == -200


def test_bandwidth_limits_uploads(monkeypatch):
    from sandbox.server import Link

    slept = []
    monkeypatch.setattr("time.sleep", slept.append)
    link = Link(1_000_000)
    link.take(500_000)
    link.take(500_000)  # queued behind the first: a million bytes take a second
    assert [round(s, 2) for s in slept] == [0.5, 1.0]
