"""A JS rule whose whole module becomes one named export of another (`to = "radix-ui"`, `as = "Dialog"`):
each import shape rewritten as radix-ui's own migration (shadcn's migrate-radix) means it, or reported
with what to write; rules that cannot say it safely are refused when they load."""

from __future__ import annotations

import tomllib

import pytest

from codemods.rulefile import parse_rules
from codemods.rules import RuleSet
from codemods.runner import migrate_source
from depreport.errors import ConfigError

RADIX = """
[known_exports]
"radix-ui" = ["Dialog", "Popover", "Select", "Slot"]
[[rule]]
from = "@radix-ui/react-dialog"
to = "radix-ui"
as = "Dialog"
[[rule]]
from = "@radix-ui/react-select"
to = "radix-ui"
as = "Select"
[[rule]]
from = "@radix-ui/react-slot"
to = "radix-ui"
as = "Slot"
"""


def rules(text: str = RADIX) -> RuleSet:
    return parse_rules(tomllib.loads(text), "rules.toml")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(  # shadcn's migrate-radix test "should migrate namespace imports"
            'import * as DialogPrimitive from "@radix-ui/react-dialog"\n'
            'import * as SelectPrimitive from "@radix-ui/react-select"\n\n'
            "export const Dialog = DialogPrimitive.Root\n",
            'import { Dialog as DialogPrimitive, Select as SelectPrimitive } from "radix-ui"\n\n'
            "export const Dialog = DialogPrimitive.Root\n",
            id="namespaces-merged",
        ),
        pytest.param(
            "import * as Dialog from '@radix-ui/react-dialog';\n<Dialog.Root />;\n",
            "import { Dialog } from 'radix-ui';\n<Dialog.Root />;\n",
            id="namespace-named-like-the-export",
        ),
        pytest.param(
            'import type * as Types from "@radix-ui/react-dialog"\ntype P = Types.DialogProps\n',
            'import type { Dialog as Types } from "radix-ui"\ntype P = Types.DialogProps\n',
            id="type-only-namespace",
        ),
        pytest.param(
            "const DialogPrimitive = require('@radix-ui/react-dialog');\n",
            "const { Dialog: DialogPrimitive } = require('radix-ui');\n",
            id="require",
        ),
        pytest.param(
            "async function f() {\n  const D = await import('@radix-ui/react-dialog');\n}\n",
            "async function f() {\n  const { Dialog: D } = await import('radix-ui');\n}\n",
            id="await-import",
        ),
        pytest.param(
            "const { Root, Trigger: T } = require('@radix-ui/react-dialog');\n",
            "const { Dialog: { Root, Trigger: T } } = require('radix-ui');\n",
            id="destructured-require",
        ),
        pytest.param(
            "import('@radix-ui/react-dialog').then(({ Root }) => Root);\n",
            "import('radix-ui').then(({ Dialog: { Root } }) => Root);\n",
            id="then-callback",
        ),
        pytest.param(
            "const Slot = require('@radix-ui/react-slot').Slot;\nmodule.exports = require('@radix-ui/react-dialog');\n",
            "const Slot = require('radix-ui').Slot.Slot;\nmodule.exports = require('radix-ui').Dialog;\n",
            id="require-member-and-whole",
        ),
        pytest.param(
            "async function f() {\n  use(await import('@radix-ui/react-dialog'));\n}\n",
            "async function f() {\n  use((await import('radix-ui')).Dialog);\n}\n",
            id="awaited-import-passed-on",
        ),
        pytest.param(
            "type D = typeof import('@radix-ui/react-dialog');\nlet p: import('@radix-ui/react-dialog').DialogProps;\n",
            "type D = typeof import('radix-ui').Dialog;\nlet p: import('radix-ui').Dialog.DialogProps;\n",
            id="import-types",
        ),
        pytest.param(
            "export * as DialogPrimitive from '@radix-ui/react-dialog';\n",
            "export { Dialog as DialogPrimitive } from 'radix-ui';\n",
            id="export-star-as",
        ),
        pytest.param(  # migrate-radix writes `import { Root, Trigger } from "radix-ui"`: radix-ui has no Root
            'import {\n  Root,\n  Trigger,\n} from "@radix-ui/react-dialog"\n\n'
            "export const DialogRoot = Root\nconst t = <Trigger asChild />\n",
            'import { Dialog } from "radix-ui"\n\n'
            "export const DialogRoot = Dialog.Root\nconst t = <Dialog.Trigger asChild />\n",
            id="named-uses-become-members",
        ),
        pytest.param(  # migrate-radix: `{ Slot as SlotPrimitive }` and SlotPrimitive.Slot, the same binding
            'import { Slot } from "@radix-ui/react-slot"\n'
            "type P = React.ComponentProps<typeof Slot>\nconst Comp = asChild ? Slot : 'button'\nf({ Slot })\n",
            'import { Slot } from "radix-ui"\n'
            "type P = React.ComponentProps<typeof Slot.Slot>\nconst Comp = asChild ? Slot.Slot : 'button'\n"
            "f({ Slot: Slot.Slot })\n",
            id="named-like-the-export",
        ),
        pytest.param(  # migrate-radix "should handle type-only imports": Dialog is taken by the file
            'import type { ComponentProps } from "@radix-ui/react-dialog"\n'
            'import * as DialogPrimitive from "@radix-ui/react-dialog"\n\n'
            "export type Props = ComponentProps\nexport const Dialog = DialogPrimitive.Root\n",
            'import { Dialog as DialogPrimitive } from "radix-ui"\n\n'
            "export type Props = DialogPrimitive.ComponentProps\nexport const Dialog = DialogPrimitive.Root\n",
            id="named-uses-join-the-namespace-import",
        ),
        pytest.param(
            "import { Popover } from 'radix-ui';\nimport type { SelectProps } from '@radix-ui/react-select';\n"
            "import { Root } from '@radix-ui/react-select';\ntype P = SelectProps;\n<Root />;\n",
            "import { Popover, Select } from 'radix-ui';\ntype P = Select.SelectProps;\n<Select.Root />;\n",
            id="type-and-value-merged-into-the-target-import",
        ),
        pytest.param(  # the file's type-only import of Dialog is the namespace its uses become members of
            "import type { Dialog } from 'radix-ui';\nimport { Root } from '@radix-ui/react-dialog';\n"
            "<Root />;\ntype D = Dialog.DialogProps;\n",
            "import { Dialog } from 'radix-ui';\n<Dialog.Root />;\ntype D = Dialog.DialogProps;\n",
            id="named-uses-join-a-type-only-import-of-the-export",
        ),
        pytest.param(
            "import { Dialog } from 'radix-ui';\nimport type * as Dialog from '@radix-ui/react-dialog';\n"
            "type P = Dialog.DialogProps;\n",
            "import { Dialog } from 'radix-ui';\ntype P = Dialog.DialogProps;\n",
            id="type-only-namespace-joins-the-value-import",
        ),
    ],
)  # fmt: skip
def test_each_import_shape_becomes_the_export(source: str, expected: str) -> None:
    first = migrate_source(source.encode(), "tsx", rules())
    assert (first.source.decode(), first.notes, first.error) == (expected, (), None)
    assert migrate_source(first.source, "tsx", rules()).source == first.source


