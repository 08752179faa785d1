"""Python specifiers resolve where Python would find the module, found on real repositories: sqlalchemy
(`lib/sqlalchemy`), hypothesis (`hypothesis/src/hypothesis`), fastapi (`docs_src`, a namespace package),
sphinx (`sphinx/domains/index.py`); and the standard library does not depend on the Python running."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.resolve.packages import Resolved
from depreport.resolve.specifiers import Resolver
from tests.helpers import git_repo

FILES = [
    "lib/sqlalchemy/__init__.py", "lib/sqlalchemy/orm/__init__.py", "lib/sqlalchemy/orm/session.py",
    "hypothesis/src/hypothesis/__init__.py", "hypothesis/src/hypothesis/strategies.py",
    "examples/app.py",
    "tests/fixtures/requests/__init__.py",  # test data named like a library: no package folder
    "a/dup/__init__.py", "b/dup/__init__.py",  # one name in two folders: neither is taken
    "docs_src/conditional_openapi/tutorial001.py",  # no __init__.py: a namespace package
    "sphinx/__init__.py", "sphinx/domains/__init__.py", "sphinx/domains/index.py",
    "web/index.js", "utils.ts",
]  # fmt: skip


@pytest.mark.parametrize(
    ("specifier", "importer", "expected"),
    [
        ("sqlalchemy", "examples/app.py", ("lib/sqlalchemy", "", "local")),
        ("sqlalchemy.orm.session", "examples/app.py", ("lib/sqlalchemy/orm/session", "", "local")),
        ("hypothesis.strategies", "examples/app.py", ("hypothesis/src/hypothesis/strategies", "", "local")),
        ("requests", "examples/app.py", ("requests", "", "python")),
        ("dup", "examples/app.py", ("dup", "", "python")),
        ("docs_src.conditional_openapi", "examples/app.py", ("docs_src/conditional_openapi", "", "local")),
        ("docs_src", "examples/app.py", ("docs_src", "", "local")),
        ("sphinx.domains.index", "examples/app.py", ("sphinx/domains/index", "", "local")),
        (".index", "sphinx/domains/__init__.py", ("sphinx/domains/index", "", "relative")),
        ("web", "examples/app.py", ("web", "", "python")),  # a folder of JavaScript: no Python module
        ("utils", "examples/app.py", ("utils", "", "python")),
        ("annotationlib", "examples/app.py", ("annotationlib", "", "builtin")),  # 3.14
        ("compression.zstd", "examples/app.py", ("compression", "zstd", "builtin")),  # 3.14
        ("distutils.core", "examples/app.py", ("distutils", "core", "builtin")),  # removed in 3.12
    ],
)
def test_a_python_specifier_resolves_where_python_finds_it(
    specifier: str, importer: str, expected: tuple[str, str, str]
) -> None:
    assert Resolver(FILES).resolve(specifier, importer, "python") == Resolved(*expected)


def test_the_folders_of_top_level_packages_are_an_input_of_resolution() -> None:
    """Adding `lib/newpkg/__init__.py` changes how `import newpkg` resolves: a saved index must not be
    reused across that change."""
    before, after = Resolver(FILES), Resolver([*FILES, "lib/newpkg/__init__.py"])
    assert before.inputs() != after.inputs()
    assert after.resolve("newpkg", "examples/app.py", "python") == Resolved("lib/newpkg", "", "local")


CERTBOT = [  # certbot: one folder per distribution, each holding its package of the same name and a setup.py
    "certbot/setup.py", "certbot/certbot/__init__.py", "certbot/certbot/errors.py",
    "certbot/certbot/_internal/__init__.py", "certbot/certbot/_internal/account.py",
    "certbot/tests/account_test.py", "acme/setup.py", "acme/acme/__init__.py", "acme/acme/client.py",
    "tools/venv.py",
]  # fmt: skip


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [
        ("certbot", "certbot/certbot"),
        ("certbot.errors", "certbot/certbot/errors"),
        ("certbot._internal.account", "certbot/certbot/_internal/account"),
        ("acme.client", "acme/acme/client"),
        ("tools.venv", "tools/venv"),  # a folder of the root without __init__.py: a namespace package
    ],
)
def test_a_regular_package_wins_over_a_folder_of_the_same_name_at_the_root(
    specifier: str, expected: str
) -> None:
    """Python takes a package with an `__init__.py` on any path entry over a namespace package: the
    distribution folder `certbot/` (it holds `setup.py`) is not the package `certbot`."""
    found = Resolver(CERTBOT).resolve(specifier, "certbot/tests/account_test.py", "python")
    assert found == Resolved(expected, "", "local")


POETRY = [  # poetry: src/poetry has no __init__.py, a portion of the namespace package poetry-core shares
    "src/poetry/factory.py", "src/poetry/console/__init__.py", "src/poetry/console/application.py",
    "src/poetry/utils/_compat.py", "src/poetry/utils/env/__init__.py", "tests/conftest.py",
]  # fmt: skip


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [
        ("poetry.core.packages.dependency", ("poetry", "core.packages.dependency", "python")),
        ("poetry.core", ("poetry", "core", "python")),
        ("poetry.factory", ("src/poetry/factory", "", "local")),
        ("poetry", ("src/poetry", "", "local")),
        ("poetry.console.application", ("src/poetry/console/application", "", "local")),
        ("poetry.console.missing", ("src/poetry/console", "", "local")),  # in a regular package: the repo's
        ("poetry.utils._compat", ("src/poetry/utils/_compat", "", "local")),
        ("poetry.utils.other", ("poetry", "utils.other", "python")),  # poetry.utils is a namespace too
    ],
)
def test_a_module_beyond_a_namespace_package_of_the_repo_is_another_distributions(
    specifier: str, expected: tuple[str, str, str]
) -> None:
    """`from poetry.core.packages.dependency import Dependency` in poetry's own code is poetry-core's: the
    repo's `src/poetry` (no `__init__.py`) is one portion of the namespace package `poetry`, and
    `poetry.core` is in none of the repo's folders."""
    assert Resolver(POETRY).resolve(specifier, "tests/conftest.py", "python") == Resolved(*expected)


