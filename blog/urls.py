from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

admin.site.site_header = f"{settings.SITE_NAME} editor"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Content"

urlpatterns = [
    path(settings.ADMIN_URL_PREFIX, admin.site.urls),
    path("", include("articles.urls")),
]


def serve_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    # Single-machine mode: uploads are served by the application itself.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media)]