def test_locals_rename_names_a_namespace_import_like_the_export() -> None:
    text = RADIX.replace('as = "Dialog"', 'as = "Dialog"\nlocals = "rename"')
    source = b"import * as DialogPrimitive from '@radix-ui/react-dialog';\n<DialogPrimitive.Root />;\n"
    result = migrate_source(source, "tsx", rules(text))
    assert result.source == b"import { Dialog } from 'radix-ui';\n<Dialog.Root />;\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "import type { Dialog } from 'radix-ui';\n",
            "import { Dialog } from 'radix-ui';\n",
            id="type-only-statement",
        ),
        pytest.param(
            "import { type Dialog, Popover } from 'radix-ui';\n",
            "import { Popover, Dialog } from 'radix-ui';\n",
            id="type-only-item",
        ),
        pytest.param(
            "import type { Dialog, Popover } from 'radix-ui';\n",
            "import type { Popover } from 'radix-ui';\nimport { Dialog } from 'radix-ui';\n",
            id="type-only-statement-with-another-name",
        ),
    ],
)
def test_a_type_only_import_of_the_renamed_namespace_gives_way_to_the_value(
    source: str, expected: str
) -> None:
    """`import type { Dialog }` beside `import * as DialogPrimitive` renamed to a value `{ Dialog }` would
    declare Dialog twice: the type-only import goes, the value import serves both."""
    text = RADIX.replace('as = "Dialog"', 'as = "Dialog"\nlocals = "rename"')
    uses = "<DialogPrimitive.Root />;\ntype P = Dialog.DialogProps;\n"
    before = source + "import * as DialogPrimitive from '@radix-ui/react-dialog';\n" + uses
    result = migrate_source(before.encode(), "tsx", rules(text))
    after = expected + uses.replace("DialogPrimitive.", "Dialog.")
    assert (result.source.decode(), result.notes) == (after, ())
    assert migrate_source(result.source, "tsx", rules(text)).source == result.source


