"""Related rows fetched inside the query of the row they belong to.

The article page shows a handful of small related things (topics, tags,
change notes, the latest review, related articles). A prefetch for each costs
a round trip each; as JSON built by the database they come in the article's
own query. ``JSONList`` is a subquery that gives its rows as one JSON array of
objects, and ``instances`` turns those objects back into model instances.
"""

from datetime import UTC, datetime

from django.db.models import JSONField, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone


class JSONList(Subquery):
    """The rows of ``queryset``, in its order, as a JSON array of objects with
    the given ``fields`` (name -> field path or expression)."""

    def __init__(self, queryset, **fields):
        super().__init__(
            queryset.values(item=JSONObject(**fields)), output_field=JSONField()
        )

    def as_sql(self, compiler, connection, template=None, **extra_context):
        sql, params = super().as_sql(compiler, connection, template, **extra_context)
        # Each database has its own aggregate; both keep the order the rows
        # come in from the ordered subquery.
        if connection.vendor == "postgresql":
            return (
                f"COALESCE((SELECT JSONB_AGG(nested.item) FROM {sql} nested), '[]'::jsonb)",
                params,
            )
        return f"(SELECT JSON_GROUP_ARRAY(JSON(nested.item)) FROM {sql} nested)", params


def instance(model, data):
    """A ``model`` instance from one JSON object of its fields, as if loaded
    with only() those fields: reading any other costs a query, never a wrong
    default."""
    given = {model._meta.get_field(name).attname: value for name, value in data.items()}
    # from_db() takes the values in the order of the model's fields.
    fields = [f for f in model._meta.concrete_fields if f.attname in given]
    return model.from_db(
        None,
        [field.attname for field in fields],
        [typed(field, given[field.attname]) for field in fields],
    )


def instances(model, items):
    return [instance(model, data) for data in items or ()]


def typed(field, value):
    """A JSON value back as the field's Python type: JSON has no dates, and
    SQLite writes its stored (UTC) datetimes without a zone."""
    value = field.to_python(value)
    if isinstance(value, datetime) and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


class MadeOnFirstRead(dict):
    """A ``_prefetched_objects_cache`` whose entries are made from their JSON
    when first read: a page sent from its kept parts (articles.page_parts)
    never reads most of them."""

    def __init__(self, makers):
        super().__init__()
        self.makers = dict(makers)

    def __missing__(self, name):
        if name not in self.makers:
            raise KeyError(name)
        self[name] = value = self.makers.pop(name)()
        return value

    def __contains__(self, name):
        return super().__contains__(name) or name in self.makers

    def get(self, name, default=None):
        # Not dict.get, which never calls __missing__.
        return self[name] if name in self else default  # noqa: SIM401
