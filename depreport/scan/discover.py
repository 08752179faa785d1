"""Which files to scan: every JS/TS/Python source under the root, minus what is ignored.

In the top folder of a git work tree, git itself lists the files (exactly its `.gitignore` rules) and
hands over the blob id of every unchanged file, so unchanged files need not be read at all. Elsewhere
the folder is walked and `.gitignore` files are applied with pathspec.

Over 300 lines on purpose: the selection rules for a working tree and for a git tree share one
`Selector`; `walk.py` and `globs.py` already hold the walking and the patterns, `excludes.py` which
exclude globs left something out, and `gitfifos.py` git's listing past a `.gitignore` that is a FIFO.
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path

from depreport.errors import UsageError
from depreport.gitanswers import answer, is_absolute
from depreport.model import Problem, ProblemReason, SourceFile
from depreport.resolve.bundlers import BABEL_JSON_NAMES, bundler_kind, may_be_bundler_config
from depreport.resolve.tsconfig import CONFIG_NAMES, within_repo
from depreport.resolve.workspaces import MANIFEST_NAMES
from depreport.scan.excludes import ExcludeUse
from depreport.scan.gitfifos import communicate
from depreport.scan.globs import shown_path, strict_spec
from depreport.scan.languages import (
    DECLARATION_SUFFIXES,
    LANGUAGE_BY_EXTENSION,
    TS_DECLARATION_SUFFIXES,
    language_for,
)
from depreport.scan.walk import Root, link_inside, link_outside, link_problem, walk

ALWAYS_SKIPPED = frozenset({"node_modules", ".git", ".hg", ".svn", ".depreport"})
BUILD_OUTPUT = frozenset(
    {
        "dist", "build", "out", "coverage", ".next", ".nuxt", ".svelte-kit", ".output", ".cache",
        ".turbo", ".parcel-cache", "storybook-static", "bower_components", "__pycache__", ".venv",
        "venv", ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages",
    }
)  # fmt: skip
MINIFIED_SUFFIXES = (".min.js", ".min.mjs", ".min.cjs")
# Files that hold imports in a form depreport does not read (a component's <script>, a page's
# frontmatter, MDX's ESM lines): counted by extension so a scan can say what it did not count.
UNREAD_EXTENSIONS = (".vue", ".svelte", ".astro", ".mdx")
# The extensions (lower case) of the files besides source files that may have a role (Selector._role):
# tsconfig and package.json files, babel's JSON configs, and the files not read.
_ASK = (False, None)  # Selector._by_name: the name alone does not tell
_SPECIAL_EXTENSIONS = frozenset(
    [name[name.rfind(".") :].lower() for name in (*CONFIG_NAMES, *MANIFEST_NAMES, *BABEL_JSON_NAMES)]
    + list(UNREAD_EXTENSIONS)
)


@dataclass(frozen=True)
class DiscoverOptions:
    """What to pick up besides the defaults."""

    include: tuple[str, ...] = ()  # gitignore-style globs; when given, a file must match one
    exclude: tuple[str, ...] = ()
    include_declarations: bool = False
    default_excludes: bool = True  # build output, virtualenvs and minified bundles
    use_git: bool = True


@dataclass(frozen=True)
class NotRead:
    """What a run counted but did not read, said on stderr so no count looks whole: the files holding
    imports in a form depreport does not read (extension -> files: UNREAD_EXTENSIONS), and the tsconfig
    files that extend a package which is not installed (tsconfig -> that package), read without it; and
    the git submodules, repositories of their own whose files are not the repository's; and the bundler
    configs that set an alias in a form depreport does not read (config -> that alias)."""

    files: Mapping[str, int] = field(default_factory=dict)
    presets: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    submodules: tuple[str, ...] = ()
    declarations: int = 0  # .d.ts and .pyi files, read only with --include-declarations

    def counting(self, path: str) -> NotRead:
        """These, and one more file not read: `path`, counted under its extension."""
        extension = path[path.rfind(".") :].lower()
        return replace(self, files={**self.files, extension: self.files.get(extension, 0) + 1})


@dataclass
class Discovery:
    """The files to scan, the tsconfig/jsconfig and package.json files seen, and problems on the way."""

    files: list[SourceFile] = field(default_factory=list)
    configs: list[str] = field(default_factory=list)
    manifests: list[str] = field(default_factory=list)
    bundlers: list[str] = field(default_factory=list)  # vite, webpack, Next.js and babel configs
    problems: list[Problem] = field(default_factory=list)
    from_git: bool = False
    not_read: NotRead = field(default_factory=NotRead)  # its presets and aliases: added by build_resolver
    unread: list[str] = field(default_factory=list)  # the files NotRead counts (UNREAD_EXTENSIONS)
    # TypeScript declaration files not read (no --include-declarations): modules all the same, which a
    # bare specifier under a tsconfig `baseUrl` or `paths` target may name (`types` for `types/index.d.ts`)
    declarations: list[str] = field(default_factory=list)
    # the exclude globs given that left nothing out (Selector.unused_excludes); said on stderr by the CLI
    unused_excludes: tuple[str, ...] = ()
    # bundler config -> the aliases read from it and used: added by build_resolver
    aliases_read: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def discover_files(root: Path, options: DiscoverOptions) -> Discovery:
    """Every source file under `root` that the options select, sorted by path."""
    selector = Selector(options)
    where = Root.of(root)
    git = _GitListing.start(root) if options.use_git else None
    found = _take_from_git(where, git, selector) if git is not None else None
    if found is None:  # no git, or it failed: what it listed is forgotten, with what the selector noted
        selector = Selector(options) if git is not None else selector
        found = Discovery(problems=list(git.waited) if git is not None else [])
        _take_walked(where, selector, found)
    found.unused_excludes = selector.unused_excludes()
    return _sorted(found)


def _take_from_git(root: Root, git: _GitListing, selector: Selector) -> Discovery | None:
    """The files git lists; None if git failed. The tracked files are taken while git is still listing
    the untracked ones (walking the work tree) and checking which files changed."""
    found = Discovery(from_git=True)
    staged = git.staged()
    if staged is not None:
        _tracked_links(root, git.links, selector, found)
        _not_checked_out(git.not_checked_out, selector, found)
        found.not_read = selector.submodules(found.not_read, git.submodules)
        _take_listed(root, staged.items(), selector, found)
    untracked = git.untracked()
    found.problems += git.waited
    if staged is None or untracked is None:
        git.changed()  # reap the last one
        return None
    found.problems += (_unopened(path) for path in git.unopened)
    _take_listed(root, ((path, None) for path in untracked), selector, found)
    _forget_changed_contents(found, git.changed(), root)
    return found


def _take_walked(root: Root, selector: Selector, found: Discovery) -> None:
    """The selected files of the walked folder, each with its size and time as the walk saw them."""
    add, problems = found.files.append, found.problems
    for prefix, files in walk(root, selector.skipped_dirs, problems, selector.excludes_folder):
        languages = selector.take_folder(prefix, files, found)
        for (name, entry), language in zip(files.items(), languages, strict=True):
            if language is not None and (source := _stat(root, prefix + name, entry, language, problems)):
                add(source)


def _take_listed(
    root: Root, listing: Iterable[tuple[str, str | None]], selector: Selector, found: Discovery
) -> None:
    """The selected files of git's listing (path, blob id or None when untracked): a tracked one by its
    blob id, an untracked one as on disk."""
    take, add, problems = selector.take, found.files.append, found.problems
    for path, blob in listing:
        language = take(path, found)
        if language is None:
            linked_folder = blob is None and os.path.isdir(root.prefix + path)
            if linked_folder and not selector.excludes_folder(path):
                problems.append(link_problem(root, path))  # git lists a link to a folder as a file
        elif blob is not None:  # git has this very content: no need to look at the file (size read later)
            add(SourceFile(path, language, 0, 0, blob))
        elif (source := _stat(root, path, None, language, problems)) is not None:
            add(source)


def _forget_changed_contents(found: Discovery, changed: set[str] | None, root: Root) -> None:
    """Files whose working copy differs from git's index (all of them if unknown) are read, not trusted."""
    kept = []
    for source in found.files:
        if source.blob is None or (changed is not None and source.path not in changed):
            kept.append(source)
            continue
        if not os.path.lexists(root.prefix + source.path):
            continue  # deleted, not yet committed: not part of the working tree
        read = _stat(root, source.path, None, source.language, found.problems)
        if read is not None:
            kept.append(read)
    found.files = kept


