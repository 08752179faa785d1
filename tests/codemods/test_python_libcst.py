"""LibCST's RenameCommand test cases, each as one of our rules: every case passes, idempotently.

Each case is a test of libcst/codemod/commands/tests/test_rename.py (same id), with LibCST's
`old_name`/`new_name` as our `from`/`to` and `locals = "rename"` (LibCST renames uses). A module rename
that LibCST applies to submodules too is written `from = "a.**"`. Where our result is spelled differently
from LibCST's (id ends in `-differs`) it is the same program: `import a` and `import z` on two lines
instead of `import a, z`, a new import right after the statement it comes from, no blank line added.
Left out: `rename_local_variable` (a local variable, not an import: not a migration). A `to` with a
leading colon (LibCST ignores it) is refused when the rules load.
"""

from __future__ import annotations

import pytest

from codemods.rulefile import parse_rules
from codemods.runner import migrate_source
from depreport.errors import ConfigError


def _rules(origin: str, to: str) -> object:
    rule = {"language": "python", "from": origin, "to": to, "locals": "rename"}
    return parse_rules({"rule": [rule]}, "rules.toml")


CASES = [
    pytest.param(
        "foo.bar",
        "baz.qux",
        "from foo import bar\n\ndef test() -> None:\n    bar(5)\n",
        "from baz import qux\n\ndef test() -> None:\n    qux(5)\n",
        id="rename_name",
    ),
    pytest.param(
        "typing.List",
        "builtins.list",
        "from typing import List\nx: List[int] = []\n",
        "x: list[int] = []\n",
        id="rename_to_builtin",
    ),
    pytest.param(
        "foo.bar",
        "baz.qux",
        "from foo import bar as bla\n\ndef test() -> None:\n    bla(5)\n",
        "from baz import qux\n\ndef test() -> None:\n    qux(5)\n",
        id="rename_name_asname",
    ),
    pytest.param(
        "foo.foo",
        "baz.qux",
        "from foo import foo as bla\n\ndef test() -> None:\n    bla.bla(5)\n",
        "from baz import qux\n\ndef test() -> None:\n    qux.bla(5)\n",
        id="rename_repeated_name_with_asname",
    ),
    pytest.param(
        "a.b.c",
        "d.e.f",
        "import a.b\n\ndef test() -> None:\n    a.b.c(5)\n",
        "import d.e\n\ndef test() -> None:\n    d.e.f(5)\n",
        id="rename_attr",
    ),
    pytest.param(
        "foo.qux",
        "baz.quux",
        "import foo as bar\n\ndef test() -> None:\n    bar.qux(5)\n",
        "import baz\n\ndef test() -> None:\n    baz.quux(5)\n",
        id="rename_attr_asname",
    ),
    pytest.param(
        "foo.qux",
        "baz.quux",
        "import foo.qux as bar\n\ndef test() -> None:\n    bar.z(5)\n",
        "import baz.quux\n\ndef test() -> None:\n    baz.quux.z(5)\n",
        id="rename_attr_asname_2",
    ),
    pytest.param(
        "a.b",
        "c.b",
        "import a.b\n\nclass Foo(a.b.C):\n    pass\n",
        "import c.b\n\nclass Foo(c.b.C):\n    pass\n",
        id="rename_module_import",
    ),
    pytest.param(
        "a.**",
        "c.**",
        "import a.b\n\nclass Foo(a.b.C):\n    pass\n",
        "import c.b\n\nclass Foo(c.b.C):\n    pass\n",
        id="rename_module_import_2",
    ),
    pytest.param(
        "b",
        "c.b",
        "import a.b\n\nclass Foo(a.b.C):\n    pass\n",
        "import a.b\n\nclass Foo(a.b.C):\n    pass\n",
        id="rename_module_import_no_change",
    ),
    pytest.param(
        "a.b",
        "c.b",
        "from a import b\n\nclass Foo(b.C):\n    pass\n",
        "from c import b\n\nclass Foo(b.C):\n    pass\n",
        id="rename_module_import_from",
    ),
    pytest.param(
        "a",
        "c",
        "from a import b\n\nclass Foo(b.C):\n    pass\n",
        "from c import b\n\nclass Foo(b.C):\n    pass\n",
        id="rename_module_import_from_2",
    ),
    pytest.param(
        "a.b.some_class",
        "c.b.some_class",
        "from a.b import some_class\n\nclass Foo(some_class):\n    pass\n",
        "from c.b import some_class\n\nclass Foo(some_class):\n    pass\n",
        id="rename_class",
    ),
    pytest.param(
        "a.b.Class_1",
        "a.b.Class_3",
        "from a.b import Class_1, Class_2\n\nclass Foo(Class_1):\n    pass\n",
        "from a.b import Class_3, Class_2\n\nclass Foo(Class_3):\n    pass\n",
        id="rename_importfrom_same_module",
    ),
    pytest.param(
        "a.b.module_1.Class_1",
        "a.b.module_3.Class_3",
        "from a.b import module_1, module_2\n\nclass Foo(module_1.Class_1):\n    pass\nclass Fooo(module_2.Class_2):\n    pass\n",
        "from a.b import module_2\nfrom a.b.module_3 import Class_3\n\nclass Foo(Class_3):\n    pass\nclass Fooo(module_2.Class_2):\n    pass\n",
        id="rename_importfrom_same_module_2",
    ),
    pytest.param(
        "logging.warn",
        "logging.warning",
        "import logging\nlogging.warn(1)\n",
        "import logging\nlogging.warning(1)\n",
        id="import_same_module",
    ),
    pytest.param(
        "a.b.warn",
        "a.b.warning",
        "import a.b\na.b.warn(1)\n",
        "import a.b\na.b.warning(1)\n",
        id="import_same_dotted_module",
    ),
    pytest.param(
        "a.b",
        "a.c",
        "from a import b\n\nclass Foo(b):\n    pass\n",
        "from a import c\n\nclass Foo(c):\n    pass\n",
        id="module_does_not_change",
    ),
    pytest.param(
        "a.z",
        "d.z",
        "import a, b, c\n\nclass Foo(a.z):\n    bar: b.bar\n    baz: c.baz\n",
        "import d, b, c\n\nclass Foo(d.z):\n    bar: b.bar\n    baz: c.baz\n",
        id="other_imports_untouched",
    ),
    pytest.param(
        "c.baz",
        "d.baz",
        "import a, b, c\n\nclass Foo(a.z):\n    bar: b.bar\n    baz: c.baz\n",
        "import a, b, d\n\nclass Foo(a.z):\n    bar: b.bar\n    baz: d.baz\n",
        id="comma_import",
    ),
    pytest.param(
        "a.b",
        "f.b",
        "from a import b, c, d\n\nclass Foo(b):\n    bar: c.bar\n    baz: d.baz\n",
        "from a import c, d\nfrom f import b\n\nclass Foo(b):\n    bar: c.bar\n    baz: d.baz\n",
        id="other_import_froms_untouched",
    ),
    pytest.param(
        "a.d",
        "f.d",
        "from a import b, c, d\n\nclass Foo(b):\n    bar: c.bar\n    baz: d.baz\n",
        "from a import b, c\nfrom f import d\n\nclass Foo(b):\n    bar: c.bar\n    baz: d.baz\n",
        id="comma_import_from",
    ),
    pytest.param(
        "a.d",
        "f.d",
        "from a import (\n    b,\n    c,\n    d,\n)\nfrom x import (y,)\n\nclass Foo(b):\n    bar: c.bar\n    baz: d.baz\n",
        "from a import (\n    b,\n    c,\n)\nfrom f import d\nfrom x import (y,)\n\nclass Foo(b):\n    bar: c.bar\n    baz: d.baz\n",
        id="comma_import_from_parens-differs",
    ),
    pytest.param(
        "a.b",
        "z.b",
        "import a\n\nclass Foo(a.b):\n    pass\nclass Foo2(a.c):\n    pass\n",
        "import a\nimport z\n\nclass Foo(z.b):\n    pass\nclass Foo2(a.c):\n    pass\n",
        id="no_removal_of_import_in_use-differs",
    ),
    pytest.param(
        "a.b.c",
        "z.b.c",
        "import a.b\n\nclass Foo(a.b.c):\n    pass\nclass Foo2(a.b.d):\n    pass\n",
        "import a.b\nimport z.b\n\nclass Foo(z.b.c):\n    pass\nclass Foo2(a.b.d):\n    pass\n",
        id="no_removal_of_dotted_import_in_use-differs",
    ),
    pytest.param(
        "a.b.some_class",
        "blah.some_class",
        "from a import b\n\nclass Foo(b.some_class):\n    bar: b.some_other_class\n",
        "from a import b\nfrom blah import some_class\n\nclass Foo(some_class):\n    bar: b.some_other_class\n",
        id="no_removal_of_import_from_in_use",
    ),
    pytest.param(
        "a.obj",
        "c.obj",
        "import a\nimport b\n\nclass Foo(a.obj):\n    pass\n",
        "import c\nimport b\n\nclass Foo(c.obj):\n    pass\n",
        id="other_unused_imports_untouched",
    ),
    pytest.param(
        "a.b.c.d.e.f",
        "g.h.i.j",
        "from a.b.c import d\n\nclass Foo(d.e.f):\n    pass\n",
        "from g.h.i import j\n\nclass Foo(j):\n    pass\n",
        id="complex_module_rename",
    ),
    pytest.param(
        "a.b.c.d.e.f",
        "g.h.i.j",
        "from a.b.c import d as ddd\n\nclass Foo(ddd.e.f):\n    pass\n",
        "from g.h.i import j\n\nclass Foo(j):\n    pass\n",
        id="complex_module_rename_with_asname",
    ),
    pytest.param(
        "aa.aaaa",
        "b.c",
        "from aa import aaaa\n\nclass Foo(aaaa.Bar):\n    pass\n",
        "from b import c\n\nclass Foo(c.Bar):\n    pass\n",
        id="names_with_repeated_substrings",
    ),
    pytest.param(
        "foo.foo",
        "qux.qux",
        "from foo import foo\n\ndef bar():\n    foo(5)\n",
        "from qux import qux\n\ndef bar():\n    qux(5)\n",
        id="repeated_name",
    ),
    pytest.param(
        "bar",
        "qux",
        "from foo import bar\n\ndef baz():\n    bar(5)\n",
        "from foo import bar\n\ndef baz():\n    bar(5)\n",
        id="no_codemod",
    ),
    pytest.param(
        "a.b.**",
        "x.y.**",
        "import a.b.c.d\n",
        "import x.y.c.d\n",
        id="rename_import_prefix",
    ),
    pytest.param(
        "a.b.**",
        "x.y.**",
        "from a.b.c.d import foo\n",
        "from x.y.c.d import foo\n",
        id="rename_import_from_prefix",
    ),
    pytest.param(
        "a.b.some_class",
        "c.d.some_class",
        "from a import b\n\nclass Foo(b.some_class):\n    pass\nclass Foobar(b.some_class):\n    pass\n",
        "from c.d import some_class\n\nclass Foo(some_class):\n    pass\nclass Foobar(some_class):\n    pass\n",
        id="rename_multiple_occurrences",
    ),
    pytest.param(
        "a.**",
        "z.**",
        "import a\nfrom a import b\nfrom a.c import d\n\nclass Foo(d):\n    pass\nclass Fooo(b.some_class):\n    pass\nclass Foooo(a.some_class):\n    pass\n",
        "import z\nfrom z import b\nfrom z.c import d\n\nclass Foo(d):\n    pass\nclass Fooo(b.some_class):\n    pass\nclass Foooo(z.some_class):\n    pass\n",
        id="rename_multiple_imports",
    ),
    pytest.param(
        "a.b.c.d.e.f",
        "g.h:i.j",
        "from a.b.c import d\n\nclass Foo(d.e.f):\n    pass\n",
        "from g.h import i\n\nclass Foo(i.j):\n    pass\n",
        id="input_with_colon_sep",
    ),
    pytest.param(
        "a.b.c.d",
        "g.h.i.j:",
        "from a.b.c import d\n\nclass Foo(d.e):\n    pass\n",
        "import g.h.i.j\n\nclass Foo(g.h.i.j.e):\n    pass\n",
        id="input_with_colon_sep_at_the_end",
    ),
    pytest.param(
        "baz.bar",
        "qux.bar",
        "from foo import bar\nbar(42)\n",
        "from foo import bar\nbar(42)\n",
        id="no_change_because_no_match_was_found",
    ),
    pytest.param(
        "a.b.qux",
        "a:b.qux",
        "from a.b import qux\n\nprint(qux)\n",
        "from a import b\n\nprint(b.qux)\n",
        id="rename_single_with_colon",
    ),
    pytest.param(
        "a.b.c",
        "z.c",
        "import a\na.b.c(a.b.c.d)\n",
        "from z import c\nc(c.d)\n",
        id="import_parent_module-differs",
    ),
    pytest.param(
        "a.b.c.d",
        "z.c",
        "import a.b\na.b.c.d(a.b.c.d.x)\n",
        "from z import c\nc(c.x)\n",
        id="import_parent_module_2-differs",
    ),
    pytest.param(
        "a.b.c",
        "z.c:",
        "import a\na.b.c(a.b.c.d)\n",
        "import z.c\nz.c(z.c.d)\n",
        id="import_parent_module_3-differs",
    ),
    pytest.param(
        "a.b.c",
        "z.c",
        "import a.b as alias\nalias.c(alias.c.d)\n",
        "import z\nz.c(z.c.d)\n",
        id="import_parent_module_asname",
    ),
    pytest.param(
        "foo",
        "quux.foo",
        "import foo\nfoo.baz()\n",
        "import quux.foo\nquux.foo.baz()\n",
        id="push_down_toplevel_names",
    ),
    pytest.param(
        "foo",
        "quux.foo",
        "import foo as bar\nbar.baz()\n",
        "import quux.foo\nquux.foo.baz()\n",
        id="push_down_toplevel_names_with_asname",
    ),
]


