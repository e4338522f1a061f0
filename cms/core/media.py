"""Uploads served by Django (development, browser tests): as a web server should.

Production serves MEDIA_ROOT from the web server with the same headers
(docs/security.md). Every file gets a policy that runs nothing, and anything that is
not an image, a video or a sound (an SVG is a document: it can hold script) is a
download, never a page of this origin.
"""

from django.views.static import serve

SHOWN_INLINE = ("image/", "video/", "audio/")


def serve_upload(request, path, document_root=None):
    response = serve(request, path, document_root=document_root)
    content_type = response.get("Content-Type", "")
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    if not content_type.startswith(SHOWN_INLINE) or "svg" in content_type:
        response["Content-Disposition"] = "attachment"
    return response
