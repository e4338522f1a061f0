"""Public HTML and XML compressed as the browser accepts: brotli, else gzip.

Only what is the same for every visitor is compressed. Anything under /admin/, and
any response that sets a cookie or varies with cookies (a session read, a CSRF
token), goes out as it is: compressing a secret beside text an attacker can make
the page echo leaks the secret through the response's length (BREACH).
Static files are compressed ahead of time by collectstatic (WhiteNoise).
"""

import re

import brotli
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import has_vary_header, patch_vary_headers

from cms.core.csp import is_admin_path

# About gzip's speed for a smaller result; 11 would cost tens of ms on each page
# rendered.
BROTLI_QUALITY = 5
COMPRESSED_TYPES = frozenset({"text/html", "application/xml", "text/xml"})
ACCEPTS_BROTLI = re.compile(r"\bbr\b")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def accepted_encoding(request):
    """ "br", "gzip" or "": what this middleware will send to the request's client
    (the page cache keeps one entry for each)."""
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if ACCEPTS_BROTLI.search(accepted):
        return "br"
    return "gzip" if ACCEPTS_GZIP.search(accepted) else ""


def compressible(request, response):
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return (
        content_type in COMPRESSED_TYPES
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and not is_admin_path(request.path_info)
    )


class PublicCompressionMiddleware(GZipMiddleware):
    """Django's gzip middleware, for public pages only, with brotli first."""

    def process_response(self, request, response):
        if not compressible(request, response):
            return response
        if accepted_encoding(request) != "br":
            return super().process_response(request, response)
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = brotli.compress(response.content, quality=BROTLI_QUALITY)
        if len(compressed) < len(response.content):
            response.content = compressed
            response.headers["Content-Length"] = str(len(compressed))
            response.headers["Content-Encoding"] = "br"
        return response
