"""The body field in the admin: the rich-text editor, and under it the links
whose text does not say where they go, and the body's reading level.

Both are rendered with the page, from the body as stored or as just
submitted; as the editor types, the editor's VagueLinks extension keeps the
links current, and its ReadingLevel extension the reading level
(articles.admin.reading_level).
"""

from django import forms
from django.urls import reverse
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.link_text import ADVICE, browser_rules, vague_links
from articles.models import PlainerWord
from articles.reading_level import LONG_SENTENCE_WORDS, measure


class BodyEditorWidget(AdminProseEditorWidget):
    template_name = "articles/widgets/body_editor.html"

    def get_config(self):
        # The rules are defined once, in Python, and handed to the editor's
        # VagueLinks extension, which marks links as the editor types. Added
        # here, not in the model field's config: they are the admin's alone.
        extensions = self.config.get("extensions", {})
        self.config = self.config | {
            "extensions": extensions
            | {
                "VagueLinks": browser_rules(),
                "ReadingLevel": {
                    "url": reverse("admin:articles_article_reading_level")
                },
            }
        }
        return super().get_config()

    @property
    def media(self):
        return super().media + forms.Media(
            css={"all": ["articles/admin/body_editor.css"]}
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["vague_links"] = vague_links(context["widget"]["value"])
        context["widget"]["vague_links_advice"] = ADVICE
        context["widget"]["reading_level"] = measure(
            context["widget"]["value"], PlainerWord.objects.pairs()
        )
        context["widget"]["long_sentence_words"] = LONG_SENTENCE_WORDS
        return context