def _tracked_links(root: Root, links: list[str], selector: Selector, found: Discovery) -> None:
    """Symbolic links git tracks: never followed; reported when named like a source file or a folder. One
    named like a tsconfig or a manifest is read as a walk reads it: through a link inside the repo."""
    for path in links:
        if not os.path.lexists(root.prefix + path) or not selector.in_scope(path):
            continue
        linked_folder = os.path.isdir(root.prefix + path) and not selector.excludes_folder(path)
        if selector.take(path, found) is not None or linked_folder:
            found.problems.append(link_problem(root, path))


def _not_checked_out(paths: list[str], selector: Selector, found: Discovery) -> None:
    """Source files outside a sparse checkout: not read, each said (a pack would still know them)."""
    for path in paths:
        if selector.take(path, found) is not None:
            folder = path.rpartition("/")[0]
            add = f"`git sparse-checkout add {folder}` or " if folder else ""
            message = (
                f"outside the sparse checkout: not read; check it out ({add}`git sparse-checkout disable`)"
            )
            found.problems.append(Problem(path, ProblemReason.NOT_CHECKED_OUT.value, message))


def _unopened(path: str) -> Problem:
    """A folder git could not open while listing untracked files (its warning may cut the path short)."""
    message = (
        "git could not open this folder while listing untracked files (a path longer than the system "
        "allows, or no permission): the files in it are not scanned; shorten or open it, or run with "
        "--no-git to have each one named"
    )
    return Problem(path, ProblemReason.UNREADABLE.value, message)


