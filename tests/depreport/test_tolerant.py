"""Valid code the grammars misread is no syntax error; real syntax errors still are."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.extract import extract_imports
from depreport.extract.signatures import separators
from depreport.extract.tolerant import parse
from depreport.scan.languages import parser
from tests.conftest import FIXTURES

JSX_GRAMMARS = ("tsx", "javascript")
TS_GRAMMARS = ("tsx", "typescript")

VALID = [
    pytest.param("const a = <p>m&sup2; x&sup3; &frac12;</p>;", JSX_GRAMMARS, id="entity-with-digits"),
    pytest.param('const a = <p title="&sup3;" />;', JSX_GRAMMARS, id="entity-in-attribute"),
    pytest.param("const a = <p>Terms & Conditions</p>;", JSX_GRAMMARS, id="bare-ampersand"),
    pytest.param("const a = <p>R&D <b>x</b> &copy 2024</p>;", JSX_GRAMMARS, id="ampersand-then-element"),
    pytest.param("const a = <p><b>x</b>& more; really</p>;", JSX_GRAMMARS, id="ampersand-after-element"),
    pytest.param("const a = <p>{x}&{y} &&</p>;", JSX_GRAMMARS, id="ampersand-after-expression"),
    pytest.param("const a = <>Drag & drop</>;", JSX_GRAMMARS, id="fragment"),
    pytest.param('const a = <a href="/?a=1&b=2#top" />;', JSX_GRAMMARS, id="url-in-attribute"),
    pytest.param("const a = <a href='/?a=1&b=2'>x</a>;", JSX_GRAMMARS, id="single-quoted-attribute"),
    pytest.param("const C = styled.p<{ $w: number }>`a`;", TS_GRAMMARS, id="tagged-template-types"),
    pytest.param("const r = await sql<Row[]>`select 1`;", TS_GRAMMARS, id="tagged-template-array-type"),
    pytest.param(
        "interface A {\n  a: N | undefined\n  in2?: N\n  in?: N\n}", TS_GRAMMARS, id="member-named-in"
    ),
    pytest.param("interface A {\n  a: N\n  abstract: N\n}", TS_GRAMMARS, id="member-named-abstract"),
    pytest.param("type T = { [namespace in keyof H]: 1 }", TS_GRAMMARS, id="mapped-key-named-namespace"),
    pytest.param('class K { accessor() { return require("z"); } }', TS_GRAMMARS, id="method-named-accessor"),
    pytest.param('const s = f(using.length, require("z"));', TS_GRAMMARS, id="variable-named-using"),
    pytest.param(
        "export const prepareCreateViewJson = (\n\twithOption?: any,\n\tusing?: string,\n"
        "\ttablespace?: string,\n): JsonCreateViewStatement => {\n\treturn { using, tablespace };\n};\n",
        TS_GRAMMARS,
        id="parameter-named-using",
    ),
    pytest.param(
        "const parsedUsing = using === null ? undefined : using;\n"
        "indexes[name] = { using: using ? using : undefined, lock: lock ? lock : undefined };\n",
        TS_GRAMMARS,
        id="operand-named-using",
    ),
    pytest.param(
        "class B {\n\tusing(using: string): this {\n\t\tthis.config.using = using;\n\t\treturn this;\n\t}\n}\n",
        TS_GRAMMARS,
        id="method-and-parameter-named-using",
    ),
    pytest.param(
        "let as = self.pollers.length === 0\n  ? self.subscription.pollUpTo(Number.POSITIVE_INFINITY)\n  : []\n"
        "if (value) {\n  as = value.concat(as)\n}\nlet bs: A[] = as, cs\n",
        TS_GRAMMARS,
        id="variable-named-as",
    ),
    pytest.param('export import Q = require("./q");', TS_GRAMMARS, id="exported-import-equals"),
    pytest.param('export import type Q = require("./q");', TS_GRAMMARS, id="exported-import-type-equals"),
    pytest.param(
        "type T = { [type in keyof K]: 1; [get in keyof K]: 2 }", TS_GRAMMARS, id="mapped-keys-named-type-get"
    ),
    pytest.param("export type * from './t';", TS_GRAMMARS, id="export-type-star"),
    pytest.param("export type * as T from './t';", TS_GRAMMARS, id="export-type-star-as"),
    pytest.param(
        "const a =\n  await f<typeof import('x')>()\nreturn a", TS_GRAMMARS, id="typeof-import-call"
    ),
    pytest.param("interface I<in out T, out U = never> {}", TS_GRAMMARS, id="variance"),
    pytest.param("class A { static accessor x = 1; override accessor y = 2 }", TS_GRAMMARS, id="accessor"),
    pytest.param(
        "class F extends E {\n  @property({attribute: 'custom', reflect: true})\n"
        "  override accessor customAttr = 'customAttr';\n}",
        TS_GRAMMARS,
        id="accessor-before-a-longer-name",
    ),
    pytest.param(
        "class A {\n  static accessor customAttr = 1;\n}", TS_GRAMMARS, id="static-accessor-longer-name"
    ),
    pytest.param(
        "class A { static readonly [key: string]: number }", TS_GRAMMARS, id="static-index-signature"
    ),
    pytest.param("type P = import('./p').Props<{ a: 1; b: X<Y> }>;", TS_GRAMMARS, id="import-type-arguments"),
    pytest.param("function f(a: import('x').A<B>, b: 1) {}", TS_GRAMMARS, id="import-type-parameter"),
    pytest.param("import defer * as ns from './x';", TS_GRAMMARS, id="import-defer"),
    pytest.param(
        "import.defer('./x');\nconst { a } = await import.defer('./y');",
        (*TS_GRAMMARS, "javascript"),
        id="import-defer-call",
    ),
    pytest.param(
        "export const clamp: {\n"
        "  <Min extends DateTime, Max extends DateTime>(\n"
        "    options: { readonly minimum: Min; readonly maximum: Max }\n"
        "  ): <A extends DateTime>(self: A) => A | Min | Max\n"
        "  <A extends DateTime, Min extends DateTime, Max extends DateTime>(\n"
        "    self: A,\n"
        "    options: { readonly minimum: Min; readonly maximum: Max }\n"
        "  ): A | Min | Max\n"
        "} = Internal.clamp\n",
        ("typescript",),
        id="generic-call-signature-with-constraints-after-a-member",
    ),
    pytest.param(
        "interface L {\n  readonly generateText: {\n"
        "    // No toolkit: force `{}` instead of falling back to `Record<string, Tool.Any>`.\n"
        "    <Options>(options: Options): Effect.Effect<\n      R<{}>,\n      E<Options>\n    >\n"
        "    // Generic toolkit: preserve caller-supplied `Tools` in helpers like `<Tools>(t) => ...`.\n"
        "    <\n      Tools extends Record<string, Tool.Any>,\n      Options\n    >(options: Options): R<Tools>\n"
        "  }\n}\n",
        ("typescript",),
        id="generic-call-signature-after-a-comment-line",
    ),
    pytest.param(  # effect 4.1.5's src/Cache.ts: each overload of a dual API has its doc comment
        "export const get: {\n"
        "  /**\n   * Retrieves the value for a key.\n   *\n   * @since 4.0.0\n   */\n"
        "  <Key, A>(key: Key): <E, R>(self: Cache<Key, A, E, R>) => Effect.Effect<A, E, R>\n"
        "  /**\n   * Retrieves the value for a key (data first). */\n"
        "  <Key, A, E, R>(self: Cache<Key, A, E, R>, key: Key): Effect.Effect<A, E, R>\n"
        "} = dual(2, (self, key) => get(self, key))\n",
        ("typescript",),
        id="generic-call-signature-after-a-doc-comment",
    ),
    pytest.param(  # effect 4.1.5's src/Array.ts (`getUnsafe`, its doc shortened): with this doc the
        # grammar takes `<A>` as type arguments of the `A` before and puts the error after them
        "export const getUnsafe: {\n"
        "  /**\n   */\n"
        "  (index: number): <A>(self: ReadonlyArray<A>) => A\n"
        "  /**\n"
        "   * ```ts import.meta.vitest\n"
        '   * import { Array } from "effect"\n'
        "   *\n"
        "   * Array.getUnsafe([1, 2, 3], 1) // => 2\n"
        "   * // Array.getUnsafe([1, 2, 3], 10) // throws Error\n"
        "   * ```\n"
        "   *\n"
        "   * @see {@link get} — safe version returning `Option`\n"
        "   *\n"
        "   * @stability stable\n"
        "   * @category unsafe\n"
        "   * @since 4.0.0\n"
        "   */\n"
        "  <A>(self: ReadonlyArray<A>, index: number): A\n"
        "} = dual(2, <A>(self: ReadonlyArray<A>, index: number): A => self[index])\n",
        ("typescript",),
        id="generic-call-signature-whose-error-comes-after-it",
    ),
    pytest.param(  # more masks in a round than are told to the tree one by one: parsed afresh
        "interface Overloads {\n  a: X\n" + "  <A>(s: A, t: T): A\n" * 100 + "}\n",
        ("typescript",),
        id="more-masks-than-edits",
    ),
    pytest.param(  # zod 4's src/v4/classic/schemas.ts
        "export interface ZodObject<\n"
        "  /** @ts-ignore Cast variance */\n"
        "  out Shape extends core.$ZodShape = core.$ZodLooseShape,\n"
        "  out Config extends core.$ZodObjectConfig = core.$strip,\n"
        "> extends _ZodType<core.$ZodObjectInternals<Shape, Config>> {}\n",
        TS_GRAMMARS,
        id="variance-after-a-doc-comment",
    ),
    pytest.param(  # @reduxjs/toolkit 2's src/query/core/module.ts
        "export interface ApiModules<\n"
        "  // eslint-disable-next-line @typescript-eslint/no-unused-vars\n"
        "  in out BaseQuery extends BaseQueryFn,\n"
        "  in out Definitions extends EndpointDefinitions,\n"
        "> {}\n",
        TS_GRAMMARS,
        id="variance-after-a-line-comment",
    ),
    pytest.param(
        "export const setIdleTTL: {\n"
        "  (duration: Duration.Input): <A extends Atom<any>>(self: A) => A\n"
        "  <A extends Atom<any>>(self: A, duration: Duration.Input): A\n"
        "} = dual(2, (self, durationInput) => self)\n\n"
        "factory.withReactivity =\n"
        "  (keys: ReadonlyArray<unknown>) =>\n"
        "  <A extends Atom<any>>(atom: A): A =>\n"
        "    transform(atom, (get) => get)\n",
        ("typescript",),
        id="generic-arrow-on-its-own-line-after-an-arrow",
    ),
    pytest.param(
        "lazy from math import pi\nfrom math import pi\nlazy import os\nimport os\n",
        ("python",),
        id="python-lazy-import",
    ),
    pytest.param(
        "if TYPE_CHECKING:\n    lazy import a\nelse:\n    lazy from . import (b,\n        c)\n",
        ("python",),
        id="python-lazy-import-in-if-at-module-level",
    ),
    pytest.param(
        "import contextlib\nwith contextlib.nullcontext():\n    lazy from sys import path\n",
        ("python",),
        id="python-lazy-import-in-with",
    ),
]

INVALID = [
    pytest.param("export const = ;", JSX_GRAMMARS, id="missing-name"),
    pytest.param("const a = <p>;", JSX_GRAMMARS, id="unclosed-element"),
    pytest.param("const a = x & ;", JSX_GRAMMARS, id="operator-without-operand"),
    pytest.param("const a = <p>a & {</p>;", JSX_GRAMMARS, id="ampersand-then-open-brace"),
    pytest.param('const a = <a href="x&y />;', JSX_GRAMMARS, id="unclosed-attribute-string"),
    pytest.param("const a = <A/>&&x; const = 1;", JSX_GRAMMARS, id="error-after-masked-file"),
    pytest.param("export type from './t';", TS_GRAMMARS, id="export-type-without-star"),
    pytest.param("const C = styled.p<{ $w: number }`a`;", TS_GRAMMARS, id="unclosed-type-arguments"),
    pytest.param("const a = f<typeof import('x')>(;", TS_GRAMMARS, id="typeof-import-broken-call"),
    pytest.param("class A { static [a b] = 1 }", TS_GRAMMARS, id="static-broken-member"),
    pytest.param("type P = import('./p').Props<{ a: 1 };", TS_GRAMMARS, id="import-type-unclosed"),
    pytest.param("import source x from './x';", TS_GRAMMARS, id="import-source-is-no-typescript"),
    pytest.param("const v = ctx.get<Foo>?.;", TS_GRAMMARS, id="optional-chain-without-name"),
    pytest.param("const a = <p>a > b</p>;", JSX_GRAMMARS, id="jsx-text-greater-than"),
    pytest.param("def f():\n    lazy import os\n", ("python",), id="python-lazy-import-in-a-function"),
    pytest.param("lazy from x import *\n", ("python",), id="python-lazy-import-star"),
    pytest.param(
        "try:\n    lazy import os\nexcept:\n    pass\n", ("python",), id="python-lazy-import-in-try"
    ),
    pytest.param("class C:\n    lazy import typing\n", ("python",), id="python-lazy-import-in-a-class"),
    pytest.param("lazy x = 1\n", ("python",), id="python-lazy-before-no-import"),
]


@pytest.mark.parametrize(("source", "grammars"), VALID)
def test_valid_code_the_grammar_misreads_is_no_syntax_error(source: str, grammars: tuple[str, ...]) -> None:
    for grammar in grammars:
        assert parser(grammar).parse(source.encode()).root_node.has_error  # what the grammar says
        assert not parse(source.encode(), grammar).syntax_error, grammar


@pytest.mark.parametrize(("source", "grammars"), INVALID)
def test_real_syntax_errors_are_still_reported(source: str, grammars: tuple[str, ...]) -> None:
    for grammar in grammars:
        assert parse(source.encode(), grammar).syntax_error, grammar


def test_masks_keep_every_line_and_column() -> None:
    source = b"const a = <p title='a&b'>R&D\n  x&sup3; & y</p>;\nconst b = import('./after');\n"
    parsed = parse(source, "tsx")
    assert len(parsed.tree.root_node.text or b"") == len(source)
    assert [(r.line, r.column) for r in extract_imports(source, "tsx").imports] == [(3, 10)]


def test_a_typeof_import_type_argument_is_a_type_only_import() -> None:
    found = extract_imports(b"const m = vi.fn<typeof import('./m')>(x);\n", "typescript").imports
    assert [(r.kind, r.specifier, r.type_only) for r in found] == [("dynamic", "./m", True)]


@pytest.mark.integration
def test_strict_scan_passes_on_valid_code_and_fails_on_a_real_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    valid = [
        "typescript-variance-and-class-members",
        "typescript-import-type-arguments",
        "jsx-entities-with-digits",
        "jsx-text-ampersands",
        "jsx-attribute-ampersands",
        "typescript-tagged-template-type-arguments",
        "typescript-typeof-import-type-argument",
        "typescript-newer-syntax",
        "reexport-import-attributes",
    ]
    for case in valid:
        source = next((FIXTURES / "extract" / case).glob("input.*"))
        shutil.copy(source, tmp_path / f"{case}{source.suffix}")
    args = ["scan", str(tmp_path), "--strict", "--no-cache", "--progress", "never", "--no-git"]
    assert main(args) == 0, capsys.readouterr().err
    shutil.copy(FIXTURES / "extract" / "jsx-ampersand-real-error" / "input.tsx", tmp_path / "broken.tsx")
    assert main(args) == 1
    assert "broken.tsx" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("head", "rest"),
    [
        pytest.param("import a from 'a';\n", "const b = <A x={1}>t</A>;\nrun(a, b);\n", id="plain"),
        pytest.param("import a from 'a';\n", "const b = <p>R&D</p>;\n", id="rest-masked"),
        pytest.param("const p = <p>R&D</p>;\n", "const b = <A />;\n", id="head-masked"),
        pytest.param("import a from 'a';\n", "f<typeof import('x')>();\n", id="import-type-in-rest"),
        pytest.param("import a from 'a';\n", "const = ;\n", id="rest-broken"),
    ],
)
def test_parse_going_on_from_a_prefix_gives_the_fresh_tree(head: str, rest: str) -> None:
    whole = (head + rest).encode()
    prefix = parse(head.encode(), "tsx")
    fresh, grown = parse(whole, "tsx"), parse(whole, "tsx", prefix)
    assert str(grown.tree.root_node) == str(fresh.tree.root_node)
    assert (grown.syntax_error, grown.import_types, grown.size) == (
        fresh.syntax_error,
        fresh.import_types,
        len(whole),
    )
    assert prefix.masked == ("&" in head)  # a masked prefix is parsed again from scratch


def test_a_semicolon_goes_only_where_a_type_member_ended() -> None:
    """A `<` opening a line after a member (`): A` then `<B>(b: B): B`) gets a `;` before it; one after a
    `,` (a generic arrow function as the next argument, Effect's Channel.ts) does not."""

    member = bytearray(b"type F = {\n  (a: number): number\n  <B>(b: B): B\n}\n")
    argument = bytearray(b"const g = f(x,\n  <B,>(b: B) => b; y)\n")  # an error, but not a member's
    assert separators(parser("typescript").parse(bytes(member)).root_node, member) == [
        member.index(b"<B>") - 1
    ]
    assert separators(parser("typescript").parse(bytes(argument)).root_node, argument) == []


def test_a_python_comment_at_the_start_of_a_line_inside_a_block_is_no_syntax_error() -> None:
    """pydantic's tests/mypy/outputs/.../frozen_field.py: a comment in column 0 between a decorator and
    its def. The grammar ends the class there; Python does not."""
    valid = b"import os\nclass C:\n    @property\n# note\n    def p(self):\n        import json\n"
    assert parser("python").parse(valid).root_node.has_error
    assert not parse(valid, "python").syntax_error
    assert [r.line for r in extract_imports(valid, "python").imports] == [1, 6]
    assert parse(b"# note\nclass C:\n    def p(self:\n        pass\n", "python").syntax_error


@pytest.mark.parametrize(
    "source",
    [
        'class K { accessor() { return require("z"); } }',
        'const s = f(using.length, require("z"));',
        'export import z = require("z");',
    ],
)
def test_a_require_beside_a_name_the_grammar_takes_for_a_keyword_is_kept(source: str) -> None:
    """mikro-orm's defineEntity.ts and Oracle query builder lost these requires."""
    for grammar in TS_GRAMMARS:
        assert [r.specifier for r in extract_imports(source.encode(), grammar).imports] == ["z"]


def test_an_exported_type_only_import_equals_is_one_type_only_import() -> None:
    """typescript-eslint's ast-spec fixture import-export-equal-type-declaration (valid TypeScript, as
    Babel and TypeScript read it) lost its import and was a syntax error."""
    source = b"export import type foo = require('bar');\n"
    for grammar in TS_GRAMMARS:
        found = extract_imports(source, grammar)
        assert [(r.kind, r.specifier, r.local, r.type_only) for r in found.imports] == [
            ("import-equals", "bar", "foo", True)
        ], grammar
        assert not found.syntax_error, grammar


def test_a_deferred_dynamic_import_is_a_dynamic_import() -> None:
    """typescript-eslint's ast-spec fixture ImportExpression/fixtures/defer (`import.defer('foo')`) was a
    syntax error; its imports were kept, and are."""
    source = b"import.defer('foo');\nconst { a } = await import.defer('./y');\n"
    for grammar in TS_GRAMMARS:
        found = extract_imports(source, grammar)
        assert [(r.kind, r.specifier, r.export) for r in found.imports] == [
            ("dynamic", "foo", "*"),
            ("dynamic", "./y", "a"),
        ], grammar
        assert not found.syntax_error, grammar


def test_a_module_string_or_an_imported_name_spelled_like_a_masked_keyword_is_read_as_written() -> None:
    """furystack's observable-value.spec.ts imports `{ using } from './using.js'` and calls `using(…)`
    before its last import: the call is masked, and the import came out as `usin$` from `./usin$.js`."""
    source = (
        b"import { using } from './using.js'\n"
        b"using(new ObservableValue(1), (v) => v.getValue())\n"
        b"export { accessor } from './accessor.js'\n"
    )
    for grammar in TS_GRAMMARS:
        found = extract_imports(source, grammar).imports
        assert [(r.specifier, r.export, r.local) for r in found] == [
            ("./using.js", "using", "using"),
            ("./accessor.js", "accessor", "accessor"),
        ], grammar
