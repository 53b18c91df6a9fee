"""Shared admin pieces."""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models

# Links typed without a scheme ("cancer.gov/...") are taken as https.
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


def https_url_formfield(db_field, **kwargs):
    return db_field.formfield(**URL_FIELD_OVERRIDES.get(type(db_field), {}) | kwargs)


class ValidChoicesMixin:
    """Re-showing a refused form, Django's autocomplete widgets look up the
    posted ids as they are, so a hand-made "abc" turns the form's error into a
    500. These show only the ids the field could hold; the form still reports
    the bad value as its error."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        kept = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class SafeAutocompleteSelect(ValidChoicesMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ValidChoicesMixin, AutocompleteSelectMultiple):
    pass


def autocomplete_widget(db_field, admin_site, using=None):
    """The autocomplete widget for a foreign key or many-to-many field."""
    widget = (
        SafeAutocompleteSelectMultiple
        if db_field.many_to_many
        else SafeAutocompleteSelect
    )
    return widget(db_field, admin_site, using=using)


class SafeAutocompleteMixin:
    """For a ModelAdmin with autocomplete_fields."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = autocomplete_widget(
                db_field, self.admin_site, kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ArticleAdminViewMixin:
    """For the article admin's own views: the article through the admin's
    role-filtered queryset, and the admin's page context."""

    model_admin = None

    def get_article(self):
        return self.model_admin.stored_article(self.request, self.kwargs["object_id"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.model_admin.admin_site.each_context(self.request),
            opts=self.model_admin.model._meta,
            **kwargs,
        )
