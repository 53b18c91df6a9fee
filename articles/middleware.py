from django.conf import settings

# Reader pages load nothing from other hosts and run no script of ours.
READER_CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    """Adds the headers Django 5.2 lacks: a CSP for reader pages, Permissions-Policy.

    The admin is left without a CSP because django-prose-editor relies on an
    inline import map.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_URL_PREFIX}"

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not request.path.startswith(self.admin_prefix):
            response.headers.setdefault("Content-Security-Policy", READER_CSP)
        return response
