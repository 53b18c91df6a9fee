"""The admin's date boxes, showing the format they read.

Django's date box (with its calendar and "Today" link) reads and writes
dates in the site's locale: day first for en-gb (blog/formats/en_GB). An
empty box says so with a placeholder such as "dd/mm/yyyy", so nobody has to
guess which way round 04/05 is.
"""

from django import forms
from django.contrib.admin.widgets import (
    AdminDateWidget,
    AdminSplitDateTime,
    BaseAdminDateWidget,
    BaseAdminTimeWidget,
)
from django.db import models
from django.utils.formats import get_format

PLACEHOLDER_PARTS = {"%d": "dd", "%m": "mm", "%Y": "yyyy", "%y": "yy"}


def date_placeholder():
    """How the locale's first date format looks to an editor: "dd/mm/yyyy"."""
    text = get_format("DATE_INPUT_FORMATS")[0]
    for directive, shown in PLACEHOLDER_PARTS.items():
        text = text.replace(directive, shown)
    return text


class DatePlaceholderMixin:
    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # At render time: the locale's format is only known then.
        context["widget"]["attrs"].setdefault("placeholder", date_placeholder())
        return context


class DateWidget(DatePlaceholderMixin, AdminDateWidget):
    pass


class SplitDateTimeDateWidget(DatePlaceholderMixin, BaseAdminDateWidget):
    pass


class SplitDateTimeWidget(AdminSplitDateTime):
    def __init__(self, attrs=None):
        # As AdminSplitDateTime.__init__, with the placeholder on the date box.
        widgets = [SplitDateTimeDateWidget, BaseAdminTimeWidget]
        forms.MultiWidget.__init__(self, widgets, attrs)


DATE_FIELD_OVERRIDES = {
    models.DateField: {"widget": DateWidget},
    models.DateTimeField: {"widget": SplitDateTimeWidget},
}
