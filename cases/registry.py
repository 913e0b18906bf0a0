"""The one way the floor's registries take what the apps register from their ready()."""

from typing import TypeVar

T = TypeVar("T")


def register_once(
    table: dict, key, item: T, *, what: str, error: type[Exception] = ValueError
) -> T:
    """Put `item` under `key`. Registering the same item again is harmless (ready() may run
    twice); another item under the same key is a programming error."""
    existing = table.get(key)
    if existing is not None and existing is not item and existing != item:
        raise error(f"Another {what} is already registered as {key!r}.")
    table[key] = item
    return item
