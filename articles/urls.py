from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic"),
    path("preview/<int:pk>/", views.preview, name="preview"),
]
