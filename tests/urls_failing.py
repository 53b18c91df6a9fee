from django.urls import path

from blog.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise RuntimeError("A bug in a view")


urlpatterns = [path("broken/", broken_view), *site_urlpatterns]
