from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Content"

    def ready(self):
        from articles import image_rights, signals

        image_rights.plug_in()
        signals.connect(self)
