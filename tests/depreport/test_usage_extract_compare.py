"""bench/usage_compare.py's matching and causes, on extractions of small real sources.

react-scanner's side is written by hand here in the shape of its raw report (what the script reads).
"""

from __future__ import annotations

import sys
from pathlib import Path

from depreport.extract import extract_imports

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import usage_compare
from usage_compare import Instance

SOURCE = b"""import { Button as Btn, Icon } from "ui";
const { Pane } = require("ui");
export const A = () => <Btn size={-1} kind={`k`} disabled xlink:href="#a" xlink:role="r" />;
export function B(Icon) {
  return <Icon />;
}
export const C = () => <Pane />;
"""


def _tally(theirs: list[Instance]) -> usage_compare.Tally:
    return usage_compare.compare(theirs, {"a.tsx": extract_imports(SOURCE, "tsx")}, set())


def test_alias_matched_with_react_scanner_quirks_explained() -> None:
    props: dict[str, object] = {
        "size": "(UnaryExpression)",
        "kind": "(TemplateLiteral)",
        "disabled": None,
        "[object Object]": "r",
    }
    tally = _tally([Instance("a.tsx", 3, 24, "Btn", props, False, True)])
    assert tally.counts["found by depreport"] == 1
    assert tally.counts["same value"] == 1  # the bare attribute: null there, true here
    causes = {cause: len(places) for cause, places in tally.causes.items()}
    assert causes == {
        "props: react-scanner keeps one entry per name (repeated or namespaced names)": 1,
        "values: react-scanner gives no value for a negative number": 1,
        "values: react-scanner gives no value for a template literal without ${}": 1,
        "react-scanner: reads only import declarations (binding from require)": 1,
    }


def test_shadowed_element_is_react_scanners_miss_and_an_unknown_one_is_not() -> None:
    tally = _tally(
        [
            Instance("a.tsx", 3, 24, "Btn", {}, False, True),
            Instance("a.tsx", 5, 10, "Icon", {}, False, True),
            Instance("a.tsx", 6, 0, "Other", {}, False, True),
        ]
    )
    assert tally.causes["react-scanner: element of a name a local declaration hides (shadowing)"] == [
        "a.tsx:5 <Icon>"
    ]
    assert tally.causes["depreport: element missed (to fix)"] == ["a.tsx:6 <Other>"]
    assert tally.causes["props: names differ (to fix)"] == ["a.tsx:3 <Btn>"]