def discover_tree(
    tree: dict[str, str],
    selector: Selector,
    previous: dict[str, SourceFile] | None = None,
    links: Mapping[str, str] | None = None,
) -> Discovery:
    """The same selection over a git tree listing (path -> blob id), e.g. a past commit.

    Files of a `previous` listing whose blob did not change are reused as they are. `links`: the tree's
    symbolic links (path -> where it points); one named like a source file is a problem, as in a scan.
    """
    found = Discovery(from_git=True)
    previous = previous or {}
    for path, blob in tree.items():
        language = selector.take(path, found)
        if language is not None:
            known = previous.get(path)
            found.files.append(
                known if known is not None and known.blob == blob else SourceFile(path, language, 0, 0, blob)
            )
    for path, target in (links or {}).items():
        if selector.take(path, found) is not None:
            found.problems.append(_tree_link_problem(path, target))
    found.unused_excludes = selector.unused_excludes()  # of every tree this selector listed so far
    return _sorted(found)


def _tree_link_problem(path: str, target: str) -> Problem:
    """A scan's problem for a symbolic link, told from the link's text alone (a commit has no disk)."""
    inside = within_repo(posixpath.dirname(path), target)
    if inside is None:
        return link_outside(shown_path(path), shown_path(target))
    return link_inside(shown_path(path), shown_path(inside))


_PATH = attrgetter("path")


def _sorted(found: Discovery) -> Discovery:
    found.files.sort(key=_PATH)
    found.declarations.sort()
    found.configs.sort()
    found.manifests.sort()
    found.bundlers.sort()
    found.problems = sorted(set(found.problems), key=lambda p: (p.path, p.reason, p.message))
    return found


