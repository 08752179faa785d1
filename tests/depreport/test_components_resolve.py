"""Uses resolved through the file's imports (assemble.resolve_uses): package, subpath, real export, member."""

from __future__ import annotations

from depreport.model import EXPRESSION, Extracted, Extraction, RawImport, RawUse, UseRecord
from depreport.resolve.entries import file_entry
from depreport.resolve.specifiers import Resolver

IMPORTS = (
    RawImport(1, 0, "import", "@eg/ui", "*", "EG", False),
    RawImport(2, 0, "import", "@eg/ui/next", "Button", "Btn", False),
    RawImport(2, 0, "import", "@eg/ui/next", "Modal", "Modal", False),
    RawImport(3, 0, "import", "./Card", "default", "Card", False),
    RawImport(4, 0, "reexport", "other", "Thing", "Thing", False),
)


def uses_of(*uses: RawUse) -> tuple[UseRecord, ...]:
    extraction = Extraction(IMPORTS, False, 0, True, uses=uses)
    resolver = Resolver(["src/a.tsx", "src/Card.tsx"], {}, {})
    return file_entry(Extracted("src/a.tsx", "b", extraction), "tsx", resolver).uses


def instance(line: int, local: str, member: str = "", props: tuple[tuple[str, str], ...] = ()) -> RawUse:
    return RawUse(line, 4, local, member, "instance", "", "", props)


def test_an_alias_is_reported_under_its_export_with_the_subpath() -> None:
    (use,) = uses_of(instance(9, "Btn", props=(("size", EXPRESSION),)))
    assert use == UseRecord(
        "src/a.tsx", 9, 4, "@eg/ui", "next", "Button", "", "instance", "", "", (("size", EXPRESSION),), "npm"
    )


def test_a_namespace_member_is_the_export_and_the_rest_stays_the_member() -> None:
    one, two, three = uses_of(
        instance(5, "EG", "Button"), instance(6, "EG", "Modal.Header"), instance(7, "EG")
    )
    assert (one.package, one.subpath, one.export, one.member) == ("@eg/ui", "", "Button", "")
    assert (two.export, two.member) == ("Modal", "Header")
    assert (three.export, three.member) == ("*", "")  # the namespace object itself


def test_a_sub_component_and_a_default_import_of_a_local_module() -> None:
    header, card = uses_of(instance(5, "Modal", "Header"), instance(6, "Card"))
    assert (header.export, header.member) == ("Modal", "Header")
    assert (card.package, card.export, card.resolved) == ("src/Card", "default", "relative")


def test_a_value_use_keeps_how() -> None:
    (use,) = uses_of(RawUse(8, 10, "Btn", "", "value", "call", "styled", ()))
    assert (use.kind, use.via, use.detail, use.export) == ("value", "call", "styled", "Button")


def test_a_use_of_a_binding_no_import_made_is_left_out() -> None:
    found = uses_of(instance(5, "Nope"), instance(6, "Thing"), instance(7, "Btn"))
    dropped = 3 - len(found)
    assert dropped == 2 and found[0].export == "Button"  # `export { Thing } from` binds no name


def test_a_file_without_uses_has_none() -> None:
    assert uses_of() == ()
