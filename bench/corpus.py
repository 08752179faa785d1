"""Build the benchmark corpus from the pinned npm tarballs listed in bench/corpus.toml.

Each tarball is fetched once with `npm pack` into bench/.cache/. Only the files that every tool reads are
extracted, into bench/.corpus/full/<package name>/: JS/TS sources (no `.d.ts`), at most `max_file_bytes`
each, never under `node_modules` or a hidden folder. So the folder itself is the file list, and every
tool can be pointed at it. The same list is written to bench/.corpus/files.txt, and a seeded random
sample of it is hard-linked into bench/.corpus/sample/ (listed in sample.txt).

Building is idempotent: a stamp records the hash of corpus.toml, and a matching stamp skips the work.

    python bench/corpus.py [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

BENCH = Path(__file__).resolve().parent
SPEC_FILE = BENCH / "corpus.toml"
CACHE_DIR = BENCH / ".cache"
CORPUS_DIR = BENCH / ".corpus"

SOURCE_EXTENSIONS = frozenset({".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"})
DECLARATION_SUFFIXES = (".d.ts", ".d.mts", ".d.cts")


@dataclass(frozen=True)
class CorpusSpec:
    """What corpus.toml asks for."""

    packages: tuple[str, ...]
    max_file_bytes: int
    sample_size: int
    sample_seed: int
    digest: str


@dataclass(frozen=True)
class Corpus:
    """A built corpus: where it is and which files it holds (paths relative to `full`)."""

    root: Path
    files: tuple[str, ...]
    sample: tuple[str, ...]
    packages: tuple[str, ...]

    @property
    def full(self) -> Path:
        """The folder holding every corpus file."""
        return self.root / "full"

    @property
    def sample_dir(self) -> Path:
        """The folder holding the sample (hard links into `full`)."""
        return self.root / "sample"


def load_spec(path: Path = SPEC_FILE) -> CorpusSpec:
    """Read corpus.toml."""
    raw = path.read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    return CorpusSpec(
        packages=tuple(data["packages"]),
        max_file_bytes=int(data["max_file_bytes"]),
        sample_size=int(data["sample_size"]),
        sample_seed=int(data["sample_seed"]),
        digest=hashlib.sha256(raw).hexdigest(),
    )


def split_pin(pin: str) -> tuple[str, str]:
    """`@scope/name@1.2.3` -> (`@scope/name`, `1.2.3`)."""
    name, _, version = pin.rpartition("@")
    if not name or not version:
        raise ValueError(f"package pin must be name@version, got {pin!r}")
    return name, version


def tarball_name(pin: str) -> str:
    """The file name `npm pack` gives a package: `@mui/material@9.5.0` -> `mui-material-9.5.0.tgz`."""
    name, version = split_pin(pin)
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


def fetch_tarball(pin: str, cache_dir: Path = CACHE_DIR) -> Path:
    """The tarball of a pinned package, downloaded with `npm pack` unless already cached."""
    target = cache_dir / tarball_name(pin)
    if not target.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "pack", pin, "--pack-destination", str(cache_dir), "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if not target.exists():
        raise FileNotFoundError(f"npm pack {pin} did not produce {target}")
    return target


def keep_member(name: str, size: int, max_bytes: int) -> str | None:
    """The path to extract a tarball member to (without the tarball's root folder), or None to drop it."""
    parts = PurePosixPath(name).parts[1:]
    if not parts or size > max_bytes:
        return None
    if any(p.startswith(".") or p == "node_modules" for p in parts):
        return None
    file_name = parts[-1]
    if PurePosixPath(file_name).suffix.lower() not in SOURCE_EXTENSIONS:
        return None
    if file_name.endswith(DECLARATION_SUFFIXES):
        return None
    return "/".join(parts)


def extract_sources(tarball: Path, dest: Path, max_bytes: int) -> list[str]:
    """Extract the source files of one tarball into `dest`; return their paths relative to `dest`."""
    kept: list[str] = []
    with tarfile.open(tarball) as archive:
        for member in archive:
            if not member.isfile():
                continue
            rel = keep_member(member.name, member.size, max_bytes)
            if rel is None:
                continue
            data = archive.extractfile(member)
            if data is None:
                continue
            out = dest / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data.read())
            kept.append(rel)
    return kept


def choose_sample(files: list[str], size: int, seed: int) -> list[str]:
    """A seeded random sample of the corpus, sorted."""
    if size >= len(files):
        return sorted(files)
    return sorted(random.Random(seed).sample(sorted(files), size))


def link_sample(full: Path, sample_dir: Path, sample: list[str]) -> None:
    """Hard-link the sample files into their own folder, keeping relative paths."""
    for rel in sample:
        target = sample_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.hardlink_to(full / rel)


def _read_list(path: Path) -> tuple[str, ...]:
    return tuple(line for line in path.read_text("utf-8").splitlines() if line)


def load_corpus(root: Path = CORPUS_DIR) -> Corpus | None:
    """The corpus already built at `root`, or None when there is none."""
    stamp = root / "corpus.json"
    if not stamp.exists():
        return None
    meta = json.loads(stamp.read_text("utf-8"))
    return Corpus(
        root=root,
        files=_read_list(root / "files.txt"),
        sample=_read_list(root / "sample.txt"),
        packages=tuple(meta["packages"]),
    )


def build_corpus(spec: CorpusSpec, root: Path = CORPUS_DIR, force: bool = False) -> Corpus:
    """Build (or reuse) the corpus described by `spec` under `root`."""
    stamp = root / "corpus.json"
    if not force and stamp.exists() and json.loads(stamp.read_text("utf-8")).get("digest") == spec.digest:
        corpus = load_corpus(root)
        if corpus is not None:
            return corpus
    shutil.rmtree(root, ignore_errors=True)
    full = root / "full"
    files: list[str] = []
    for pin in spec.packages:
        name, _ = split_pin(pin)
        kept = extract_sources(fetch_tarball(pin), full / name, spec.max_file_bytes)
        files.extend(f"{name}/{rel}" for rel in kept)
    files.sort()
    sample = choose_sample(files, spec.sample_size, spec.sample_seed)
    link_sample(full, root / "sample", sample)
    (root / "files.txt").write_text("".join(f + "\n" for f in files), "utf-8")
    (root / "sample.txt").write_text("".join(f + "\n" for f in sample), "utf-8")
    meta = {"digest": spec.digest, "packages": list(spec.packages), "files": len(files)}
    stamp.write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    return Corpus(root=root, files=tuple(files), sample=tuple(sample), packages=spec.packages)


def main(argv: list[str] | None = None) -> int:
    """Build the corpus and say what it holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if the stamp matches")
    args = parser.parse_args(argv)
    corpus = build_corpus(load_spec(), force=args.force)
    size = sum((corpus.full / f).stat().st_size for f in corpus.files)
    print(f"{len(corpus.files)} files ({size / 1e6:.1f} MB) from {len(corpus.packages)} packages")
    print(f"in {corpus.full}")
    print(f"sample: {len(corpus.sample)} files in {corpus.sample_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
