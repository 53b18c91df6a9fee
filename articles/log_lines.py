"""How the site logs: one line per event on standard error, as text or, with
LOG_FORMAT=json, as JSON (python-json-logger), so that journald, docker and a
log collector each see a whole event, traceback included, as one record."""

import logging


class OneLineFormatter(logging.Formatter):
    """Django's usual text, with the line breaks of a traceback written as \\n."""

    def format(self, record):
        return super().format(record).replace("\n", "\\n")


class NotHealthChecks(logging.Filter):
    """Leaves out runserver's line for each health check (`make dev`)."""

    def filter(self, record):
        # Imported here: the settings import this module.
        from articles.health import PATH

        return PATH not in str(record.args)


def config(log_format, mail_admins):
    """The LOGGING setting: ``log_format`` "text" or "json"; ``mail_admins``
    sends each server error to settings.ADMINS."""
    if log_format not in ("text", "json"):
        raise ValueError(f"LOG_FORMAT must be text or json, not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
            "not_health_checks": {"()": NotHealthChecks},
        },
        "formatters": {
            "text": {
                "()": OneLineFormatter,
                "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
            },
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {
                    "asctime": "time",
                    "levelname": "level",
                    "name": "logger",
                },
            },
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": log_format,
            },
            "mail_admins": {
                "class": "django.utils.log.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false"],
            },
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {
            # In place of Django's own: its console handler would print each
            # line twice with DEBUG on.
            "django": {
                "handlers": ["mail_admins"] if mail_admins else [],
                "level": "INFO",
            },
            "django.server": {
                "handlers": ["stderr"],
                "level": "INFO",
                "filters": ["not_health_checks"],
                "propagate": False,
            },
            # Workflow moves are logged at INFO.
            "articles": {"level": "INFO"},
        },
    }
