import secrets
from urllib.parse import urlsplit

from django.conf import settings
from js_asset import Media


def image_sources():
    """This host, inline data and, when uploads are served from elsewhere (an
    object store or a CDN, see MEDIA_URL), that host."""
    media = urlsplit(settings.MEDIA_URL)
    elsewhere = f" {media.scheme}://{media.netloc}" if media.netloc else ""
    return f"'self' data:{elsewhere}"


def reader_csp():
    """Reader pages load nothing from other hosts but images, and run no
    script of ours."""
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src {image_sources()}",
            "style-src 'self'",
            "script-src 'none'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
# The body editor (django-prose-editor, built on Tiptap) injects Tiptap's base
# stylesheet as a <style> element and cannot be given a nonce for it. This is
# the hash of that stylesheet; a new django-prose-editor may change it, and then
# tests/test_admin_csp.py fails with the new hash in the violation message.
TIPTAP_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


def admin_csp(nonce):
    """The admin's policy: its own scripts, and the one inline script it has,
    django-prose-editor's import map, by the nonce the page was rendered with;
    its own stylesheets, and the editor's one inline stylesheet by its hash."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' {TIPTAP_STYLE_HASH}",
            f"img-src {image_sources()}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    """Adds the headers Django 5.2 lacks: a Content-Security-Policy (one for
    reader pages, one with a fresh nonce for each admin page) and a
    Permissions-Policy.

    Written here rather than taken from django-csp: the two areas need two
    policies by URL prefix, which django-csp does only per view, and the
    admin's views are not ours to decorate. Django 6.0 has this built in.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_URL_PREFIX}"
        self.reader_csp = reader_csp()

    def __call__(self, request):
        is_admin = request.path.startswith(self.admin_prefix)
        if is_admin:
            request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Content-Security-Policy",
            admin_csp(request.csp_nonce) if is_admin else self.reader_csp,
        )
        return response

    def process_template_response(self, request, response):
        # Django's admin templates render the import map from the page's media
        # (js_asset's Media, which can carry a nonce); the response's context,
        # before it is rendered, is the one place to hand the nonce over.
        nonce = getattr(request, "csp_nonce", None)
        media = (response.context_data or {}).get("media")
        if nonce and isinstance(media, Media):
            response.context_data["media"] = media.with_nonce(nonce)
        return response
