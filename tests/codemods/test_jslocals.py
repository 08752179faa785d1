"""Finding the tokens spelled like a name (what a rename of local uses reads), against their definition."""

from __future__ import annotations

import re

import pytest

from codemods.jslocals import Use, occurrences
from depreport.scan.languages import parser

SOURCE = """\
import { Icon$, AlertIcon, $el, café } from '@shopify/polaris-icons';
// AlertIcon in a comment, AlertIconLarge, xAlertIcon
const AlertIconStyle = { AlertIcon, label: 'AlertIcon' };
export function Banner({ $el }) {
  const c = café + Icon$ + obj.AlertIcon;
  return <AlertIcon tone={$el} />;
}
"""


def spelled(source: bytes, name: str) -> list[int]:
    """Where `name` stands alone: the definition `occurrences` keeps to."""
    pattern = rb"(?<![\w$])" + re.escape(name.encode()) + rb"(?![\w$])"
    return [found.start() for found in re.finditer(pattern, source)]


@pytest.mark.parametrize("name", ["AlertIcon", "Icon$", "$el", "café", "caf", "Icon", "obj", "label"])
def test_occurrences_are_the_tokens_spelled_like_the_name(name: str) -> None:
    source = SOURCE.encode()
    root = parser("tsx").parse(source).root_node
    found = list(occurrences(root, source, name))
    tokens = [
        start
        for start in spelled(source, name)
        if (node := root.descendant_for_byte_range(start, start + len(name.encode()))) is not None
        and node.start_byte == start
        and node.end_byte == start + len(name.encode())
    ]
    assert [node.start_byte for node, _ in found] == tokens


def test_occurrences_classify_each_token() -> None:
    source = SOURCE.encode()
    root = parser("tsx").parse(source).root_node
    uses = [use for _, use in occurrences(root, source, "AlertIcon")]
    # the comment is no token; the string and the property name are not the binding
    assert uses == [Use.IMPORTED, Use.SHORTHAND, Use.OTHER, Use.OTHER, Use.REFERENCE]


def test_occurrences_of_many_names_in_one_file_read_it_once() -> None:
    names = [f"Icon{i}Major" for i in range(300)]
    source = (
        "import {" + ", ".join(names) + "} from 'icons';\n" + "\n".join(f"<{n} />;" for n in names)
    ).encode()
    root = parser("tsx").parse(source).root_node
    for name in names:
        assert [use for _, use in occurrences(root, source, name)] == [Use.IMPORTED, Use.REFERENCE]
