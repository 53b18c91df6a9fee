from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView
from django.views.static import serve

from articles.glossary.sitemaps import GlossarySitemap
from articles.pages.sitemaps import PageSitemap
from articles.sitemaps import SITEMAPS as ARTICLE_SITEMAPS

admin.site.site_header = f"{settings.SITE_NAME} editor"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Content"

handler400 = "articles.views.bad_request"

SITEMAPS = {**ARTICLE_SITEMAPS, "pages": PageSitemap, "glossary": GlossarySitemap}
# Crawlers fetch these often; an hour's staleness costs nothing.
crawler_cache = cache_control(max_age=60 * 60)
# The icon changes perhaps once in the site's life.
icon_cache = cache_control(max_age=60 * 60 * 24)

urlpatterns = [
    path(settings.ADMIN_URL_PREFIX, admin.site.urls),
    path("", include("articles.urls")),
    path("", include("articles.glossary.urls")),
    path(
        "robots.txt",
        crawler_cache(
            TemplateView.as_view(
                template_name="robots.txt",
                content_type="text/plain; charset=utf-8",
                extra_context={"admin_prefix": settings.ADMIN_URL_PREFIX},
            )
        ),
        name="robots",
    ),
    # Browsers, feed readers and bookmarks ask for /favicon.ico whatever a page
    # links: pages link favicon.svg, and this is the same mark as an ICO file.
    path(
        "favicon.ico",
        icon_cache(serve),
        {"path": "favicon.ico", "document_root": settings.BASE_DIR / "static"},
        name="favicon",
    ),
    # The index, so each section can page past 50,000 addresses (?p=2).
    path(
        "sitemap.xml",
        crawler_cache(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        crawler_cache(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS, "template_name": "articles/sitemap.xml"},
        name="sitemap-section",
    ),
]


def serve_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    # Single-machine mode: uploads are served by the application itself.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media)]

# Last: a site page takes any one-word address (/about/) that nothing above
# answers; Page.clean() refuses one that something above does.
urlpatterns += [path("", include("articles.pages.urls"))]