class Selector:
    """Decides which paths are scanned; remembers its answers (backfills ask about the same paths)."""

    def __init__(self, options: DiscoverOptions) -> None:
        self.options = options
        self.skipped_dirs = ALWAYS_SKIPPED | (BUILD_OUTPUT if options.default_excludes else frozenset())
        self.include = strict_spec(options.include, "include") if options.include else None
        self.exclude = strict_spec(options.exclude, "exclude") if options.exclude else None
        self._seen: dict[str, tuple[str | None, str | None]] = {}
        self._folders: dict[str, bool] = {}
        self._used = ExcludeUse(options.exclude)
        self._note_excluded = self._used.excluded.append
        self._note_kept = self._used.kept.append if self._used.kept is not None else None
        self._unfiltered = self.include is None and self.exclude is None  # every file passes `_selected`
        self._minified = MINIFIED_SUFFIXES if options.default_excludes else None

    def take(self, path: str, found: Discovery) -> str | None:
        """The language of a source file to scan; notes tsconfig and package.json files on the way."""
        seen = self._seen.get(path)
        if seen is None:
            seen = self._seen[path] = self._classify(path)
        role, language = seen
        if not path.isascii() and not _is_utf8_name(path):
            if language is not None:
                found.problems.append(bad_name_problem(path))
            return None
        if role is None:
            return language
        if role == "config":
            found.configs.append(path)
        elif role == "manifest":
            found.manifests.append(path)
        elif role == "bundler":
            found.bundlers.append(path)
        elif role == "unread":
            found.not_read = found.not_read.counting(path)  # a few extensions: a small dict copied
            found.unread.append(path)
        elif role in ("declaration", "stub"):  # a stub (.pyi) is only counted
            if role == "declaration":
                found.declarations.append(path)
            found.not_read = replace(found.not_read, declarations=found.not_read.declarations + 1)
        return language

    def take_folder(self, prefix: str, names: Iterable[str], found: Discovery) -> list[str | None]:
        """`take` of each file name of one folder (`prefix`: its path and a slash; '' for the top), the
        folder's scope remembered. A name that tells it all (`_by_name`) is not asked of `take`; the rest
        are, and every name of a folder whose path is not ASCII (`take` says which are not UTF-8)."""
        folder, quick = prefix[:-1], prefix.isascii()
        languages: list[str | None] = []
        for name in names:
            plain, language = self._by_name(folder, name, prefix + name) if quick and name.isascii() else _ASK
            languages.append(language if plain else self.take(prefix + name, found))
        return languages

    def _classify(self, path: str) -> tuple[str | None, str | None]:
        """(role, language) of a path: `_role` and `language`'s answers, most told by its name alone."""
        folder, _, name = path.rpartition("/")
        plain, language = self._by_name(folder, name, path)
        return (None, language) if plain else (self._role(path), self.language(path))

    def _by_name(self, folder: str, name: str, path: str) -> tuple[bool, str | None]:
        """(True, the language to scan it as or None) for a file no role can name, told by its name: a
        source file named like no config and no declaration (nearly all of them: the language of its
        extension if selected), or a file of any extension but a source file's and the few that name a
        role (`_SPECIAL_EXTENSIONS`: none). `_ASK` for the rest: `_role` and `language` are asked."""
        extension = name[name.rfind(".") :].lower()  # no dot: the last letter, which is no extension
        language = LANGUAGE_BY_EXTENSION.get(extension)
        if language is None:
            return _ASK if extension in _SPECIAL_EXTENSIONS else (True, None)
        if name.endswith(DECLARATION_SUFFIXES) or may_be_bundler_config(folder, name):
            return _ASK
        if not self._folder_in_scope(folder):
            return True, None
        if self._minified is not None and name.endswith(self._minified):
            return True, None
        return True, (language if self._unfiltered or self._selected(path) else None)

    def _role(self, path: str) -> str | None:
        name = path.rpartition("/")[2]
        if name in CONFIG_NAMES and self.in_scope(path):
            return "config"
        if name in MANIFEST_NAMES and self.in_scope(path):
            return "manifest"
        if bundler_kind(path) is not None and self.in_scope(path, configs=True):
            return "bundler"
        if name.lower().endswith(UNREAD_EXTENSIONS) and self.in_scope(path) and self._selected(path):
            return "unread"
        if (
            not self.options.include_declarations
            and name.endswith(DECLARATION_SUFFIXES)
            and self.in_scope(path)
            and self._selected(path)
        ):
            return "declaration" if name.endswith(TS_DECLARATION_SUFFIXES) else "stub"  # a .pyi: only counted
        return None

    def in_scope(self, path: str, configs: bool = False) -> bool:
        """Is the file outside skipped folders (node_modules, build output)? Answered once per folder.
        With `configs`, a folder named `build` is no build output: webpack configs live there
        (`build/webpack.base.conf.js`)."""
        folder = path.rpartition("/")[0]
        if configs:
            return not any(part in self.skipped_dirs and part != "build" for part in folder.split("/"))
        return self._folder_in_scope(folder)

    def _folder_in_scope(self, folder: str) -> bool:
        verdict = self._folders.get(folder)
        if verdict is None:
            verdict = self._folders[folder] = not any(part in self.skipped_dirs for part in folder.split("/"))
        return verdict

    def submodules(self, not_read: NotRead, paths: list[str]) -> NotRead:
        """What was not read, and these git submodules unless skipped or excluded."""
        kept = [shown_path(p) for p in paths if self.in_scope(p + "/") and not self.excludes_folder(p)]
        return replace(not_read, submodules=tuple(sorted(kept))) if kept else not_read

    def excludes_folder(self, path: str) -> bool:
        """Does --exclude (or `exclude` in the configuration) leave out everything under this folder?"""
        if self.exclude is None or not self.exclude.match_file(path + "/"):
            return False
        self._note_excluded(path + "/")
        return True

    def unused_excludes(self) -> tuple[str, ...]:
        """The exclude globs given (--exclude, the configuration's `exclude`) that left out no file or
        folder of any listing so far; the built-in ones (node_modules, build output) are never named."""
        return self._used.unused()

    def language(self, path: str) -> str | None:
        language = language_for(path, self.options.include_declarations)
        if language is None or not self.in_scope(path):
            return None
        if self.options.default_excludes and path.endswith(MINIFIED_SUFFIXES):
            return None
        return language if self._selected(path) else None

    def _selected(self, path: str) -> bool:
        """Does the path pass --include and --exclude (and the configuration's)?"""
        if self.include is not None and not self.include.match_file(path):
            return False
        if self.exclude is None:
            return True
        if self.exclude.match_file(path):
            self._note_excluded(path)  # which glob did is found only when asked, and only if it matters
            return False
        if self._note_kept is not None:  # a `!` glob took something back: is it one of them?
            self._note_kept(path)
        return True


