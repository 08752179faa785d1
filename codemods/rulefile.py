"""A rules file (TOML) -> a RuleSet. Checked in two steps, shape then meaning; errors name the rule and key.

```toml
[known_exports]                     # optional: what target modules really export
"evergreen-ui" = ["Button", "Pane"]

[[rule]]
id = "buttons"                      # optional, defaults to `from`
from = "evergreen-buttons"          # or a pattern: "@material-ui/core/**", "evergreen-*"
to = "evergreen-ui"                 # "@mui/material/**" keeps what the wildcard matched
as = "Buttons"                       # JS: the whole module becomes this named export of `to` instead
default = "Button"                  # the default export becomes the named export Button ("*": as matched)
move = "all"                        # or "listed": only the names in [rule.exports] (and default) move
locals = "keep"                     # or "rename": rename local references instead of aliasing
language = "js"                     # or "python" (dotted modules)
imports = ["value", "type"]         # optional: only these kinds of imports ("side-effect" too by default)
[rule.exports]
BackButton = "Button"               # rename
Icon = "evergreen-icons:Icon"       # send to another module
Logo = "default"                    # a named export becomes the default one
Theme = "evergreen-theme:*"         # ... or a whole module: import * as Theme from 'evergreen-theme'
[[rule.add]]                        # an import added to every file the rule matches, once
import = "evergreen-ui/styles.css"  # `import '...'`; "module:Name" adds `import { Name } from 'module'`
when = ["Dialog"]                   # optional: only in files that import one of these (old) names
```
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from codemods.names import JS_MODULE, JS_NAME, py_module, py_name
from codemods.rulechains import check_no_chains
from codemods.rulecheck import check_applies, check_pattern
from codemods.rules import (
    ALL,
    DEFAULT,
    IMPORT_KINDS,
    JS,
    LANGUAGES,
    PYTHON,
    Add,
    Locals,
    Rule,
    RuleSet,
    Target,
    compile_pattern,
)
from depreport.errors import ConfigError
from depreport.scan.walk import read_named

_RULE_KEYS = {
    "id": 'a unique name, e.g. id = "buttons"',
    "from": 'the module to move, e.g. from = "evergreen-buttons" or "@material-ui/core/**"',
    "to": 'the module it moves to, e.g. to = "evergreen-ui"',
    "as": 'JS: the named export of to the whole module becomes, e.g. to = "radix-ui" and as = "Dialog"',
    "language": '"js" (JavaScript and TypeScript, the default) or "python"',
    "default": 'the name the default export gets, e.g. default = "Button" (or "module:Name")',
    "move": '"all" (every export moves, the default) or "listed" (only names in [rule.exports])',
    "locals": '"keep" (alias renamed exports, the default) or "rename" (rename references too)',
    "exports": 'a table old name -> new name, "module:Name", "default" or "module:*" (the whole module), '
    'e.g. BackButton = "Button"',
    "imports": 'the kinds of imports the rule applies to: ["value", "type", "side-effect"] (the default)',
    "add": '[[rule.add]] tables: import = "module" (side effect) or "module:Name", optional when = [names]',
}
_ADD_KEYS = {"import": _RULE_KEYS["add"], "when": 'old export names, e.g. when = ["Dialog"]'}
_TOP_KEYS = ("rule", "known_exports")


def load_rules(path: Path) -> RuleSet:
    """Read and check a rules file."""
    try:
        data = tomllib.loads(read_named(path).decode("utf-8-sig"))  # a BOM (Notepad) is no key
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}", "fix the TOML syntax at that line") from error
    except RecursionError as error:
        raise ConfigError(
            f"{path}: nested too deeply to read", "flatten the nested arrays or tables"
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the rules file: {error}", "check the path") from error
    return parse_rules(data, str(path))


def parse_rules(data: dict[str, Any], source: str) -> RuleSet:
    """Check a parsed TOML document and compile its rules."""
    _known_keys(data, _TOP_KEYS, source, "the file has [[rule]] tables and an optional [known_exports]")
    raw_rules = data.get("rule")
    if isinstance(raw_rules, dict):
        raise ConfigError(f"{source}: rule is one table, not an array of tables",
                          "write [[rule]] (two brackets) above each rule, not [rule]")  # fmt: skip
    if not isinstance(raw_rules, list) or not raw_rules or not all(isinstance(r, dict) for r in raw_rules):
        raise ConfigError(f"{source}: no [[rule]] tables", 'add one: [[rule]] from = "old" to = "new"')
    rules = tuple(_rule(raw, index + 1, source) for index, raw in enumerate(raw_rules))
    _check_unique(rules, source)
    ruleset = RuleSet(rules, _known_exports(data.get("known_exports", {}), source), source)
    check_no_chains(ruleset)
    check_applies(ruleset)
    return ruleset


def _known_keys(
    table: dict[str, Any], known: tuple[str, ...] | dict[str, str], where: str, hint: str
) -> None:
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1)
            raise ConfigError(
                f"{where}: unknown key {key!r}", f"did you mean {close[0]!r}?" if close else hint
            )


def _rule(raw: dict[str, Any], number: int, source: str) -> Rule:
    label = f"{source}: rule #{number}" + (f" ({raw['id']!r})" if isinstance(raw.get("id"), str) else "")
    _known_keys(raw, _RULE_KEYS, label, "a rule has: " + ", ".join(_RULE_KEYS))

    def text(key: str, default: str | None = None) -> str:
        value = raw.get(key, default)
        if not isinstance(value, str) or not value.strip():
            problem = "is missing" if value is None else "must be a non-empty string"
            raise ConfigError(f"{label}: key {key!r} {problem}", f"{key} is {_RULE_KEYS[key]}")
        return value.strip()

    language = _choice(label, "language", text("language", JS), LANGUAGES)
    origin, to = text("from"), text("to")
    _check_module(label, "from", origin, language)
    _check_to(label, to, language)
    check_pattern(label, origin, to, language)
    becomes = _becomes(raw, label, language, text)
    exports = _exports(raw.get("exports", {}), label, language)
    if "default" in raw:
        if language == PYTHON:
            raise ConfigError(
                f"{label}: key 'default' is for JavaScript rules", "Python has no default export"
            )
        exports[DEFAULT] = _target(text("default"), label, "default", language)
    move = _choice(label, "move", text("move", "all"), ("all", "listed"))
    if move == "listed" and not exports:
        raise ConfigError(f'{label}: move = "listed" but nothing is listed', "add [rule.exports] names")
    locals_ = Locals(_choice(label, "locals", text("locals", "keep"), tuple(v.value for v in Locals)))
    rule_id = text("id", origin)
    pattern = compile_pattern(origin, language)
    kinds, adds = _kinds(raw, label, language), _adds(raw, label, language)
    return Rule(rule_id, language, origin, to, pattern, exports, move == "all", locals_, kinds, adds, becomes)


def _js_only(raw: dict[str, Any], key: str, label: str, language: str) -> None:
    if key in raw and language != JS:
        raise ConfigError(f"{label}: key {key!r} is for JavaScript rules", f"remove {key} from this rule")


def _kinds(raw: dict[str, Any], label: str, language: str) -> frozenset[str]:
    _js_only(raw, "imports", label, language)
    value = raw.get("imports", list(IMPORT_KINDS))
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{label}: key 'imports' must be a non-empty list", _RULE_KEYS["imports"])
    return frozenset(_choice(label, "imports", v, IMPORT_KINDS) for v in value)


def _adds(raw: dict[str, Any], label: str, language: str) -> tuple[Add, ...]:
    _js_only(raw, "add", label, language)
    tables = raw.get("add", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{label}: key 'add' must be [[rule.add]] tables", _RULE_KEYS["add"])
    adds = []
    for table in tables:
        _known_keys(table, _ADD_KEYS, f"{label}: [[rule.add]]", "an add has: import, when")
        spec, when = table.get("import"), table.get("when", [])
        if not isinstance(spec, str) or not spec.strip():
            raise ConfigError(f'{label}: [[rule.add]] needs import = "..."', _RULE_KEYS["add"])
        if not isinstance(when, list) or not all(isinstance(w, str) and JS_NAME.match(w) for w in when):
            raise ConfigError(f"{label}: [[rule.add]] key 'when' must be a list of names", _ADD_KEYS["when"])
        module, colon, name = spec.strip().rpartition(":")
        if colon:
            target = _target(spec.strip(), label, "add.import", language)
            if target.name == DEFAULT:
                raise ConfigError(f"{label}: [[rule.add]] cannot add a default import",
                                  'add a named import: "module:Name"')  # fmt: skip
            adds.append(Add(module, target.name, frozenset(when)))
        else:
            _check_module(label, "add.import", name, language)
            adds.append(Add(name, None, frozenset(when)))
    return tuple(adds)


def _becomes(raw: dict[str, Any], label: str, language: str, text: Callable[[str], str]) -> str | None:
    """The named export the whole module becomes (`as`), checked to be a name."""
    _js_only(raw, "as", label, language)
    if "as" not in raw:
        return None
    name = text("as")
    if not JS_NAME.match(name) or name == DEFAULT:
        raise ConfigError(f"{label}: key 'as': {name!r} is not an export name", _RULE_KEYS["as"])
    return name


def _choice(label: str, key: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        close = difflib.get_close_matches(value, allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"{key} is {_RULE_KEYS[key]}"
        raise ConfigError(f"{label}: key {key!r}: {value!r} is not one of {', '.join(allowed)}", hint)
    return value


def _check_to(label: str, to: str, language: str) -> None:
    """A Python `to` may name an attribute after a colon, as LibCST's RenameCommand spells it:
    "new.pkg:Thing" is `from new.pkg import Thing`, "new.pkg:" is `import new.pkg`."""
    if language != PYTHON or ":" not in to:
        _check_module(label, "to", to, language)
        _check_js_colon(label, to, language)
        return
    module, _, attribute = to.partition(":")
    if "*" in to or ":" in attribute or not module.strip(":"):
        raise ConfigError(f"{label}: key 'to': {to!r} is not module:attribute",
                          'write e.g. to = "new.pkg:Thing" (one colon, no wildcards)')  # fmt: skip
    _check_module(label, "to", module, language)
    if attribute and not all(py_name(part) for part in attribute.split(".")):
        raise ConfigError(f"{label}: key 'to': {attribute!r} is not an attribute name",
                          'write e.g. to = "new.pkg:Thing"')  # fmt: skip


def _check_js_colon(label: str, to: str, language: str) -> None:
    """A JS module may have a colon (`node:fs`, `astro:content`), so `to = "radix-ui:Dialog"` would name a
    module; a capitalised name after the colon is no module anyone publishes, but the Python spelling of
    an export: refused with the JS one."""
    module, colon, name = to.rpartition(":")
    if language == JS and colon and module and JS_NAME.match(name) and name[:1].isupper():
        raise ConfigError(
            f"{label}: key 'to': {to!r} names the module {to!r}; JS modules may have a colon (node:fs)",
            f'to make the whole module the named export {name} of {module}, write to = "{module}" '
            f'and as = "{name}"',
        )


def _check_module(label: str, key: str, value: str, language: str) -> None:
    shaped = JS_MODULE.match(value) if language == JS else py_module(value)
    if not shaped or value.startswith((".", "/")):
        example = "evergreen-ui, @scope/name/path" if language == JS else "package.module"
        raise ConfigError(f"{label}: key {key!r}: {value!r} is not a module name", f"write e.g. {example}")


def _exports(raw: object, label: str, language: str) -> dict[str, Target]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{label}: key 'exports' must be a table", _RULE_KEYS["exports"])
    found: dict[str, Target] = {}
    for old, new in raw.items():
        if not _name(old, language) and old != DEFAULT:
            raise ConfigError(f"{label}: key exports.{old}: not a name that can be imported",
                              "the keys of [rule.exports] are exported names, e.g. Button")  # fmt: skip
        if not isinstance(new, str) or not new:
            raise ConfigError(f"{label}: key exports.{old} must be a non-empty string", _RULE_KEYS["exports"])
        found[old] = _target(new, label, f"exports.{old}", language)
    return found


def _name(text: str, language: str) -> bool:
    """Is `text` an export name that can be written in an import of this language?"""
    return bool(JS_NAME.match(text)) if language == JS else py_name(text)


def _target(value: str, label: str, key: str, language: str) -> Target:
    module, colon, export = value.rpartition(":")
    if colon and not module:
        raise ConfigError(f"{label}: key {key}: {value!r} has no module before ':'", 'write "module:Name"')
    if module:
        _check_module(label, key, module, language)
    if not module and key == "default" and "*" in export and JS_NAME.match(export.replace("*", "x")):
        return Target(None, export)  # the name what the wildcards of `from` matched: "lodash/*" -> `{ get }`
    if module and export == ALL and language == JS and key.startswith("exports."):
        return Target(module, ALL)  # the name becomes the whole module: `import * as Name from 'module'`
    if not _name(export, language):
        raise ConfigError(f"{label}: key {key}: {export!r} is not an export name",
                          'write a name, "default", or "module:Name"')  # fmt: skip
    return Target(module or None, export)


def _check_unique(rules: tuple[Rule, ...], source: str) -> None:
    ids: dict[str, int] = {}
    sources: dict[tuple[str, str], str] = {}
    for number, rule in enumerate(rules, start=1):
        if rule.id in ids:
            message = (
                f"{source}: rule #{number} ({rule.id!r}): id {rule.id!r} is also used by rule #{ids[rule.id]}"
            )
            raise ConfigError(message, "give each rule a unique id")
        ids[rule.id] = number
        key = (rule.language, rule.source)
        if key in sources:
            raise ConfigError(f"{source}: rule #{number} ({rule.id!r}): from {rule.source!r} is also the "
                              f"from of rule {sources[key]!r}", "merge the two rules into one")  # fmt: skip
        sources[key] = rule.id


def _known_exports(raw: object, source: str) -> dict[str, frozenset[str]]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: known_exports must be a table", '"module" = ["Name", ...]')
    found: dict[str, frozenset[str]] = {}
    for module, names in raw.items():
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ConfigError(f"{source}: known_exports.{module} must be a list of names",
                              f'"{module}" = ["Button", "default"]')  # fmt: skip
        found[module] = frozenset(names)
    return found
