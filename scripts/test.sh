#!/usr/bin/env bash
# Run the whole suite: a throwaway PostgreSQL cluster, ruff, then pytest.  Called by `make test`
# (after the virtualenv and Debian packages are in place).  Extra arguments go to pytest.
set -u
cd "$(dirname "$0")/.." || exit 1
started=$(date +%s%N)

finish() {
  local rc=$?
  if [ -n "${PEYVAND_TEST_PG_DIR:-}" ]; then
    scripts/pgtest.sh stop || true
  fi
  local ms=$(( ($(date +%s%N) - started) / 1000000 ))
  printf 'test.sh: finished in %d.%01d s (exit %d)\n' $((ms / 1000)) $((ms % 1000 / 100)) "$rc" >&2
  exit "$rc"
}
trap finish EXIT

pg_env=$(scripts/pgtest.sh start) || { echo "test.sh: could not start PostgreSQL" >&2; exit 1; }
eval "$pg_env"
export PEYVAND_TEST_PG_URL PEYVAND_TEST_PG_DIR
export PEYVAND_CHROMIUM=/usr/bin/chromium

lint_rc=0
dirs=()
for d in kernel modules devices tests examples bench; do [ -d "$d" ] && dirs+=("$d"); done
if [ ${#dirs[@]} -gt 0 ]; then
  .venv/bin/ruff check "${dirs[@]}" || lint_rc=$?
fi
# The architecture asks for typed code: kernel and modules must stay mypy-clean.
# Two worker processes: CI starts without a cache, and a cold check on one core took ~25 s.
.venv/bin/mypy --num-workers 2 kernel modules || lint_rc=$?

if [ $# -gt 0 ]; then
  .venv/bin/python -m pytest -q -ra "$@"
  rc=$?
else
  # The whole suite: everything but the browser tests on two workers (pytest-xdist; each test
  # has its own SQLite file or PostgreSQL database, copied from the run's migrated templates, and its own ports), then the browser tests alone,
  # whose page loads have timeouts that a second busy worker on two cores would eat into.
  # worksteal: a worker that runs out of tests takes half of the other's queue, so both finish
  # together instead of one idling while the other works through a file of slow tests.
  workers=${PEYVAND_TEST_WORKERS:-2}
  .venv/bin/python -m pytest -q -ra -n "$workers" --dist worksteal --ignore=tests/e2e
  rc=$?
  .venv/bin/python -m pytest -q -ra tests/e2e
  e2e_rc=$?
  [ "$rc" -eq 0 ] && rc=$e2e_rc
fi
if [ "$rc" -eq 5 ]; then
  echo "test.sh: pytest collected no tests (exit 5); treating that as a failure" >&2
  rc=1
fi
if [ "$rc" -eq 0 ] && [ "$lint_rc" -ne 0 ]; then
  echo "test.sh: tests passed but ruff or mypy found problems" >&2
  rc=1
fi
exit "$rc"
