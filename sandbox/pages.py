"""The sandbox's HTML: the feed of what was posted and the two login dialogs.

Every page carries the banner; every value goes through `html.escape`; tokens are
masked. The text is Vietnamese: the people who look at it are our users.
"""

import datetime
import html
import re

from sandbox.web import mask

BANNER = "SANDBOX — công cụ phát triển, không phải Facebook/Zalo thật"
SIMULATED = (
    "Số liệu mô phỏng: lượt tương tác, lượt xem và người theo dõi tăng dần theo thời "
    "gian do sandbox tự sinh (run_sandbox --simulate), không phải người dùng thật."
)
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))
STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#f0f2f5;color:#1c1e21}
.banner{background:#b00020;color:#fff;font-weight:700;padding:.6rem 1rem;
text-align:center;position:sticky;top:0}
main{max-width:46rem;margin:1rem auto;padding:0 1rem}
section,.card{background:#fff;border-radius:8px;padding:1rem;margin:1rem 0}
article{border-top:1px solid #ddd;padding:.8rem 0}
.muted{color:#65676b;font-size:.9rem}.message{white-space:pre-wrap}
.deleted{opacity:.5;text-decoration:line-through}
.simulated{background:#fff3cd;border:1px solid #e0c36a;border-radius:8px;padding:.6rem}
img{max-width:100%;max-height:18rem;margin:.3rem .3rem 0 0;border-radius:4px}
button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}
"""


def esc(value):
    return html.escape("" if value is None else str(value))


def layout(title, body):
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · SANDBOX</title><style>{STYLE}</style></head><body>"
        f'<div class="banner" role="alert">{esc(BANNER)}</div>'
        f"<main>{body}</main></body></html>"
    )


def local_time(seconds):
    moment = datetime.datetime.fromtimestamp(seconds, VIETNAM)
    return moment.strftime("%d/%m/%Y %H:%M")


def image(url):
    """An <img> only for web addresses (never `javascript:` or the like)."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://", "/")):
        return ""
    return f'<img src="{esc(url)}" alt="" loading="lazy">'


def plain(markup):
    """Zalo body blocks hold HTML: show their text, escaped."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup or ""))
    return esc(" ".join(text.split()))


def error_page(message):
    body = f'<div class="card"><h1>Không thể tiếp tục</h1><p>{esc(message)}</p></div>'
    return layout("Lỗi", body)


# The feed ---------------------------------------------------------------------------
def feed(state):
    """GET /: each Page's posts and each OA's articles, newest first."""
    data = state.data
    parts = ["<h1>Những gì đã đăng</h1>"]
    if getattr(state, "simulated", False):
        parts.append(f'<p class="simulated" role="note">{esc(SIMULATED)}</p>')
    if not data["pages"] and not data["oas"]:
        parts.append(
            '<p class="muted">Chưa có Trang Facebook hay OA Zalo nào. Tạo bằng '
            "<code>POST /_sandbox/facebook/pages</code> hoặc "
            "<code>POST /_sandbox/zalo/oas</code>.</p>"
        )
    for page in data["pages"].values():
        posts = [p for p in data["posts"].values() if p["page"] == page["id"]]
        parts.append(page_section(page, posts))
    for oa in data["oas"].values():
        articles = [a for a in data["articles"].values() if a["oa"] == oa["id"]]
        parts.append(oa_section(oa, articles))
    return layout("Bảng tin", "".join(parts))


def page_section(page, posts):
    head = (
        f'<section id="page-{esc(page["id"])}"><h2>Facebook · {esc(page["name"])}</h2>'
        f'<p class="muted">ID {esc(page["id"])} · {esc(page.get("followers", 0))} '
        f"người theo dõi · mã truy cập Trang {esc(mask(page['token']))}</p>"
    )
    if not posts:
        head += '<p class="muted">Chưa có bài đăng.</p>'
    posts = sorted(posts, key=lambda p: (p["created_time"], p["seq"]), reverse=True)
    return head + "".join(post_html(p) for p in posts) + "</section>"


def post_html(post):
    counts = {"reactions": 0, "comments": 0, "shares": 0, "views": 0}
    counts.update(post.get("engagement", {}))
    state = ""
    if post.get("deleted"):
        state = " · đã xóa"
    elif not post.get("published", True):
        state = " · chưa công khai"
    link = post.get("link")
    link_html = f'<p><a href="{esc(link)}" rel="noopener">{esc(link)}</a></p>'
    return (
        f'<article id="post-{esc(post["id"])}"'
        f"{' class=deleted' if post.get('deleted') else ''}>"
        f'<div class="message">{esc(post.get("message"))}</div>'
        + (link_html if link else "")
        + "".join(image(url) for url in post.get("images", []))
        + f'<p class="muted">{esc(local_time(post["created_time"]))} · '
        f"{esc(counts['reactions'])} cảm xúc · {esc(counts['comments'])} bình luận · "
        f"{esc(counts['shares'])} chia sẻ · {esc(counts['views'])} lượt xem · "
        f"ID {esc(post['id'])}{esc(state)}</p></article>"
    )


def oa_section(oa, articles):
    head = (
        f'<section id="oa-{esc(oa["id"])}"><h2>Zalo OA · {esc(oa["name"])}</h2>'
        f'<p class="muted">OA ID {esc(oa["id"])} · {esc(oa.get("followers", 0))} '
        "người quan tâm</p>"
    )
    if not articles:
        head += '<p class="muted">Chưa có bài viết.</p>'
    articles = sorted(articles, key=lambda a: a["create_date"], reverse=True)
    return head + "".join(article_html(a) for a in articles) + "</section>"


def article_html(article):
    cover = (article.get("cover") or {}).get("photo_url") or article.get("avatar")
    blocks = []
    for block in article.get("body") or []:
        if block.get("type") == "text":
            blocks.append(f"<p>{plain(block.get('content'))}</p>")
        elif block.get("type") == "image":
            caption = f"<p>{esc(block.get('caption'))}</p>"
            blocks.append(image(block.get("url")) + caption)
    deleted = article.get("deleted")
    return (
        f'<article id="article-{esc(article["id"])}"'
        f"{' class=deleted' if deleted else ''}>"
        + image(cover)
        + f"<h3>{esc(article.get('title'))}</h3>"
        f'<p class="muted">{esc(article.get("author"))}</p>'
        f"<p><em>{esc(article.get('description'))}</em></p>"
        + "".join(blocks)
        + f'<p class="muted">{esc(local_time(article["create_date"] / 1000))} · '
        f"{esc(article.get('total_view', 0))} lượt xem · ID {esc(article['id'])}"
        f"{' · đã xóa' if deleted else ''}</p></article>"
    )


# The dialogs ------------------------------------------------------------------------
def hidden(params):
    return "".join(
        f'<input type="hidden" name="{esc(key)}" value="{esc(value)}">'
        for key, value in params.items()
    )


def buttons():
    return (
        '<p><button name="decision" value="approve">Cho phép</button>'
        '<button name="decision" value="deny">Từ chối</button></p>'
    )


def facebook_dialog(action, params, user, managed):
    """Facebook Login: who is logged in, which Pages, what the app asks for."""
    scopes = [s for s in params["scope"].split(",") if s.strip()] or ["public_profile"]
    items = "".join(
        f"<li>{esc(p['name'])} <span class=muted>(ID {esc(p['id'])})</span></li>"
        for p in managed
    )
    body = (
        '<div class="card"><h1>Đăng nhập bằng Facebook (giả lập)</h1>'
        f"<p>Bạn đang đăng nhập là <strong>{esc(user['name'])}</strong>.</p>"
        f"<p>Ứng dụng <strong>{esc(params['client_id'])}</strong> muốn các quyền: "
        f"{esc(', '.join(s.strip() for s in scopes))}.</p>"
        "<p>Các Trang bạn quản lý:</p>"
        + (f"<ul>{items}</ul>" if items else "<p class=muted>Chưa có Trang nào.</p>")
        + f'<form method="post" action="{esc(action)}">{hidden(params)}{buttons()}'
        "</form></div>"
    )
    return layout("Đăng nhập Facebook", body)


def zalo_permission(action, params, oas):
    """Zalo's permission page: pick the OA to connect."""
    choices = "".join(
        f'<p><label><input type="radio" name="oa_id" value="{esc(oa["id"])}"'
        f"{' checked' if index == 0 else ''}> {esc(oa['name'])} "
        f"<span class=muted>(OA ID {esc(oa['id'])})</span></label></p>"
        for index, oa in enumerate(oas)
    )
    body = (
        '<div class="card"><h1>Cấp quyền cho ứng dụng (Zalo giả lập)</h1>'
        f"<p>Ứng dụng <strong>{esc(params['app_id'])}</strong> muốn quản lý "
        "Official Account của bạn. Chọn OA:</p>"
        f'<form method="post" action="{esc(action)}">{hidden(params)}'
        + (choices or "<p class=muted>Chưa có OA nào.</p>")
        + f"{buttons()}</form></div>"
    )
    return layout("Cấp quyền Zalo", body)
