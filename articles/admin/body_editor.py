"""The body field in the admin: the rich-text editor, and beside it the links
whose text does not say where they go.

The list is rendered with the page, from the body as stored or as just
submitted, and the editor's VagueLinks extension keeps it current as the
editor types.
"""

from django import forms
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.link_text import ADVICE, browser_rules, vague_links


class BodyEditorWidget(AdminProseEditorWidget):
    template_name = "articles/widgets/body_editor.html"

    def get_config(self):
        # The rules are defined once, in Python, and handed to the editor's
        # VagueLinks extension, which marks links as the editor types. Added
        # here, not in the model field's config: they are the admin's alone.
        extensions = self.config.get("extensions", {})
        self.config = self.config | {
            "extensions": extensions | {"VagueLinks": browser_rules()}
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
        return context