@pytest.mark.parametrize(
    ("comments", "reported"),
    [
        pytest.param("// @ts-expect-error old types\n", "// @ts-expect-error old types", id="above"),
        pytest.param(
            "// Dialog's types\n// (kept apart)\n", "// Dialog's types; // (kept apart)", id="lines-above"
        ),
    ],
)
def test_a_type_only_import_that_gives_way_takes_its_own_comments(comments: str, reported: str) -> None:
    """Left behind, a comment of the removed `import type { Dialog }` would stand above another statement
    (a `// @ts-expect-error` then applies to it): it goes with its statement, and the run says so."""
    text = RADIX.replace('as = "Dialog"', 'as = "Dialog"\nlocals = "rename"')
    before = (
        f"{comments}import type {{ Dialog }} from 'radix-ui'; // eslint-disable-line\n"
        "import * as React from 'react';\nimport * as DialogPrimitive from '@radix-ui/react-dialog';\n"
        "<DialogPrimitive.Root />;\ntype P = Dialog.DialogProps;\n"
    )
    result = migrate_source(before.encode(), "tsx", rules(text))
    assert result.source.decode() == (
        "import * as React from 'react';\nimport { Dialog } from 'radix-ui';\n"
        "<Dialog.Root />;\ntype P = Dialog.DialogProps;\n"
    )
    line = comments.count("\n") + 1
    message = (
        "import type of Dialog from radix-ui removed (the value import serves its types too), and with it "
        f"its comments: {reported}; // eslint-disable-line"
    )
    assert [(n.line, n.message) for n in result.notes] == [(line, message)]


