"""Fill the database with many made-up articles, for search benchmarks.

Not for a real site: the text is generated (see articles.management.made_up_text). Rows go in
with bulk_create, a batch per transaction; on PostgreSQL the search triggers
compute each article's search document as its rows arrive, and each batch's
bodies are rendered for readers before it commits.
"""

import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.management.made_up_text import (
    AUTHORS,
    TAGS,
    TOPICS,
    TextMaker,
    article_fields,
    reference_fields,
)
from articles.models import Article, Author, Reference, Tag, Topic


class Command(BaseCommand):
    help = "Generate N realistic made-up articles (default 50,000) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=50_000)
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, batch_size, seed, **options):
        maker = TextMaker(random.Random(seed))
        topics = [self.named(Topic, name) for name in TOPICS]
        tags = [self.named(Tag, name) for name in TAGS]
        authors = [
            Author.objects.get_or_create(
                slug=slugify(name), defaults={"name": name, "credentials": creds}
            )[0]
            for name, creds in AUTHORS
        ]
        # Slugs carry a running number; continuing after existing articles keeps
        # them unique when the command is run again.
        start = Article.objects.count()
        began = time.monotonic()
        for offset in range(0, count, batch_size):
            numbers = range(start + offset, start + min(offset + batch_size, count))
            with transaction.atomic():
                self.make_batch(maker, numbers, topics, tags, authors)
            done = numbers.stop - start
            self.stdout.write(
                f"{done:,} of {count:,} articles ({time.monotonic() - began:.0f} s)"
            )

    def named(self, model, name):
        return model.objects.get_or_create(slug=slugify(name), defaults={"name": name})[
            0
        ]

    def make_batch(self, maker, numbers, topics, tags, authors):
        now = timezone.now()
        rng = maker.rng
        articles = Article.objects.bulk_create(
            Article(**article_fields(maker, n, now), author=rng.choice(authors))
            for n in numbers
        )
        topic_links, tag_links, references = [], [], []
        for article in articles:
            for topic in rng.sample(topics, rng.randint(1, 3)):
                topic_links.append(
                    Article.topics.through(article_id=article.pk, topic_id=topic.pk)
                )
            for tag in rng.sample(tags, rng.randint(0, 4)):
                tag_links.append(
                    Article.tags.through(article_id=article.pk, tag_id=tag.pk)
                )
            for position in range(1, rng.randint(1, 3) + 1):
                references.append(
                    Reference(
                        article=article, position=position, **reference_fields(maker)
                    )
                )
        Article.topics.through.objects.bulk_create(topic_links)
        Article.tags.through.objects.bulk_create(tag_links)
        Reference.objects.bulk_create(references)
        # bulk_create() skips save(), which renders what readers get of the body.
        Article.objects.filter(pk__in=[a.pk for a in articles]).rebuild_bodies()
