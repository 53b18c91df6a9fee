from django.urls import include, path

from articles import views

app_name = "articles"
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("topics/", views.TopicListView.as_view(), name="topics"),
    path("topics/<slug:slug>/", views.TopicArticlesView.as_view(), name="topic"),
    path("tags/<slug:slug>/", views.TagArticlesView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorArticlesView.as_view(), name="author"),
    path("archive/", views.ArchiveView.as_view(), name="archive"),
    path(
        "archive/<int:year>/<int:month>/",
        views.ArchiveMonthView.as_view(),
        name="archive_month",
    ),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("search/", views.search, name="search"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
    path("", include("articles.feeds.urls")),
]
