"""The site as a whole: its public address and how it describes itself, for
templates (through the context processor), feeds, structured data and emails."""

from urllib.parse import urljoin, urlsplit

from django.conf import settings

DESCRIPTION = (
    "Plain-language articles about multiple myeloma and cancer relapse, "
    "with their sources."
)


def absolute_url(url):
    """``url`` on the public site (SITE_URL); absolute URLs pass unchanged."""
    return urljoin(f"{settings.SITE_URL}/", url)


# Hosts that name this machine to itself, and "every interface", which names
# no machine a browser can open.
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
ANY_INTERFACE = {"0.0.0.0", "::", ""}


def address_problem(site_url, host, port):
    """Why absolute links on ``site_url`` would miss a server listening on
    ``host``:``port``, or None. A SITE_URL on another host is taken to be the
    public name of a proxy in front (nginx on 443), and is fine."""
    parts = urlsplit(site_url)
    site_host = parts.hostname or ""
    if site_host in ANY_INTERFACE:
        return (
            f"SITE_URL {site_url} is no address a browser can open: set SITE_URL "
            "to the address readers use."
        )
    if site_host not in LOOPBACK | {host}:
        return None
    site_port = parts.port or (443 if parts.scheme == "https" else 80)
    if site_port != int(port):
        return (
            f"SITE_URL is {site_url}, but this server listens on {host}:{port}: "
            "absolute links (canonical URLs, feeds, emails) lead elsewhere. Set "
            "SITE_URL to the address readers use, or leave it unset to link to "
            "http://HOST:PORT."
        )
    return None


def context(request):
    """What every template may use: the site's name, address and description."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": DESCRIPTION,
    }
