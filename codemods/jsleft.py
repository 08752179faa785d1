"""What a site's rewrite leaves behind that the user should check, as the messages the run reports."""

from __future__ import annotations

from tree_sitter import Node

from codemods.jscarry import Carried, carried_comments
from codemods.jscomments import directives_of
from codemods.jssites import Site, Spec
from depreport.extract.sites import text


def strays_left(site: Site, module: str, moved: list[tuple[str, Spec | None]]) -> list[str]:
    """For each item (local name, list item) written anew in a statement of `module`: a comment near it
    that is no item's (apart from it by a blank line, or over several lines) did not go with it. Its own
    comments (on its line, on the lines right above it) did."""
    if site.items is None or not site.specs or not moved:
        return []
    carried = carried_comments(site.items, site.specs)
    strays = {id(spec): own.strays for spec, own in zip(site.specs, carried, strict=True) if own.strays}
    found = []
    for local, spec in moved:
        comments = strays.get(id(spec), ()) if spec is not None else ()
        if comments:
            quoted = "; ".join(text(c).splitlines()[0] for c in comments)
            found.append(
                f"{local} moved to a new import from {module}; the comment near it ({quoted}) belongs to no "
                "name and did not go with it: check where it belongs"
            )
    return found


def dropped_left(gone: list[tuple[Spec | None, str]]) -> list[tuple[int, str]]:
    """For each list item (and the module it was sent to) not written after all, the target importing
    the name already: its own comments went with it. The line of its statement and the message."""
    lists: dict[int, tuple[Node, list[Spec]]] = {}
    for spec, _ in gone:
        items = spec.node.parent if spec is not None else None
        if spec is not None and items is not None:
            lists.setdefault(items.id, (items, []))[1].append(spec)
    comments: dict[int, Carried] = {}
    for items, specs in lists.values():  # one pass over each list: its children, not all its items'
        comments.update(zip(map(id, specs), carried_comments(items, specs), strict=True))
    found = []
    for spec, module in gone:
        own = comments[id(spec)].own if spec is not None and id(spec) in comments else ()
        if spec is not None and own:
            statement = spec.node
            while statement.parent is not None and statement.parent.type not in (
                "program",
                "statement_block",
            ):
                statement = statement.parent
            quoted = "; ".join(text(c).splitlines()[0] for c in own)
            found.append((statement.start_point[0] + 1, f"{spec.local} not written in the import from "
                          f"{module}, which has it already, and with it its comment ({quoted}): check "
                          "whether it is still needed"))  # fmt: skip
    return found


def directives_left(statement: Node, keep: str, names: list[str]) -> str | None:
    """A tool's directive above a statement (`// @ts-expect-error`, `// eslint-disable-next-line`) covers
    the next line only: names split off into statements of their own go without it. Say so."""
    directives = directives_of(statement) if names else []
    if not directives:
        return None
    quoted = "; ".join(text(c).splitlines()[0] for c in directives)
    return (
        f"{', '.join(names)} split off into a statement of its own, which {quoted} does not cover: it "
        f"stays with the one from {keep}; check whether the new one needs it"
    )


def require_default_left(site: Site, export: str, module: str | None) -> str:
    """Why `const { X } = require(old)` stays when X becomes a default export: require() gives a CommonJS
    module's default as the module itself but a compiled ES module's as `.default`, and the file does not
    say which the new module is."""
    return (
        f"{site.what} of {site.specifier} left as it is: {export} becomes the default export of {module}, "
        f"which require() returns as the module itself where {module} is CommonJS (require('{module}')) "
        f"but as .default where it is a compiled ES module (require('{module}').default): write the one "
        "that fits by hand"
    )
