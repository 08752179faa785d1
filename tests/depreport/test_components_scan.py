"""Components end to end: real TSX files scanned through the CLI, the report read with the walkers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from depreport.cli import main
from depreport.report.walk import ComponentUse, PropUse, component_props, component_totals, component_uses
from tests.helpers import write_files

pytestmark = pytest.mark.integration

FILES = {
    "src/a.tsx": """import { Button as Btn, Modal } from '@eg/ui';
import * as EG from '@eg/ui';
import Card from './Card';

export function A({ rest }: { rest: object }) {
  return (
    <Modal open>
      <Modal.Header title="Hi" />
      <Btn appearance="primary" {...rest}>ok</Btn>
      <EG.Button appearance={rest ? 'a' : 'b'} />
      <EG.Modal.Header title={`x`} />
      <Card />
    </Modal>
  );
}
""",
    "src/b.tsx": """import { Button } from '@eg/ui/next';
import styled from 'styled-components';
import { Link } from 'react-router-dom';

const Fancy = styled(Button)`color: red;`;
export const B = () => <Button as={Link} disabled />;
""",
    "src/Card.tsx": "export default function Card() { return null; }\n",
    "src/ui/index.ts": "export { Button as UiButton } from '@eg/ui';\n",
    "src/c.tsx": "import { UiButton } from './ui';\nexport const C = () => <UiButton size={3} />;\n",
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("components") / "repo"
    write_files(root, FILES)
    out = root.parent / "report.json"
    assert main(["scan", str(root), "--no-git", "--no-cache", "--format", "json", "--out", str(out)]) == 0
    found: dict[str, Any] = json.loads(out.read_text())
    return found


def test_aliases_namespaces_members_and_barrels_are_counted_under_the_real_export(
    report: dict[str, Any],
) -> None:
    uses = sorted(u for u in component_uses(report) if u.package == "@eg/ui")
    assert uses == [
        ComponentUse("@eg/ui", "Button", "", "src/a.tsx", (9, 10)),
        ComponentUse("@eg/ui", "Button", "", "src/b.tsx", (6,)),
        ComponentUse("@eg/ui", "Button", "", "src/c.tsx", (2,), "src/ui"),
        ComponentUse("@eg/ui", "Modal", "", "src/a.tsx", (7,)),
        ComponentUse("@eg/ui", "Modal", "Header", "src/a.tsx", (8, 11)),
    ]
    assert ComponentUse("src/Card", "default", "", "src/a.tsx", (12,)) in component_uses(report)


def test_props_add_up_across_aliases_subpaths_and_barrels(report: dict[str, Any]) -> None:
    assert component_props(report, "@eg/ui", "Button") == [
        PropUse("[spread]", 1, 3, {"[spread]": 1}),
        PropUse("appearance", 2, 2, {'"primary"': 1, "[expression]": 1}),
        PropUse("as", 1, 3, {"[expression]": 1}),
        PropUse("disabled", 1, 3, {"true": 1}),
        PropUse("size", 1, 3, {"3": 1}),
    ]
    assert component_props(report, "@eg/ui", "Modal", "Header") == [
        PropUse("title", 2, 0, {'"Hi"': 1, '"x"': 1})
    ]


def test_value_uses_are_counted_apart_from_instances(report: dict[str, Any]) -> None:
    totals = {(t.package, t.export): (t.instances, t.values) for t in component_totals(report)}
    assert totals[("@eg/ui", "Modal")] == (3, 0)
    assert totals[("react-router-dom", "Link")] == (0, 1)
    button = report["components"]["@eg/ui"]["Button"]
    assert button["values"] == {"count": 1, "files": {"src/b.tsx": [5]}, "via": {"call:styled": 1}}
    assert report["components"]["react-router-dom"]["Link"]["values"]["via"] == {"attribute:as": 1}