OPENTELEMETRY = [  # opentelemetry-python: one distribution a folder, each a portion of the namespace `opentelemetry`
    "opentelemetry-api/src/opentelemetry/trace/__init__.py", "opentelemetry-api/src/opentelemetry/util/types.py",
    "opentelemetry-api/src/opentelemetry/propagators/textmap.py",
    "opentelemetry-sdk/src/opentelemetry/sdk/__init__.py", "opentelemetry-sdk/src/opentelemetry/sdk/trace/__init__.py",
    "propagator/opentelemetry-propagator-b3/src/opentelemetry/propagators/b3/__init__.py",
    "tests/opentelemetry-test-utils/src/opentelemetry/test/__init__.py",  # test code: no folder of the path
    "docs/examples/basic_tracer/basic_trace.py",
]  # fmt: skip


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [
        ("opentelemetry.trace", ("opentelemetry-api/src/opentelemetry/trace", "", "local")),
        ("opentelemetry.sdk.trace", ("opentelemetry-sdk/src/opentelemetry/sdk/trace", "", "local")),
        ("opentelemetry.util.types", ("opentelemetry-api/src/opentelemetry/util/types", "", "local")),
        (
            "opentelemetry.propagators.textmap",
            ("opentelemetry-api/src/opentelemetry/propagators/textmap", "", "local"),
        ),
        (
            "opentelemetry.propagators.b3",
            ("propagator/opentelemetry-propagator-b3/src/opentelemetry/propagators/b3", "", "local"),
        ),
        (
            "opentelemetry.sdk.missing",
            ("opentelemetry-sdk/src/opentelemetry/sdk", "", "local"),
        ),  # a regular package's
        (
            "opentelemetry.instrumentation.flask",
            ("opentelemetry", "instrumentation.flask", "python"),
        ),  # another repo's
        ("opentelemetry.test", ("opentelemetry", "test", "python")),
    ],
)
def test_a_namespace_package_split_across_the_src_folders_of_a_monorepo_is_the_repos(
    specifier: str, expected: tuple[str, str, str]
) -> None:
    """opentelemetry-python's 4,048 imports of `opentelemetry.…` were all the third-party `opentelemetry`:
    each distribution's `src/opentelemetry` is a portion of the namespace package, found in whichever
    portion holds the module, as Python finds it with the workspace's distributions installed."""
    found = Resolver(OPENTELEMETRY).resolve(specifier, "docs/examples/basic_tracer/basic_trace.py", "python")
    assert found == Resolved(*expected)


