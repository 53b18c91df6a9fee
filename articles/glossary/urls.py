from django.urls import path

from articles.glossary import views

app_name = "glossary"
urlpatterns = [
    path("glossary/", views.TermListView.as_view(), name="index"),
    path("glossary/<slug:slug>/", views.TermDetailView.as_view(), name="term"),
]
