"""A report body from an index under adoption groups: as a dict, as JSON text, as a summary's outline.

The index counts without knowing any groups; here `adoption` is computed over its usage counts (a view,
as for any stored run), and the body is encoded with sorted keys, reusing the JSON text each tally kept
for what did not change, so a week of a backfill encodes only what changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import cast

from depreport.history.adoption import Groups, adoption_of
from depreport.report.shape import Body, BodyRest, Outline
from depreport.tally.index import LiveIndex
from depreport.tally.jsontext import dumps


@dataclass
class ReportBody:
    """A report's body: packages, exports, components, totals, usage, adoption, problems."""

    index: LiveIndex
    groups: Groups
    workspaces: Mapping[str, str] = field(
        default_factory=dict
    )  # the repo's workspace packages: name -> folder

    @cached_property
    def rest(self) -> BodyRest:
        """The blocks besides packages, exports and components, made once."""
        usage = self.index.usage.to_json()
        if self.workspaces:
            usage["workspaces"] = dict(sorted(self.workspaces.items()))
        rest: BodyRest = {
            "totals": self.index.totals(),
            "usage": usage,
            "adoption": adoption_of(usage, self.groups),
            "problems": self.index.problems(),
        }
        if self.index.usage.versioned:
            rest["versions"] = self.index.usage.file_versions()
        return rest

    def to_dict(self) -> Body:
        """The body as a dict (live: it changes with the index; copy it to keep it)."""
        packages, exports = self.index.imports.to_json()
        components = self.index.components.to_json()
        return cast(Body, {**self.rest, "packages": packages, "exports": exports, "components": components})

    def parts(self, last: bool = False) -> dict[str, str]:
        """The compact JSON text of each block, sorted keys inside: what `join_report` writes out.

        ``last``: the index's last use (no report is made from it again): the `usage` block is let go
        once encoded (`rest` keeps None: its dicts take ~10 times its text), then the import counts as
        their text is made (`ImportTally.last_texts`); the index is left without them.
        """
        parts = {key: dumps(value) for key, value in self.rest.items()}  # first: totals count the imports
        if last:
            self.rest["usage"] = None  # type: ignore[typeddict-item]
        imports = self.index.imports
        packages, exports = imports.last_texts() if last else imports.texts()
        parts.update(packages=packages, exports=exports, components=self.index.components.text())
        return parts

    def to_json(self) -> str:
        """The body as compact JSON text with sorted keys: `json.dumps(self.to_dict(), sort_keys=True)`."""
        parts = self.parts()
        return "{" + ",".join(f'"{key}":{parts[key]}' for key in sorted(parts)) + "}"

    def outline(self) -> Outline:
        """The body as a summary needs it, made without decoding any package.

        Every package keeps its resolved_as, imports and files; the packages of adoption groups also
        keep the count of each of their exports. No file lists, no locals, no `exports` block.
        """
        groups = self.groups
        packages = self.index.imports.outline(lambda name, how: groups.classify(name, how) is not None)
        return cast(Outline, {**self.rest, "packages": packages})
