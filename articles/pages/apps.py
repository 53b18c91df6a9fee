from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "articles.pages"
    label = "pages"
    verbose_name = "Site pages"
    default_auto_field = "django.db.models.BigAutoField"
