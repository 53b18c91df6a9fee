"""Shared admin pieces."""

from django.db import models

# Links typed without a scheme ("cancer.gov/...") are taken as https.
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


def https_url_formfield(db_field, **kwargs):
    return db_field.formfield(**URL_FIELD_OVERRIDES.get(type(db_field), {}) | kwargs)
