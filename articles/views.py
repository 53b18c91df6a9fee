from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from articles.models import Article, Reference, SlugRedirect, Topic

ARTICLE_PAGE_PREFETCH = (
    "topics",
    Prefetch("references", queryset=Reference.objects.order_by("position", "pk")),
)


class PublishedMixin:
    def get_queryset(self):
        return Article.objects.published().for_listing()


class ArticleListView(PublishedMixin, ListView):
    paginate_by = 10


class ArticleDetailView(PublishedMixin, DetailView):
    def get_queryset(self):
        return super().get_queryset().prefetch_related(*ARTICLE_PAGE_PREFETCH)

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = get_object_or_404(
                SlugRedirect.objects.filter(article__in=Article.objects.published()),
                old_slug=kwargs["slug"],
            )
            return redirect(moved.article, permanent=True)


class TopicDetailView(ListView):
    template_name = "articles/topic_detail.html"
    paginate_by = 10

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(topics=self.topic)

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)


@staff_member_required
def preview(request, pk):
    """Shows any article, live or not, to staff who may change articles."""
    if not request.user.has_perm("articles.change_article"):
        raise Http404
    article = get_object_or_404(
        Article.objects.for_listing().prefetch_related(*ARTICLE_PAGE_PREFETCH), pk=pk
    )
    response = render(
        request,
        "articles/article_detail.html",
        {"article": article, "object": article, "is_preview": True},
    )
    add_never_cache_headers(response)
    return response
