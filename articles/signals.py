"""Keep each article's stored body (articles.body.stored_parts) in step with
what it is rendered from, however the change is made.

Article.save() renders it; these cover what does not go through save(): a
raw save (a version restored by django-reversion, loaddata), any saved or
deleted reference, any saved or deleted glossary term, and a migration that
leaves rows rendered by an older version of articles.body.
"""

from django.apps import apps as global_apps
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.dispatch import receiver

from articles.glossary.models import Term
from articles.models import Article, Reference


@receiver(post_save, sender=Article)
def render_raw_article(sender, instance, raw, **kwargs):
    if raw:
        instance.rebuild_body()


@receiver(post_save, sender=Reference)
@receiver(post_delete, sender=Reference)
def render_citing_article(sender, instance, origin=None, **kwargs):
    # Deleting the article deletes its references first: nothing to render.
    if isinstance(origin, Article) or (
        isinstance(origin, QuerySet) and origin.model is Article
    ):
        return
    article = Article.objects.filter(pk=instance.article_id).first()
    if article is not None:
        article.rebuild_body()


@receiver(pre_save, sender=Term)
def remember_stored_term(sender, instance, raw, **kwargs):
    instance.stored_slug = (
        Term.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Term)
@receiver(post_delete, sender=Term)
def render_articles_using_term(sender, instance, **kwargs):
    """Render again exactly the articles a term's change can alter: those that
    link it now (under its stored address) and those whose text has one of its
    forms, which may link it from now on."""
    slugs = {instance.slug, getattr(instance, "stored_slug", None)} - {None}
    articles = Article.objects.using_terms(slugs)
    if kwargs["signal"] is post_save:
        articles |= Article.objects.mentioning(instance.forms)
    articles.rebuild_bodies()


def render_stale_bodies(sender, apps=global_apps, **kwargs):
    # Only when the database has the model's columns, all of them: not after
    # migrating back, or only part of the way.
    migrated = apps.get_model("articles", "Article")._meta.fields
    if {f.column for f in migrated} == {f.column for f in Article._meta.fields}:
        Article.objects.with_stale_body().rebuild_bodies()


def connect(app_config):
    post_migrate.connect(render_stale_bodies, sender=app_config)
