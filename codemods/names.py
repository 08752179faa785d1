"""What a rules file may name, per language: export names, local names and modules that can be written
into an import as they are."""

from __future__ import annotations

import keyword
import re

# \Z, not $: `$` also matches before a final newline, which then reached the file ('evil\n').
JS_NAME = re.compile(r"^[A-Za-z_$][\w$]*\Z")
_PY_NAME = re.compile(r"^[A-Za-z_]\w*\Z")
JS_MODULE = re.compile(r"^[^\s'\"`\\\x00-\x1f\x7f]+\Z")  # no control character: npm allows none
PY_MODULE = re.compile(r"^(?:[A-Za-z_*][\w*]*)(?:\.[A-Za-z_*][\w*]*)*\Z")

# Words no local name of an ES module (strict code) may be: `import { class } from 'x'` and
# `import { arguments } from 'x'` are syntax errors, `import { class as C } from 'x'` is not.
JS_RESERVED = frozenset(
    {
        "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete",
        "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if",
        "implements", "import", "in", "instanceof", "interface", "let", "new", "null", "package",
        "private", "protected", "public", "return", "static", "super", "switch", "this", "throw", "true",
        "try", "typeof", "var", "void", "while", "with", "yield", "arguments", "eval",
    }
)  # fmt: skip


def js_local(name: str) -> bool:
    """Can `name` be a local name (a binding) in a JS module: `import { name } from 'm'`?"""
    return bool(JS_NAME.match(name)) and name not in JS_RESERVED


def py_name(name: str) -> bool:
    """Can `name` be imported in Python (`from m import name`): an identifier, not a keyword (None)?"""
    return bool(_PY_NAME.match(name)) and not keyword.iskeyword(name)


def py_module(name: str) -> bool:
    """Is `name` a dotted Python module (wildcards allowed), none of whose parts is a keyword?"""
    return bool(PY_MODULE.match(name)) and not any(keyword.iskeyword(part) for part in name.split("."))
