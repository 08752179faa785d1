"""Key layout: repo-name rules, stems, key parsing and the deterministic codec."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from depreport.report.schema import join_report, report_pieces
from depreport.store import InvalidRepoName, RunRef, StoreError
from depreport.store.layout import (
    NO_COMMIT,
    decode_json,
    decode_report,
    encode_json,
    encode_report,
    make_ref,
    normalize_time,
    parse_summary_key,
    short_commit,
    validate_repo,
)

UTC = UTC
T0 = datetime(2024, 3, 4, 12, 0, 0, tzinfo=UTC)
SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    "repo",
    [
        pytest.param("org/name", id="org-name"),
        pytest.param("solo", id="one-segment"),
        pytest.param("group/sub/project", id="three-segments"),
        pytest.param("org/.github", id="leading-dot"),
        pytest.param("Org_1/my-app.v2", id="mixed-chars"),
        pytest.param("acme/reports", id="layout-word"),
        pytest.param("2024/app", id="year-first"),
        pytest.param("x" * 200, id="max-length"),
    ],
)
def test_valid_repo_names(repo: str) -> None:
    assert validate_repo(repo) == repo


@pytest.mark.parametrize(
    ("repo", "rule"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param(None, "empty", id="none"),
        pytest.param("../x", "'..' segment", id="dotdot"),
        pytest.param("a/../b", "'..' segment", id="inner-dotdot"),
        pytest.param("./a", "'.' segment", id="dot"),
        pytest.param("/abs", "absolute", id="absolute"),
        pytest.param("a\\b", "backslash", id="backslash"),
        pytest.param("a\x00b", "control", id="nul"),
        pytest.param("a\nb", "control", id="newline"),
        pytest.param("a\x7fb", "control", id="del"),
        pytest.param("a//b", "empty segment", id="double-slash"),
        pytest.param("a/", "empty segment", id="trailing-slash"),
        pytest.param("a b", "letters, digits", id="space"),
        pytest.param("a/b:c", "letters, digits", id="colon"),
        pytest.param("ä/b", "letters, digits", id="non-ascii"),
        pytest.param("x" * 201, "longer than 200", id="too-long"),
        pytest.param("a/reports/2024", "4-digit segment", id="layout-year"),
        pytest.param("summaries/1999/x", "4-digit segment", id="root-layout-year"),
    ],
)
def test_invalid_repo_names_name_the_rule(repo: object, rule: str) -> None:
    with pytest.raises(InvalidRepoName, match=rule) as caught:
        validate_repo(repo)
    assert isinstance(caught.value, StoreError) and caught.value.exit_code == 2


def test_stem_format_and_suffix() -> None:
    base = make_ref("org/app", T0, SHA, unique=False)
    assert base.stem == "2024-03-04T120000Z_0123456789ab" and base.commit == SHA[:12]
    unique = make_ref("org/app", T0, SHA, unique=True)
    assert unique.stem.startswith(base.stem + "_") and len(unique.stem) == len(base.stem) + 9
    assert base.report_key == "org/app/reports/2024/03/2024-03-04T120000Z_0123456789ab.json.gz"
    assert base.summary_key == "org/app/summaries/2024/03/2024-03-04T120000Z_0123456789ab.json"


def test_keys_sort_by_time_with_or_without_suffix() -> None:
    refs = [
        make_ref("org/app", T0 + timedelta(seconds=s), sha, unique)
        for s in (0, 1, 59, 3600)
        for sha in (SHA, "f" * 40)
        for unique in (False, True)
    ]
    by_key = sorted(refs, key=lambda ref: ref.summary_key)
    assert [ref.time for ref in by_key] == sorted(ref.time for ref in refs)
    assert sorted(refs) == by_key


def test_summary_keys_parse_back() -> None:
    for unique in (False, True):
        ref = make_ref("group/sub/app", T0, SHA, unique)
        assert parse_summary_key(ref.summary_key) == ref


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("org/app/summaries/2024/03/notes.json", id="not-a-stem"),
        pytest.param("org/app/summaries/2024/04/2024-03-04T120000Z_0123456789ab.json", id="wrong-month-dir"),
        pytest.param("org/app/summaries/2024/03/2024-03-04T120000Z_0123456789ab.json.gz", id="gz"),
        pytest.param("org/app/summaries/2024/03/.2024-03-04T120000Z_0123456789ab.json.1a2b.tmp", id="temp"),
        pytest.param("org/app/summaries/2024/13/2024-13-04T120000Z_0123456789ab.json", id="month-13"),
        pytest.param("org/app/summaries/2024/03/2024-03-04T120000Z_0123456.json", id="short-sha"),
        pytest.param("org/app/summaries/2024/03/2024-03-04T120000Z_0123456789ab_xyz.json", id="bad-suffix"),
        pytest.param("../x/summaries/2024/03/2024-03-04T120000Z_0123456789ab.json", id="bad-repo"),
        pytest.param("summaries/2024/03/2024-03-04T120000Z_0123456789ab.json", id="no-repo"),
        pytest.param("org/app/reports/2024/03/2024-03-04T120000Z_0123456789ab.json.gz", id="report"),
    ],
)
def test_foreign_keys_are_ignored(key: str) -> None:
    assert parse_summary_key(key) is None


def test_time_is_normalised_to_utc_seconds() -> None:
    plus_one = timezone(timedelta(hours=1))
    local = datetime(2024, 3, 4, 13, 0, 0, 999_999, tzinfo=plus_one)
    assert normalize_time(local) == T0
    assert normalize_time(local).tzinfo == UTC
    with pytest.raises(ValueError, match="timezone-aware"):
        normalize_time(datetime(2024, 3, 4))


def test_runs_near_midnight_file_under_utc_month() -> None:
    new_year_eve = datetime(2024, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=2)))
    ref = make_ref("org/app", new_year_eve, SHA, unique=False)
    assert ref.summary_key.startswith("org/app/summaries/2023/12/2023-12-31T223000Z_")
    assert parse_summary_key(ref.summary_key) == ref


@pytest.mark.parametrize(
    ("commit", "expected"),
    [
        pytest.param(SHA.upper(), SHA[:12], id="upper"),
        pytest.param(" " + SHA + "\n", SHA[:12], id="whitespace"),
        pytest.param(NO_COMMIT, NO_COMMIT, id="no-commit"),
        pytest.param("a" * 64, "a" * 12, id="sha256"),
    ],
)
def test_short_commit(commit: str, expected: str) -> None:
    assert short_commit(commit) == expected


@pytest.mark.parametrize("commit", ["", "abc1234", "g" * 40, "a" * 65, "../" + SHA])
def test_bad_commits_refused(commit: str) -> None:
    with pytest.raises(ValueError, match="commit"):
        short_commit(commit)


def test_encoding_is_deterministic_sorted_and_compact() -> None:
    doc = {"b": [2, 1], "a": {"y": 1, "x": "é"}}
    assert encode_json(doc) == '{"a":{"x":"é","y":1},"b":[2,1]}'.encode()
    assert encode_report(doc) == encode_report(dict(reversed(list(doc.items()))))
    packed = encode_report(doc)
    assert packed[4:8] == b"\0\0\0\0"  # gzip mtime field
    assert gzip.decompress(packed) == encode_json(doc)
    assert decode_report(packed, "k") == doc
    with pytest.raises(ValueError):
        encode_json({"nan": float("nan")})


@pytest.mark.parametrize(
    "text",
    ["", '{"a":"é"}', "x" * ((1 << 22) - 1) + "é€𝄞" + "y" * (1 << 22)],
    ids=["empty", "small", "pieces"],
)
def test_a_report_given_as_text_is_stored_as_gzip_compress_stores_it(text: str) -> None:
    """Encoded a piece at a time (a 38 MB report was encoded whole first), to the same bytes, also where
    a piece ends next to characters of two, three and four bytes."""
    assert encode_report(text) == gzip.compress(text.encode(), compresslevel=1, mtime=0)
    third = len(text) // 3
    pieces = (text[:third], "", text[third : 2 * third], text[2 * third :])  # given in pieces: the same
    assert encode_report(pieces) == encode_report(text)


def test_a_report_is_joined_from_its_blocks_texts_as_json_dumps_writes_it() -> None:
    header = {"repo": "acme/<web>", "schema_version": 2}
    body = {"usage": {"a": "é", "b": [1, 2]}, "adoption": {}, "totals": {"imports": 3}}
    compact = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    parts = {key: json.dumps(value, **compact) for key, value in body.items()}  # type: ignore[arg-type]
    assert join_report(header, parts) == json.dumps({**header, **body}, **compact) + "\n"  # type: ignore[arg-type]
    assert join_report({}, {}) == "{}\n"
    pieces = report_pieces(header, parts)  # the blocks' texts among them, not copied
    assert "".join(pieces) == join_report(header, parts) and all(
        any(p is t for p in pieces) for t in parts.values()
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"not gzip", "not valid gzip", id="not-gzip"),
        pytest.param(gzip.compress(b"{oops"), "not valid JSON", id="bad-json"),
        pytest.param(gzip.compress(b"[1]"), "not a JSON object", id="not-object"),
        pytest.param(gzip.compress(b"\xff\xfe"), "not valid JSON", id="not-utf8"),
    ],
)
def test_damaged_reports_name_the_key(data: bytes, message: str) -> None:
    with pytest.raises(StoreError, match=message) as caught:
        decode_report(data, "org/app/x.json.gz")
    assert "org/app/x.json.gz" in caught.value.message


def test_decode_json_round_trip() -> None:
    assert decode_json(encode_json({"a": 1}), "k") == {"a": 1}


def test_a_lone_surrogate_is_stored_as_its_json_escape_and_read_back_the_same() -> None:
    """`publish report.json` of a report whose branch was "\\ud800" (valid JSON: json.loads keeps the lone
    surrogate) crashed with UnicodeEncodeError: UTF-8 has no form for it. Its JSON escape stands for it."""
    doc = {"branch": "\ud800", "path": "a\udc00b", "ok": "é𝄞"}
    assert decode_json(encode_json(doc), "k") == doc
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False)
    assert decode_report(encode_report(text), "k") == doc
    assert decode_report(encode_report(doc), "k") == doc


def test_runref_is_frozen_and_ordered() -> None:
    early = RunRef("org/app", T0, SHA[:12], "2024-03-04T120000Z_0123456789ab")
    late = RunRef("org/app", T0 + timedelta(seconds=1), SHA[:12], "2024-03-04T120001Z_0123456789ab")
    assert early < late
    with pytest.raises(AttributeError):
        early.repo = "other"  # type: ignore[misc]
