from django.urls import path

from articles.pages import views

app_name = "pages"
urlpatterns = [
    path("<slug:slug>/", views.PageDetailView.as_view(), name="detail"),
]