def _is_utf8_name(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def bad_name_problem(path: str) -> Problem:
    """The problem of a source file whose name is not valid UTF-8 (shown with `\\xff` escapes)."""
    message = "file name is not valid UTF-8: not read; rename it (git mv) to a UTF-8 name"
    return Problem(shown_path(path), ProblemReason.UNREADABLE.value, message)


def _stat(
    root: Root, path: str, entry: os.DirEntry[str] | None, language: str, problems: list[Problem]
) -> SourceFile | None:
    """The file as a SourceFile if it is a regular file inside the repo; else a problem says why not."""
    full = root.prefix + path
    try:
        info = entry.stat(follow_symlinks=False) if entry is not None else os.lstat(full)
    except OSError as error:
        reason = ProblemReason.SYMLINK_LOOP if error.errno == errno.ELOOP else ProblemReason.UNREADABLE
        problems.append(Problem(path, reason.value, f"cannot read file: {error.strerror}"))
        return None
    if stat.S_ISLNK(info.st_mode):
        problems.append(link_problem(root, path))
        return None
    if not stat.S_ISREG(info.st_mode):
        message = f"not a regular file ({_kind(info.st_mode)}): not read; remove it or exclude it"
        problems.append(Problem(path, ProblemReason.UNREADABLE.value, message))
        return None
    if entry is None and "/" in path and os.path.realpath(full) != os.path.join(root.real, path):
        problems.append(link_problem(root, _linked_folder(root, path)))  # a folder on the way is a link
        return None
    return SourceFile(path, language, info.st_size, info.st_mtime_ns, None)


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a folder"))  # fmt: skip
    return next((name for test, name in kinds if test(mode)), "not a file")


def _linked_folder(root: Root, path: str) -> str:
    """The first folder of a repo-relative path that is a symbolic link."""
    parts = path.split("/")
    for end in range(1, len(parts)):
        folder = "/".join(parts[:end])
        if os.path.islink(root.prefix + folder):
            return folder
    return path


_UNOPENED = "warning: could not open directory '"  # git's words for a folder it cannot list
_NOT_SAFE = "fatal: detected dubious ownership"  # git's words for a work tree of another user


class _GitListing:
    """The files of a git work tree: git's index and the untracked files, read while git checks which
    working files differ from the index (the slow part in a fresh clone, where it re-reads recent files).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.links: list[str] = []  # symbolic links git tracks (mode 120000)
        self.submodules: list[str] = []  # git submodules (mode 160000)
        self.not_checked_out: list[str] = []  # files outside a sparse checkout (skip-worktree, absent)
        self.unopened: list[str] = []  # folders git could not open listing untracked files
        self.waited: list[Problem] = []  # the FIFOs git waited on listing untracked files (`gitfifos`)
        self._running = _git_start(
            root,
            ("ls-files", "--stage", "-t", "-z"),
            ("ls-files", "--others", "--exclude-standard", "-z"),
            ("diff-files", "--name-only", "-z"),
        )

    @classmethod
    def start(cls, root: Path) -> _GitListing | None:
        """The listing of `root`, if it is the top of a git work tree."""
        asked = ("rev-parse", "--show-toplevel")
        top, warnings = _git_output_and_warnings(_git_start(root, asked)[0])
        if top is None:
            _refuse_git_folder(root, warnings)
            return None
        if Path(answer(asked, top, "the path of a folder", is_absolute)).resolve() != root.resolve():
            return None
        return cls(root)

    def staged(self) -> dict[str, str] | None:
        """Path -> blob id of the files in git's index (its links, submodules and files outside a sparse
        checkout set aside); None if git failed."""
        staged = _git_output(self._running[0])
        if staged is None:
            return None
        listing: dict[str, str] = {}
        for entry in filter(None, staged.split("\0")):
            meta, _, path = entry.partition("\t")
            tag, mode, blob, _stage = meta.split(" ")
            if tag == "S" and not os.path.lexists(os.path.join(self.root, path)):
                self.not_checked_out.append(path)
            elif mode in ("100644", "100755"):
                listing[path] = blob
            elif mode == "120000":
                self.links.append(path)
            elif mode == "160000":
                self.submodules.append(path)
        return listing

    def untracked(self) -> list[str] | None:
        """The untracked files (git's ignore rules applied); None if git failed."""
        untracked, warnings = self._untracked()
        self.unopened = [
            line[len(_UNOPENED) :].partition("': ")[0] for line in warnings if line.startswith(_UNOPENED)
        ]
        return None if untracked is None else [path for path in untracked.split("\0") if path]

    def _untracked(self) -> tuple[str | None, list[str]]:
        """The untracked files as git lists them (None if it failed) and git's warnings; a FIFO named
        .gitignore, which git opens and waits on for ever, is read as empty (`gitfifos`)."""
        process = self._running[1]
        if process is None:
            return None, []
        done = communicate(process, self.root)
        self.waited = done.problems()  # when git was stopped, the folder is walked instead
        return _decoded(done.out, done.err, done.returncode)

    def changed(self) -> set[str] | None:
        """Paths whose working file differs from git's index (or is gone); None if git failed."""
        out = _git_output(self._running[2])
        return None if out is None else set(filter(None, out.split("\0")))


def _git(root: Path, *args: str) -> str | None:
    return _git_output(_git_start(root, args)[0])


def _git_start(root: Path, *commands: tuple[str, ...]) -> list[subprocess.Popen[bytes] | None]:
    """Start each git command in `root` at once (None for one that could not start)."""
    running: list[subprocess.Popen[bytes] | None] = []
    for args in commands:
        try:
            command = ["git", "-C", str(root), *args]
            env = {**os.environ, "LC_ALL": "C", "LANGUAGE": ""}  # git's warnings in the words matched here
            running.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env))
        except OSError:
            running.append(None)
    return running