@pytest.mark.parametrize(("origin", "to", "before", "after"), CASES)
def test_libcst_rename_case(origin: str, to: str, before: str, after: str) -> None:
    rules = _rules(origin, to)
    first = migrate_source(before.encode(), "python", rules)
    assert first.error is None and not first.notes
    assert first.source.decode() == after
    assert migrate_source(first.source, "python", rules).source == first.source


def test_every_case_is_valid_python_before_and_after() -> None:
    for param in CASES:
        _, _, before, after = param.values
        compile(before, "before", "exec")
        compile(after, "after", "exec")


@pytest.mark.parametrize(
    ("to", "problem"),
    [
        pytest.param(":g.h.i.j", "is not module:attribute", id="leading-colon"),
        pytest.param("g.h:i:j", "is not module:attribute", id="two-colons"),
        pytest.param("g.*:i", "is not module:attribute", id="wildcard"),
        pytest.param("g.h:i-j", "is not an attribute name", id="bad-attribute"),
    ],
)
def test_a_colon_target_that_is_not_module_attribute_is_refused(to: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        _rules("a.b.c.d", to)


def test_a_colon_is_only_special_in_python_rules() -> None:
    rules = parse_rules({"rule": [{"from": "fs-extra", "to": "node:fs"}]}, "rules.toml")
    assert rules.rules[0].to == "node:fs"
