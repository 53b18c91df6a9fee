"""The site as a whole: its public address and how it describes itself, for
templates (through the context processor), feeds, structured data and emails."""

from urllib.parse import urljoin

from django.conf import settings

DESCRIPTION = (
    "Plain-language articles about multiple myeloma and cancer relapse, "
    "with their sources."
)


def absolute_url(url):
    """``url`` on the public site (SITE_URL); absolute URLs pass unchanged."""
    return urljoin(f"{settings.SITE_URL}/", url)


def context(request):
    """What every template may use: the site's name, address and description."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": DESCRIPTION,
    }
