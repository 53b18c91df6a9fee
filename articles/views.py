from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import RequestDataTooBig
from django.core.paginator import InvalidPage
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, ListView, MonthArchiveView

from articles import pending
from articles.models import (
    Article,
    Author,
    SlugRedirect,
    Tag,
    Topic,
)
from articles.page_parts import PageKeeper
from articles.pagination import UncountedPaginator
from articles.search import MalformedQuery, clean_query
from articles.search import search as search_articles


class PublishedMixin:
    def get_queryset(self):
        return Article.objects.published().for_listing()


class ArticleListView(PublishedMixin, ListView):
    paginate_by = 10
    paginator_class = UncountedPaginator


class ArticleDetailView(PublishedMixin, DetailView):
    def review(self):
        """The review the page tells readers about."""
        return self.object.review_for_readers

    def related(self):
        return self.object.related_articles

    def get_object(self, queryset=None):
        article = Article.live_page(self.kwargs["slug"])
        if article is None:
            raise Http404("No live article at this address.")
        return article

    def page_keeper(self):
        """What keeps the page's head and article element (articles.page_parts)."""
        return PageKeeper(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            article_body=self.object.reader_body(),
            related_articles=self.related(),
            latest_review=self.review(),
            page_keeper=self.page_keeper(),
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if keeper := context.get("page_keeper"):
            response.add_post_render_callback(keeper.keep)
        return response

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = get_object_or_404(
                SlugRedirect.objects.filter(article__in=Article.objects.published()),
                old_slug=kwargs["slug"],
            )
            return redirect(moved.article, permanent=True)


@method_decorator(staff_member_required, name="dispatch")
class ArticlePreviewView(ArticleDetailView):
    """An article, live or not, for the staff who may open it in the admin
    (Article.objects.visible_to): reviewers read what they review here. A
    change waiting for review is shown in place of the published text."""

    pending_change = None

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (
            user.has_perm("articles.change_article")
            or user.has_perm("articles.review_article")
        ):
            raise Http404
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def get_queryset(self):
        # A proposed change is rendered afresh, from its own references.
        return (
            Article.objects.visible_to(self.request.user).for_page().with_references()
        )

    def get_object(self, queryset=None):
        # By id, from get_queryset: a preview is not the live page.
        article = DetailView.get_object(self, queryset)
        self.pending_change = pending.show_proposed(article)
        return article

    def page_keeper(self):
        # What staff preview is rendered for them alone, and never kept.
        return None

    def related(self):
        # A proposed change may choose other topics.
        return Article.objects.related_to(self.object)

    def review(self):
        # A proposed change is not described by the published text's review.
        if self.pending_change is not None:
            return pending.approved_review(self.pending_change)
        return super().review()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, is_preview=True, pending_change=self.pending_change
        )

    def get(self, request, *args, **kwargs):
        # Addressed by id: no old slugs to redirect.
        return DetailView.get(self, request, *args, **kwargs)


class ArticlesOfMixin(PublishedMixin):
    """The live articles of one topic, tag or author, ten to a page.

    The owner is looked up on its own so that an unknown slug is a 404 while a
    known one with no live articles yet still has its page (an author's bio).
    """

    paginate_by = 10
    paginator_class = UncountedPaginator
    owner_model = None
    # The Article field that points at the owner.
    owner_field = None

    def get_queryset(self):
        self.owner = get_object_or_404(self.owner_model, slug=self.kwargs["slug"])
        return super().get_queryset().filter(**{self.owner_field: self.owner})

    def get_context_data(self, **kwargs):
        kwargs[self.owner_model._meta.model_name] = self.owner
        return super().get_context_data(**kwargs)


class TopicArticlesView(ArticlesOfMixin, ListView):
    owner_model = Topic
    owner_field = "topics"
    template_name = "articles/topic_detail.html"


class TagArticlesView(ArticlesOfMixin, ListView):
    owner_model = Tag
    owner_field = "tags"
    template_name = "articles/tag_detail.html"


class AuthorArticlesView(ArticlesOfMixin, ListView):
    owner_model = Author
    owner_field = "author"
    template_name = "articles/author_detail.html"


class TopicListView(ListView):
    template_name = "articles/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        # Filtering before annotating makes the count cover live articles only,
        # and leaves out topics that would lead readers to an empty page.
        return Topic.objects.filter(articles__in=Article.objects.published()).annotate(
            article_count=Count("articles")
        )


class ArchiveView(ListView):
    """The months that have live articles, newest first, with how many each has."""

    template_name = "articles/archive.html"
    context_object_name = "months"

    def get_queryset(self):
        return (
            Article.objects.published()
            .annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(article_count=Count("pk"))
            .order_by("-month")
        )


class ArchiveMonthView(PublishedMixin, MonthArchiveView):
    date_field = "published_at"
    month_format = "%m"
    paginate_by = 10
    # A month with nothing live (only drafts or scheduled articles) is a 404,
    # and the previous/next month links skip such months.
    allow_empty = False
    allow_future = False
    template_name = "articles/archive_month.html"


def search(request):
    """/search/?q=: ranked results ten to a page; no query, a prompt; a
    malformed one (a NUL byte, over 200 characters), a 400 that says why."""
    try:
        query = clean_query(request.GET.get("q", ""))
    except MalformedQuery as error:
        context = {"query": "", "error": str(error)}
        return render(request, "articles/search.html", context, status=400)
    context = {"query": query}
    if query:
        try:
            results = search_articles(query, request.GET.get("page") or 1)
        except InvalidPage:
            raise Http404("No such page of results.") from None
        context |= {
            "results": results,
            "page_obj": results.page,
            "paginator": results.page.paginator,
            "is_paginated": results.page.has_other_pages(),
        }
    return render(request, "articles/search.html", context)


# Browsers fetch it once when a reader adds the site as a search engine.
@cache_control(max_age=60 * 60 * 24)
def opensearch(request):
    return render(
        request,
        "opensearch.xml",
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )


def bad_request(request, exception):
    """The 400 page, which says so when a form was too large to accept."""
    context = {
        "too_big": isinstance(exception, RequestDataTooBig),
        "limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024),
    }
    return render(request, "400.html", context, status=400)