@pytest.mark.parametrize(
    ("source", "reported"),
    [
        pytest.param(
            "import D from '@radix-ui/react-dialog';\n",
            "its default export is Dialog.default; write by hand: import { Dialog } from 'radix-ui' and write "
            "Dialog.default for D",
            id="default-import",
        ),
        pytest.param(
            "export { Root } from '@radix-ui/react-dialog';\n",
            "export {…} from of @radix-ui/react-dialog left as it is: rule '@radix-ui/react-dialog' makes "
            "@radix-ui/react-dialog the export Dialog of radix-ui, and its names are members of that export, "
            "which cannot be re-exported by name from radix-ui; write by hand: import { Dialog } from "
            "'radix-ui' and export const Root = Dialog.Root",
            id="reexported-names",
        ),
        pytest.param(
            "export * from '@radix-ui/react-dialog';\n",
            "it re-exports each name of the module, now members of that export",
            id="export-star",
        ),
        pytest.param(
            "import '@radix-ui/react-dialog';\n", "a side-effect import binds no name", id="side-effect"
        ),
        pytest.param(
            "import D = require('@radix-ui/react-dialog');\n",
            "write by hand: import { Dialog as D } from 'radix-ui'",
            id="import-equals-require",
        ),
        pytest.param(
            "const Lazy = lazy(() => import('@radix-ui/react-dialog'));\n",
            "import('radix-ui').then((module) => module.Dialog)",
            id="import-not-awaited",
        ),
        pytest.param(
            "jest.mock('@radix-ui/react-dialog');\n", "a mock or a resolver names a whole module", id="mock"
        ),
        pytest.param(  # migrate-radix "should handle mixed import types": it writes `Root as SelectRoot`
            "import { Root as SelectRoot } from '@radix-ui/react-select';\nexport const Select = SelectRoot;\n",
            "Select already names something else at line 2; write by hand: import { Select as <Alias> } from "
            "'radix-ui' and write <Alias>.Root for SelectRoot",
            id="named-export-name-taken",
        ),
        pytest.param(  # migrate-radix "should handle custom Slot aliases differently": Slot is a global there
            "import { Slot as SlotComponent } from '@radix-ui/react-slot';\nconst C = asChild ? Slot : SlotComponent;\n",
            "Slot already names something else at line 2",
            id="named-export-name-used-unbound",
        ),
        pytest.param(
            "import { Root } from '@radix-ui/react-dialog';\nfunction f(Root) { return Root; }\n",
            "Root is also declared at line 2",
            id="named-shadowed",
        ),
        pytest.param(
            "import { Root } from '@radix-ui/react-dialog';\nexport { Root };\n",
            "Root is exported by name at line 2, which a member cannot be",
            id="named-exported",
        ),
        pytest.param(
            "const { Root }: Parts = require('@radix-ui/react-dialog');\n",
            "its destructuring has a type annotation",
            id="annotated-destructuring",
        ),
    ],
)  # fmt: skip
def test_what_has_no_spelling_is_reported_with_the_fix(source: str, reported: str) -> None:
    result = migrate_source(source.encode(), "tsx", rules())
    assert result.source == source.encode()
    assert len(result.notes) == 1 and reported in result.notes[0].message


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        pytest.param(
            '[[rule]]\nfrom = "@radix-ui/react-*"\nto = "radix-ui"\nas = "Dialog"',
            "has wildcards and as = 'Dialog': every module it matches would become the same export Dialog",
            "write one rule per module", id="wildcard",
        ),
        pytest.param(
            '[[rule]]\nfrom = "@radix-ui/react-dialog"\nto = "radix-ui"\nas = "Dialog"\n[rule.exports]\nRoot = "DialogRoot"',
            "renames exports, but its module becomes radix-ui's Dialog as a whole", "drop [rule.exports]",
            id="exports",
        ),
        pytest.param(
            '[[rule]]\nfrom = "@radix-ui/react-dialog"\nto = "radix-ui"\nas = "Dialog"\ndefault = "Dialog"',
            "renames exports", "and default", id="default",
        ),
        pytest.param(
            '[[rule]]\nfrom = "@radix-ui/react-dialog"\nto = "@radix-ui/react-dialog"\nas = "Dialog"',
            "makes @radix-ui/react-dialog an export of itself", "point to at", id="in-place",
        ),
        pytest.param(
            '[[rule]]\nfrom = "@radix-ui/react-dialog"\nto = "radix-ui"\nas = "Dialog"\nimports = ["type"]',
            "applies to value or type imports alone", 'imports = ["value", "type"]', id="types-only",
        ),
        pytest.param(
            '[known_exports]\n"radix-ui" = ["Dialog"]\n[[rule]]\nfrom = "@radix-ui/react-select"\nto = "radix-ui"\n'
            'as = "Selectt"', "which known_exports says radix-ui does not export", "add 'Selectt'", id="unknown",
        ),
        pytest.param(
            '[[rule]]\nfrom = "@radix-ui/react-dialog"\nto = "radix-ui"\nas = "default"',
            "key 'as': 'default' is not an export name", "as =", id="default-name",
        ),
        pytest.param(
            '[[rule]]\nlanguage = "python"\nfrom = "a"\nto = "b"\nas = "C"',
            "key 'as' is for JavaScript rules", "remove as", id="python",
        ),
        pytest.param(  # the spelling of Python rules: in JS, `node:fs` is a module
            '[[rule]]\nfrom = "@radix-ui/react-dialog"\nto = "radix-ui:Dialog"',
            "key 'to': 'radix-ui:Dialog' names the module 'radix-ui:Dialog'",
            'write to = "radix-ui" and as = "Dialog"', id="python-spelling",
        ),
        pytest.param(
            '[[rule]]\nfrom = "@radix-ui/react-dialog"\nto = "radix-ui"\nas = "Dialog"\n'
            '[[rule]]\nfrom = "radix-ui"\nto = "radix-ui"\n[rule.exports]\nDialog = "DialogV2"',
            "moves names to 'radix-ui', where rule 'radix-ui' renames them again", 'to = "radix-ui", as = "DialogV2"',
            id="chain",
        ),
    ],
)  # fmt: skip
def test_what_the_form_cannot_say_is_refused(text: str, message: str, hint: str) -> None:
    with pytest.raises(ConfigError) as raised:
        rules(text)
    assert message in raised.value.message
    assert hint in raised.value.hint


def test_a_colon_module_stays_a_module() -> None:
    loaded = rules(
        '[[rule]]\nfrom = "fs"\nto = "node:fs"\n[[rule]]\nfrom = "astro-content"\nto = "astro:content"'
    )
    assert [(r.to, r.becomes) for r in loaded.rules] == [("node:fs", None), ("astro:content", None)]
