from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView

from articles.pages.models import Page


class PageDetailView(DetailView):
    """A published page. A hidden one is "not found", except to those who may
    edit pages, who see it with a notice, as a preview."""

    def get_queryset(self):
        if self.request.user.has_perm("pages.change_page"):
            return Page.objects.all()
        return Page.objects.published()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response
