from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Content"

    def ready(self):
        from articles import image_rights, page_cache, signals
        from articles.glossary.models import Source, Term
        from articles.images.models import Image, Rendition
        from articles.models import (
            Article,
            Author,
            ChangeNote,
            Link,
            MedicalReview,
            PendingChange,
            Reference,
            SlugRedirect,
            Tag,
            Topic,
        )
        from articles.pages.models import Page
        from articles.wordpress.models import OldAddress

        image_rights.plug_in()
        signals.connect(self)
        # Everything a reader page, feed or sitemap shows. Registered from
        # here because the image library and the site pages know nothing of
        # the page cache.
        page_cache.watch(
            Article,
            Reference,
            Image,
            Rendition,
            Topic,
            Tag,
            Author,
            MedicalReview,
            ChangeNote,
            SlugRedirect,
            PendingChange,
            Page,
            Term,
            Source,
            # The link checker's verdicts: a broken link is noted on the page.
            Link,
            OldAddress,
        )
        page_cache.bound_by(Article.objects.next_change_after)