def _git_output(process: subprocess.Popen[bytes] | None) -> str | None:
    """What a started git command printed, or None if it failed."""
    return _git_output_and_warnings(process)[0]


def _git_output_and_warnings(process: subprocess.Popen[bytes] | None) -> tuple[str | None, list[str]]:
    """What a started git command printed (None if it failed), and the lines of its warnings."""
    if process is None:
        return None, []
    out, err = process.communicate()
    return _decoded(out, err, process.returncode)


def _decoded(out: bytes, err: bytes, returncode: int) -> tuple[str | None, list[str]]:
    """What git printed (None if it failed), and the lines of its warnings."""
    warnings = err.decode("utf-8", "surrogateescape").splitlines()
    # names that are not UTF-8 survive as surrogates; Selector.take reports them, escaped
    return (out.decode("utf-8", "surrogateescape") if returncode == 0 else None), warnings


def _refuse_git_folder(root: Path, warnings: list[str]) -> None:
    """A bare repository or a .git folder has no working files: scanning its internals would find none.
    A work tree git refuses to read (owned by another user: a CI container's checkout, a mounted volume)
    would be walked as a plain folder, without its commit, branch or git's own ignore rules, unsaid."""
    if any(line.startswith(_NOT_SAFE) for line in warnings):
        raise UsageError(
            f"git refuses to read {root}: it is owned by another user (git's safe.directory check), so "
            "its files, commit and branch cannot be read from git",
            f"trust it: git config --global --add safe.directory {root.resolve()} (or pass --no-git to "
            "read it as a plain folder)",
        )
    answer = _git(root, "rev-parse", "--is-bare-repository", "--is-inside-git-dir")
    if answer is not None and "true" in answer.split():
        raise UsageError(
            f"{root} is a bare repository or a .git folder: there are no working files to scan",
            "scan a clone's working tree, or run `depreport backfill` on it (it reads git objects)",
        )
