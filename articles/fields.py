from django_prose_editor.fields import ProseEditorField

from articles.sanitize import clean_definition, clean_html

EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    # Without autolink, text typed right after a link (a ".") stays outside it;
    # LinkRetyping keeps the link on new words typed over its text.
    "Link": {
        "enableTarget": False,
        "protocols": ["http", "https", "mailto"],
        "autolink": False,
    },
    "LinkRetyping": True,
    # Names the editable area after the field's label, for screen readers.
    "FieldLabel": True,
    "History": True,
}


class SanitizedHTMLField(ProseEditorField):
    """Rich text that is sanitized on every write, not only when a form is used.

    ``pre_save`` covers ``save()`` and ``objects.create()``; ``get_db_prep_save``
    also covers ``QuerySet.update()``, ``bulk_create()`` and ``loaddata``, which
    skip ``pre_save``.
    """

    cleaner = staticmethod(clean_html)
    extensions = EDITOR_EXTENSIONS

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("config", {"extensions": self.extensions})
        kwargs["sanitize"] = self.cleaner
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = self.cleaner(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        return super().get_db_prep_save(self.cleaner(value), connection)


class SanitizedDefinitionField(SanitizedHTMLField):
    """A glossary definition: a sentence or two, with emphasis at most."""

    cleaner = staticmethod(clean_definition)
    extensions = {"Bold": True, "Italic": True, "FieldLabel": True, "History": True}
