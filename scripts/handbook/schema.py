"""Validate data against a JSON Schema and say what is wrong in plain words."""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any
from collections.abc import Callable, Mapping

if TYPE_CHECKING:
    import jsonschema

    from .formatcache import FormatCache

__all__ = ["plain_errors", "SLUG_ID", "remember_valid_in"]

#: Where data already found valid is remembered across builds (set by the build; see
#: :func:`remember_valid_in`). jsonschema is then imported only when something changed.
_VALID: FormatCache | None = None

#: An id in a data file: lower-case words joined by hyphens (glossary terms, authors, corrections).
SLUG_ID: dict[str, str] = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$",
                           "description": "lower-case words joined by hyphens"}


def remember_valid_in(cache: FormatCache | None) -> None:
    """Keep, in ``cache``, which data was valid against which schema: the same data is not checked twice."""
    global _VALID
    _VALID = cache


@functools.cache
def _jsonschema_version() -> str:
    from importlib import metadata

    return metadata.version("jsonschema")


def _valid_key(instance: Any, schema: dict[str, Any]) -> str:
    from .formatcache import content_key

    blob = json.dumps([instance, schema], sort_keys=True, default=repr)
    return content_key("valid", _jsonschema_version(), blob)


def _field(path: list[Any]) -> str:
    return str(path[-1]) if path else ""


def _describe(error: jsonschema.ValidationError) -> str:
    # jsonschema types these loosely (they may be unset); a schema error always has all three.
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    instance: Any = error.instance
    wanted: Any = error.validator_value
    field = _field(list(error.absolute_path))
    name = f"'{field}'" if field else "this entry"
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return f"'{missing}' is missing. Add it."
    if error.validator == "additionalProperties":
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        allowed = ", ".join(sorted(schema.get("properties", {})))
        return f"unknown field {', '.join(repr(e) for e in extra)}. Use only: {allowed}."
    if error.validator == "type":
        words = {"string": "text", "array": "a list", "object": "a set of fields",
                 "integer": "a whole number", "boolean": "true or false"}
        if isinstance(wanted, list):
            wanted_text = " or ".join(words.get(str(w), str(w)) for w in wanted)
        else:
            wanted_text = words.get(wanted, str(wanted))
        return f"{name} must be {wanted_text}, not {instance!r}."
    if error.validator == "minLength":
        if wanted == 1:
            return f"{name} is empty. Fill it in."
        return (f"{name} is {len(instance)} characters long; "
                f"it must be at least {wanted}.")
    if error.validator == "maxLength":
        return (f"{name} is {len(instance)} characters long; "
                f"it must be at most {wanted}.")
    if error.validator == "minItems":
        return f"{name} must list at least {wanted} item(s)."
    if error.validator == "uniqueItems":
        return f"{name} lists the same item twice."
    if error.validator == "enum":
        return f"{name} is {instance!r}; it must be one of: {', '.join(map(str, wanted))}."
    if error.validator == "pattern":
        hint = schema.get("description", f"the pattern {wanted}")
        return f"{name} is {instance!r}, which is not {hint}."
    if error.validator == "format":
        return f"{name} is {instance!r}, which is not a valid {wanted}."
    return f"{name}: {error.message}."


def plain_errors(
    instance: Any,
    schema: dict[str, Any],
    line_of: Callable[[list[Any]], int | None],
) -> list[tuple[int | None, str]]:
    """Every schema violation as ``(line, sentence)``, in document order."""
    key = _valid_key(instance, schema) if _VALID is not None else ""
    if _VALID is not None and _VALID.get(key):
        return []
    import jsonschema  # here, not at the top: a build whose data is unchanged never needs it

    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    out = []
    for error in validator.iter_errors(instance):
        errors = [error]
        if error.context:  # anyOf/oneOf: report the most specific branch
            errors = [min(error.context, key=lambda e: len(e.context))]
        for e in errors:
            out.append((line_of(list(e.absolute_path)), _describe(e)))
    if _VALID is not None and not out:
        _VALID.put(key, True)
    return sorted(set(out), key=lambda t: (t[0] or 0, t[1]))
