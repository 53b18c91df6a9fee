"""Render and store the body of every article again (articles.body).

Saving an article or its references keeps its stored body in step, and
`migrate` renders again what an older version of articles.body stored. Run
this after changing SITE_URL (feed items are rendered against it; until
then each feed renders them on every request), or after changing the
templates the body is rendered with.
"""

from django.core.management.base import BaseCommand

from articles.models import Article


class Command(BaseCommand):
    help = "Render the stored body, references and feed text of every article again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale",
            action="store_true",
            help="Only articles an older version of the renderer stored.",
        )

    def handle(self, *args, stale=False, **options):
        articles = Article.objects.all()
        if stale:
            articles = articles.with_stale_body()
        count = articles.rebuild_bodies()
        self.stdout.write(f"Rendered {count} article{'s' if count != 1 else ''}.")
