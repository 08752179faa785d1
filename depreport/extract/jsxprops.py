"""The props of one JSX element, as written: each literal value as JSON text, anything else a marker.

`<Button appearance="primary" size={3} disabled {...rest} onClick={go}>` gives
`(("appearance", '"primary"'), ("size", "3"), ("disabled", "true"), ("[spread]", "[spread]"),
("onClick", "[expression]"))`. Strings are decoded (JS escapes, HTML entities in JSX attribute strings)
and quoted again with `json.dumps`, so the same text written two ways is one value; numbers are
normalised (`1.0`, `1_000`, `0x10` read as the number they are).
"""

from __future__ import annotations

import html
import json
import re

from tree_sitter import Node

from depreport.extract.sites import string_value
from depreport.model import EXPRESSION, SPREAD, Prop

_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_KEYWORDS = {"true": "true", "false": "false", "null": "null"}
_LARGEST_EXACT = 2**53


def props_of(element: Node, source: bytes) -> tuple[Prop, ...]:
    """The props of a `jsx_opening_element` or `jsx_self_closing_element`, in source order; `source`
    is the file as written (the tree may be of masked bytes, with `&` blanked in attribute strings)."""
    found: list[Prop] = []
    for attribute in element.children_by_field_name("attribute"):
        if attribute.type == "jsx_attribute":
            parts = [c for c in attribute.named_children if c.type != "comment"]
            if not parts:
                continue
            value = attribute_value(parts[1], source) if len(parts) > 1 else "true"
            found.append((_text(parts[0]), value))
        elif attribute.type == "jsx_expression":  # `{...rest}`: the only expression allowed there
            found.append((SPREAD, SPREAD))
    return tuple(found)


def attribute_value(node: Node, source: bytes) -> str:
    """The JSON text of an attribute's literal value, or EXPRESSION."""
    if node.type == "string":  # a JSX attribute string: no escapes, but HTML entities
        written = source[node.start_byte + 1 : node.end_byte - 1].decode("utf-8", "replace")
        return json.dumps(_ENTITY.sub(_entity, written))
    if node.type != "jsx_expression":
        return EXPRESSION  # an element or a fragment as the value
    inner = _unwrapped(node)
    return EXPRESSION if inner is None else literal(inner)


def literal(node: Node) -> str:
    """The JSON text of a JS literal expression (string, number, boolean, null), or EXPRESSION."""
    kind = node.type
    if kind in _KEYWORDS:
        return _KEYWORDS[kind]
    if kind in ("string", "template_string"):  # JS escapes decoded as import sites read them
        value = string_value(node)
        return EXPRESSION if value is None else json.dumps(value)
    if kind == "number":
        return _number(_text(node)) or EXPRESSION
    if kind == "unary_expression" and node.child_count == 2:
        operator, argument = node.children
        if operator.type == "-" and argument.type == "number":
            value = _number(_text(argument))
            return EXPRESSION if value is None else ("0" if value == "0" else "-" + value)
    return EXPRESSION


def _unwrapped(container: Node) -> Node | None:
    inner = next((c for c in container.named_children if c.type != "comment"), None)
    while inner is not None and inner.type == "parenthesized_expression":
        inner = next((c for c in inner.named_children if c.type != "comment"), None)
    return inner


def _entity(match: re.Match[str]) -> str:
    return html.unescape(match.group(0))


def _number(text: str) -> str | None:
    """A number literal's value as stable JSON text: `1.0` -> `1`, `0x10` -> `16`, `1e3` -> `1000`."""
    digits = text.replace("_", "").lower()
    if digits.endswith("n"):  # BigInt
        digits = digits[:-1]
    try:
        if digits[:2] in ("0x", "0o", "0b"):
            return str(int(digits, 0))
        if len(digits) > 1 and digits[0] == "0" and digits.isdigit():
            legacy_octal = all(c in "01234567" for c in digits)
            return str(int(digits, 8 if legacy_octal else 10))
        value = float(digits)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    if value.is_integer() and abs(value) < _LARGEST_EXACT:
        return str(int(value))
    return repr(value)


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text is not None else ""
