"""Simple-history rows for many rows at once, copied by the database.

`bulk_history_create` builds one historical model instance per row in Python and sends every
value back to the database. After an UPDATE of many rows the database already holds those
values: one INSERT … SELECT of the rows writes the same history rows for a fraction of the
cost (the deadline sweep's history write was its largest cost after its own queries).
"""

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import connections, models, router
from django.db.models import Value

# Columns of a historical model that are not copies of the tracked row's own columns.
_HISTORY_OWN_FIELDS = {
    "history_id",
    "history_date",
    "history_type",
    "history_change_reason",
    "history_user",
}


def history_rows_copy(objs: Sequence[models.Model], *, at: datetime) -> None:
    """One "changed" history row per object, holding the row as stored now: what
    `history.bulk_history_create(objs, update=True, default_date=at)` writes. Save the
    objects first. Objects that carry their own history user or change reason, or a history
    model with columns this copy does not know, go through simple-history's own path."""
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    model = type(objs[0])
    history = model.history
    if not _copyable(history.model) or any(_carries_history_attributes(obj) for obj in objs):
        history.bulk_history_create(objs, update=True, default_date=at)
        return
    user = history.model.get_default_history_user(objs[0])  # the request's user, if any
    user_id = history.model._meta.get_field("history_user").target_field
    constants = {
        "history_date": Value(at, output_field=models.DateTimeField()),
        "history_type": Value("~", output_field=models.CharField()),
        "history_change_reason": Value("", output_field=models.TextField()),
        "history_user": Value(user.pk if user else None, output_field=user_id),
    }
    _insert_select(history.model, model, [obj.pk for obj in objs], constants)


def _copyable(history_model) -> bool:
    own = {f.name for f in history_model._meta.concrete_fields} - {
        f.name for f in history_model.tracked_fields
    }
    user = history_model._meta.get_field("history_user")
    return own == _HISTORY_OWN_FIELDS and user.concrete and user.attname == "history_user_id"


def _carries_history_attributes(obj: models.Model) -> bool:
    return hasattr(obj, "_history_user") or hasattr(obj, "_change_reason")


def _insert_select(history_model, model, pks: list, constants: dict[str, Value]) -> None:
    """INSERT INTO the history table the rows' tracked columns and the constants, selected by
    a query Django compiles (so it runs on every backend the project supports)."""
    tracked = [f.attname for f in history_model.tracked_fields]
    aliases = {f"_copy_{name}": value for name, value in constants.items()}
    using = router.db_for_write(history_model)
    rows = model._base_manager.using(using).filter(pk__in=pks).order_by()
    compiler = rows.values(*tracked, **aliases).query.get_compiler(using=using)
    select_sql, params = compiler.as_sql()
    columns = [_target_column(history_model, expr, alias) for expr, _, alias in compiler.select]
    connection = connections[using]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(history_model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({quoted}) {select_sql}", params)


def _target_column(history_model, expr, alias: str | None) -> str:
    """The history column a selected expression fills: a constant by its alias, a tracked
    column by the field of the same name on the history model."""
    if alias and alias.startswith("_copy_"):
        return history_model._meta.get_field(alias.removeprefix("_copy_")).column
    return history_model._meta.get_field(expr.target.name).column
