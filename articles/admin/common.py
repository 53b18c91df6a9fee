"""Shared admin pieces."""

from django import forms
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models

# The largest id a 64-bit integer column (and SQLite) can hold: a bigger one
# in a form is a hand-made value, which SQLite would answer with a crash.
MAX_ID = 2**63 - 1

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
        return super().optgroups(name, [item for item in value if is_id(item)], attr)


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


def is_id(value):
    """Whether ``value`` could be a row's id."""
    try:
        return 0 < int(str(value)) <= MAX_ID
    except ValueError:
        return False


class SafeModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not is_id(value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value or ():
            if not is_id(item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


class SafeInputMixin:
    """For every ModelAdmin: hand-made input (ids that are not ids, NUL in a
    search, a bad selection for an action) gets an error, never a 500."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = autocomplete_widget(
                db_field, self.admin_site, kwargs.get("using")
            )
        kwargs.setdefault("form_class", SafeModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = autocomplete_widget(
                db_field, self.admin_site, kwargs.get("using")
            )
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        # PostgreSQL refuses NUL in any text; nobody searches for it.
        return super().get_search_results(
            request, queryset, search_term.replace("\x00", "")
        )

    def response_action(self, request, queryset):
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if not all(is_id(value) for value in selected):
            messages.error(request, "Choose items from the list. Nothing was changed.")
            return None
        return super().response_action(request, queryset)


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
