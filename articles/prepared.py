"""Querysets compiled once per process, then run with new values.

Django builds and compiles a queryset's SQL on every evaluation. For the
article page's query, whose related rows come as JSON subqueries
(ArticleQuerySet.for_page), that is most of a request: building and compiling
it costs ten times running it. A PreparedQuery builds its queryset once per
database with stand-in values, compiles it, notes where each stand-in lands
among the SQL parameters, and from then on only puts the new values there.
The rows, and the model instances made of them, are read afresh each time:
nothing but the SQL text is kept.

Only strings and datetimes can be bound, and each must reach the SQL as a
parameter of its own (an exact lookup, a comparison): a value a lookup
changes on the way (``__contains`` wraps it in %) is not found, and
preparing fails at once rather than running the wrong SQL.
"""

import datetime
import threading

from django.db import connections, router
from django.db.models.sql.query import Query

# Stand-ins no real value is: each bound name gets its own microsecond.
STAND_IN_TEXT = "\x00prepared:{name}\x00"
STAND_IN_TIME = datetime.datetime(1970, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


class PreparedQuery:
    """``build(**values)`` -> QuerySet, compiled once and run as
    ``prepared.list(**values)``.

    The queryset ``build`` returns must not depend on anything but the
    values: it is built once per database and process.
    """

    def __init__(self, model, build):
        self.model = model
        self.build = build
        self._compiled = {}
        self._lock = threading.Lock()

    def list(self, **values):
        """What ``list(build(**values))`` gives, without building or compiling."""
        alias = router.db_for_read(self.model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(alias) or self._compile(alias, values)
                self._compiled[alias] = compiled
        return list(compiled.queryset(values))

    def _compile(self, alias, values):
        stand_ins = {
            name: stand_in(name, index, value)
            for index, (name, value) in enumerate(sorted(values.items()))
        }
        queryset = self.build(**stand_ins).using(alias)
        return CompiledQuery(queryset, stand_ins, connections[alias])


def stand_in(name, index, value):
    if isinstance(value, str):
        return STAND_IN_TEXT.format(name=name)
    if isinstance(value, datetime.datetime):
        return STAND_IN_TIME.replace(microsecond=index + 1)
    raise TypeError(f"{name}: only strings and datetimes can be bound, not {value!r}")


class CompiledQuery:
    """One queryset's SQL, its parameters, and where the bound values go."""

    def __init__(self, queryset, stand_ins, connection):
        self.template = queryset
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        # What a compiler learns while compiling, which reading the rows uses.
        self.compiler_state = {
            name: getattr(compiler, name)
            for name in (
                "select",
                "klass_info",
                "annotation_col_map",
                "col_count",
                "has_extra_select",
            )
        }
        self.slots = {}
        taken = set()
        for name, value in stand_ins.items():
            adapt = adapter(value, connection)
            positions = [i for i, p in enumerate(self.params) if p == adapt(value)]
            if not positions or taken & set(positions):
                raise ValueError(f"{name!r} does not reach the SQL as a parameter")
            taken.update(positions)
            self.slots[name] = (positions, adapt)

    def bind(self, values):
        if values.keys() != self.slots.keys():
            raise TypeError(f"expected values for {sorted(self.slots)}")
        params = list(self.params)
        for name, value in values.items():
            positions, adapt = self.slots[name]
            for position in positions:
                params[position] = adapt(value)
        return params

    def queryset(self, values):
        """The template queryset, cloned, answering with this SQL and ``values``."""
        queryset = self.template._chain()
        queryset.query.__class__ = PreparedSQL
        queryset.query.prepared = (self, values)
        return queryset


def adapter(value, connection):
    """How the backend passes ``value`` to the driver (SQLite: datetimes as text)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value
    return str


class PreparedSQL(Query):
    """A query whose compiler answers with SQL compiled before."""

    prepared = None

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        compiler.__class__ = prepared_compiler(type(compiler))
        return compiler


_COMPILERS = {}


def prepared_compiler(base):
    if base not in _COMPILERS:
        _COMPILERS[base] = type(
            f"Prepared{base.__name__}", (PreparedCompiler, base), {}
        )
    return _COMPILERS[base]


class PreparedCompiler:
    def as_sql(self, with_limits=True, with_col_aliases=False):
        compiled, values = self.query.prepared
        for name, value in compiled.compiler_state.items():
            setattr(self, name, value)
        return compiled.sql, compiled.bind(values)
