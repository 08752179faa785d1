# Sourced by scripts/*: create .venv once, (re)install the project when pyproject.toml changes, activate it.
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.depreport-installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setting up .venv: installing depreport with its test, dashboard and parquet extras (a few minutes the first time)" >&2
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[test,dashboard,parquet]"
  touch "$stamp"
fi
. .venv/bin/activate