def test_from_a_namespace_package_import_a_module_of_another_portion() -> None:
    """`from opentelemetry import trace` loads opentelemetry-api's `trace`, whichever portion the package
    id of `opentelemetry` names; and the portions are an input of resolution."""
    resolver = Resolver(OPENTELEMETRY)
    package = resolver.resolve("opentelemetry", "docs/examples/basic_tracer/basic_trace.py", "python").package
    assert resolver.python_submodule(package, "trace") == "opentelemetry-api/src/opentelemetry/trace"
    assert resolver.python_submodule(package, "sdk") == "opentelemetry-sdk/src/opentelemetry/sdk"
    assert resolver.python_submodule(package, "missing") is None
    portion = "exporter/opentelemetry-exporter-x/src/opentelemetry/x.py"
    assert Resolver([*OPENTELEMETRY, portion]).python.roots == resolver.python.roots
    assert Resolver([*OPENTELEMETRY, portion]).inputs() != resolver.inputs()


SCRIPTS = [  # werkzeug: scripts beside the example packages they run; tests beside their conftest
    "examples/manage-plnt.py", "examples/plnt/__init__.py", "examples/plnt/sync.py", "examples/wsecho.py",
    "tests/conftest.py", "tests/test_serving.py", "tests/live_apps/data_app.py",
    "src/poetry/factory.py", "src/poetry/poetry.py",  # a namespace package's portion: no folder of scripts
    "pkg/tests/__init__.py", "pkg/tests/conftest.py", "pkg/tests/test_exceptions.py",  # a package of tests
    "scripts/bump.py", "scripts/utils.py",  # pypa/hatch: `python scripts/bump.py` imports its `utils`
    "scripts/populate_tox/populate_tox.py", "scripts/populate_tox/config.py",  # getsentry/sentry-python
    "scripts/split_tox_gh_actions/__init__.py", "scripts/split_tox_gh_actions/split_tox_gh_actions.py",
    "tools/scripts/__init__.py", "tools/scripts/release.py", "tools/scripts/release_tests.py",  # a package
]  # fmt: skip


@pytest.mark.parametrize(
    ("specifier", "importer", "expected"),
    [
        ("plnt.sync", "examples/manage-plnt.py", ("examples/plnt/sync", "", "local")),
        ("plnt", "examples/manage-plnt.py", ("examples/plnt", "", "local")),
        ("wsproto.events", "examples/wsecho.py", ("wsproto", "events", "python")),
        ("conftest", "tests/test_serving.py", ("tests/conftest", "", "local")),
        ("conftest", "tests/live_apps/data_app.py", ("conftest", "", "python")),  # not its folder's
        ("poetry.core", "src/poetry/factory.py", ("poetry", "core", "python")),
        ("conftest", "pkg/tests/test_exceptions.py", ("conftest", "", "python")),
        ("utils", "scripts/bump.py", ("scripts/utils", "", "local")),
        ("config", "scripts/populate_tox/populate_tox.py", ("scripts/populate_tox/config", "", "local")),
        (  # a package in scripts/ is still found by name (populate_tox.py puts scripts/ on sys.path)
            "split_tox_gh_actions.split_tox_gh_actions",
            "scripts/populate_tox/populate_tox.py",
            ("scripts/split_tox_gh_actions/split_tox_gh_actions", "", "local"),
        ),
        ("release", "tools/scripts/release_tests.py", ("release", "", "python")),  # black's: a package
    ],
)
def test_a_script_or_test_imports_the_modules_beside_it(
    specifier: str, importer: str, expected: tuple[str, str, str]
) -> None:
    """`python examples/manage-plnt.py` puts `examples/` first on the path, and pytest a test folder that is
    no package: werkzeug's `from plnt.sync import sync` is its example package `examples/plnt`, not a
    third-party `plnt`, and a repo's scripts/ likewise (hatch's 8 imports of `utils` in scripts/ and
    sentry-python's `from config import TEST_SUITE_CONFIG` were third-party `utils` and `config`). A folder
    of the package's own code (a namespace package) is no folder of scripts, nor a scripts/ package."""
    assert Resolver(SCRIPTS).resolve(specifier, importer, "python") == Resolved(*expected)


