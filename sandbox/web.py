"""HTTP plumbing for the sandbox: parsed requests, responses, forms, masking.

Standard library only: the server runs inside pytest and under `run_sandbox`, never
through Django's request handling.
"""

import dataclasses
import json
import urllib.parse
from email.message import Message
from email.parser import BytesHeaderParser

JSON_TYPE = "application/json; charset=UTF-8"
HTML_TYPE = "text/html; charset=utf-8"

# Parameter names whose values are secrets: masked in the calls log.
SECRET_PARAMS = {
    "access_token",
    "fb_exchange_token",
    "input_token",
    "refresh_token",
    "client_secret",
    "secret_key",
    "code",
    "code_verifier",
    "token",
}


@dataclasses.dataclass
class Upload:
    """One file of a multipart form (kept in memory: a development tool)."""

    filename: str
    content_type: str
    data: bytes


@dataclasses.dataclass
class Request:
    """What a route function sees: the request already parsed."""

    method: str
    path: str  # percent-decoded, without the query string
    query: dict
    headers: Message
    body: bytes = b""
    form: dict = dataclasses.field(default_factory=dict)
    files: dict = dataclasses.field(default_factory=dict)
    json: object = None
    ctx: dict = dataclasses.field(default_factory=dict)  # set by routers

    def param(self, name, default=None):
        """A parameter from the query, the form or a JSON object body, in that order."""
        for source in (self.query, self.form):
            if name in source:
                return source[name]
        if isinstance(self.json, dict) and name in self.json:
            return self.json[name]
        return default

    @property
    def base_url(self):
        """The sandbox's own origin as the client reached it, ending with "/"."""
        return f"http://{self.headers.get('Host', '127.0.0.1')}/"


@dataclasses.dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: dict = dataclasses.field(default_factory=dict)
    meta: dict = dataclasses.field(default_factory=dict)  # hints, never sent

    def data(self):
        """The decoded JSON body, or None (for the calls log and decorators)."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def json_response(data, status=200, headers=None):
    body = json.dumps(data, ensure_ascii=False).encode()
    return Response(status=status, body=body, headers=dict(headers or {}))


def html_response(text, status=200):
    return Response(status=status, body=text.encode(), content_type=HTML_TYPE)


def redirect(url):
    return Response(status=302, headers={"Location": url}, content_type=HTML_TYPE)


def add_query(url, params):
    """`url` with `params` appended to its query string (keeps what was there)."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query += [(key, value) for key, value in params.items() if value is not None]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def mask(token):
    """First four characters and an ellipsis: enough to tell tokens apart."""
    if not token:
        return token
    return f"{str(token)[:4]}…"


def mask_params(params):
    """A copy of a flat parameter dict with secrets masked and long values cut."""
    masked = {}
    for key, value in params.items():
        if key in SECRET_PARAMS and isinstance(value, str):
            masked[key] = mask(value)
        elif isinstance(value, str) and len(value) > 300:
            masked[key] = value[:300] + "…"
        else:
            masked[key] = value
    return masked


def parse_request(method, target, headers, body):
    """Build a Request from the raw request line target, headers and body."""
    url = urllib.parse.urlsplit(target)
    request = Request(
        method=method.upper(),
        path=urllib.parse.unquote(url.path) or "/",
        query=dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True)),
        headers=headers,
        body=body,
    )
    content_type = headers.get("Content-Type", "")
    mime = content_type.split(";")[0].strip().lower()
    if mime == "application/x-www-form-urlencoded":
        text = body.decode("utf-8", "replace")
        request.form = dict(urllib.parse.parse_qsl(text, keep_blank_values=True))
    elif mime == "multipart/form-data":
        request.form, request.files = parse_multipart(body, content_type)
    elif body.strip():
        # Zalo clients send JSON, sometimes without saying so.
        try:
            request.json = json.loads(body)
        except ValueError:
            request.json = None
    return request


def parse_multipart(body, content_type):
    """Split a multipart/form-data body into (fields, files).

    A small splitter on the boundary; each part's headers are read with the email
    package's header parser (no `cgi`).
    """
    header = Message()
    header["Content-Type"] = content_type
    boundary = header.get_param("boundary")
    fields, files = {}, {}
    if not boundary:
        return fields, files
    for chunk in body.split(b"--" + boundary.encode())[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, _, data = chunk.partition(b"\r\n\r\n")
        part = BytesHeaderParser().parsebytes(head + b"\r\n\r\n")
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        filename = part.get_param("filename", header="content-disposition")
        if filename is None:
            fields[name] = data.decode("utf-8", "replace")
        else:
            kind = part.get_content_type() or "application/octet-stream"
            files[name] = Upload(filename=filename, content_type=kind, data=data)
    return fields, files


@dataclasses.dataclass
class Match:
    """A routed request: which network and endpoint (for faults and the log), the
    function to run as `func(state, request, **kwargs)`, and whether it writes."""

    network: str | None
    endpoint: str
    func: object
    kwargs: dict = dataclasses.field(default_factory=dict)
    mutating: bool = False