OWN = [  # a package of test data or examples that imports itself by name
    "tests/roots/test-ext-viewcode-find-package/conf.py",  # sphinx
    "tests/roots/test-ext-viewcode-find-package/main_package/__init__.py",
    "tests/roots/test-ext-viewcode-find-package/main_package/subpackage/__init__.py",
    "tests/roots/test-ext-viewcode-find-package/main_package/subpackage/_subpackage2/__init__.py",
    "tests/roots/test-ext-viewcode-find-package/main_package/subpackage/_subpackage2/submodule.py",
    "examples/coolmagic/__init__.py", "examples/coolmagic/utils.py", "examples/coolmagic/helpers.py",  # werkzeug
    "examples/coolmagic/views/__init__.py", "examples/coolmagic/views/static.py",
    "tests/fixtures/requests/__init__.py", "tests/fixtures/requests/compat.py",
    "exporter/x/src/opentelemetry/exporter/opencensus/__init__.py",  # a package in a namespace package
    "exporter/x/src/opentelemetry/exporter/opencensus/trace_exporter.py",
    "exporter/x/tests/__init__.py", "exporter/x/tests/test_otcollector_trace_exporter.py",
]  # fmt: skip
ROOT = "tests/roots/test-ext-viewcode-find-package"


@pytest.mark.parametrize(
    ("specifier", "importer", "expected"),
    [
        ("main_package", f"{ROOT}/main_package/__init__.py", (f"{ROOT}/main_package", "", "local")),
        (
            "main_package.subpackage._subpackage2",
            f"{ROOT}/main_package/subpackage/__init__.py",
            (f"{ROOT}/main_package/subpackage/_subpackage2", "", "local"),
        ),
        ("coolmagic.utils", "examples/coolmagic/views/static.py", ("examples/coolmagic/utils", "", "local")),
        ("coolmagic", "examples/coolmagic/utils.py", ("examples/coolmagic", "", "local")),
        ("requests", "examples/coolmagic/utils.py", ("requests", "", "python")),  # another package's name
        (
            "requests.compat",
            "tests/fixtures/requests/__init__.py",
            ("tests/fixtures/requests/compat", "", "local"),
        ),
        ("requests.compat", f"{ROOT}/main_package/__init__.py", ("requests", "compat", "python")),
        (
            "opencensus.trace",
            "exporter/x/src/opentelemetry/exporter/opencensus/trace_exporter.py",
            ("opencensus", "trace", "python"),
        ),
        ("tests", "exporter/x/tests/test_otcollector_trace_exporter.py", ("exporter/x/tests", "", "local")),
    ],
)
def test_a_module_of_a_package_imports_that_package_where_it_lies(
    specifier: str, importer: str, expected: tuple[str, str, str]
) -> None:
    """sphinx's test root `main_package/__init__.py` imports `from main_package import subpackage`, and
    werkzeug's `examples/coolmagic/utils.py` `from coolmagic import helpers`: a file can be imported as a
    module of its package only with the folder above that package on the path, so the package is the one
    it lies in (both were the third-party python packages `main_package` and `coolmagic`)."""
    assert Resolver(OWN).resolve(specifier, importer, "python") == Resolved(*expected)


def test_one_resolver_tells_the_packages_a_file_lies_in_apart() -> None:
    """Resolutions are remembered per specifier: the package a file lies in is a context of its own."""
    resolver = Resolver(OWN)
    assert resolver.resolve("requests", "tests/fixtures/requests/compat.py", "python").how == "local"
    assert resolver.resolve("requests", "examples/coolmagic/utils.py", "python").how == "python"
    assert resolver.resolve("requests", "tests/fixtures/requests/__init__.py", "python").how == "local"


def test_one_resolver_tells_the_folders_of_scripts_apart() -> None:
    """Resolutions are remembered per specifier: a folder of scripts is a context of its own."""
    resolver = Resolver(SCRIPTS)
    assert resolver.resolve("conftest", "tests/test_serving.py", "python").package == "tests/conftest"
    assert resolver.resolve("conftest", "pkg/tests/test_exceptions.py", "python").package == "conftest"
    assert resolver.resolve("conftest", "tests/live_apps/data_app.py", "python").package == "conftest"


IPYTHON = {  # ipython/ipython in 2021: its tests import the nose-era helpers IPython/testing/decorators.py
    "IPython/__init__.py": "",
    "IPython/testing/__init__.py": "",
    "IPython/testing/decorators.py": "def skipif(skip_condition, msg=None): ...\n",
    "IPython/core/__init__.py": "",
    "IPython/core/tests/__init__.py": "",
    "IPython/core/tests/test_application.py": "from IPython.testing import decorators as dec\n",
    "IPython/core/tests/test_display.py": "import IPython.testing.decorators as dec\n",
    "IPython/core/tests/test_history.py": "from IPython.testing.decorators import skipif\n",
    "IPython/core/tests/test_magic.py": "from ...testing import decorators as dec\n",
    "IPython/core/tests/test_run.py": "from IPython.testing import tools as tt\n",  # no module tools: a name
    "groups.toml": '[[groups]]\nname = "decorators"\npaths = ["IPython/testing/decorators"]\ntarget = true\n',
}


@pytest.mark.integration
def test_from_a_package_of_the_repo_import_a_module_of_it_is_an_import_of_that_module(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`from IPython.testing import decorators as dec` loads IPython/testing/decorators.py, as `import
    IPython.testing.decorators as dec` does: both are whole-module imports of it, so a group of that
    module's path counts both (13 of ipython's imports of it were left out, keyed to IPython/testing)."""
    repo = git_repo(tmp_path / "ipython", IPYTHON)
    args = ["scan", str(repo), "--config", str(repo / "groups.toml"), "--no-cache", "--format", "json"]
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    exports = {p: {e: x["count"] for e, x in v["exports"].items()} for p, v in report["packages"].items()}
    assert exports["IPython/testing/decorators"] == {"*": 3, "skipif": 1}
    assert exports["IPython/testing"] == {"tools": 1}
    group = report["adoption"]["groups"]["decorators"]
    assert (group["imports"], group["files"], group["components"]) == (4, 4, 2)


AIRFLOW = {  # apache-airflow-core 3.3's wheel: `airflow.sdk` is another distribution's (the task SDK)
    "airflow/__init__.py": "",
    "airflow/task/__init__.py": "",
    "airflow/example_dags/__init__.py": "",
    "airflow/example_dags/example_asset_alias.py": "from airflow.sdk import DAG, Asset, task\n",
}


@pytest.mark.integration
def test_a_name_of_a_module_the_repo_lacks_is_no_module_of_the_part_above_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`from airflow.sdk import task` with no `airflow/sdk` in the repo is counted under the nearest
    module it has, `airflow`, as the name `task`: not as the repo's module `airflow/task`, which
    `from airflow import task` would load."""
    repo = git_repo(tmp_path / "airflow", AIRFLOW)
    assert main(["scan", str(repo), "--no-cache", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    exports = {p: {e: x["count"] for e, x in v["exports"].items()} for p, v in report["packages"].items()}
    assert exports == {"airflow": {"Asset": 1, "DAG": 1, "task": 1}}


GRPC = [  # opentelemetry-python's exporter: a package `grpc` in the namespace package `opentelemetry`
    "exporter/opentelemetry-exporter-otlp-proto-grpc/src/opentelemetry/exporter/otlp/proto/grpc/__init__.py",
    "exporter/opentelemetry-exporter-otlp-proto-grpc/src/opentelemetry/exporter/otlp/proto/grpc/exporter.py",
    "hypothesis/src/hypothesis/__init__.py",
]  # fmt: skip


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [
        ("grpc", ("grpc", "", "python")),
        ("grpc._utilities", ("grpc", "_utilities", "python")),
        ("hypothesis", ("hypothesis/src/hypothesis", "", "local")),
    ],
)
def test_a_package_inside_a_namespace_package_is_no_top_level_package(
    specifier: str, expected: tuple[str, str, str]
) -> None:
    """`import grpc` in opentelemetry-python's gRPC exporter is the grpc library (43 imports were its own
    `…/src/opentelemetry/exporter/otlp/proto/grpc`): a package whose folder lies in a namespace package
    below a `src/` folder is no top-level package, while one right in a `src/` folder is."""
    importer = GRPC[1]
    assert Resolver(GRPC).resolve(specifier, importer, "python") == Resolved(*expected)
