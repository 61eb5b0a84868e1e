#!/usr/bin/env bash
# Install what the tests need and run the whole suite on the database in DATABASE_URL
# (SQLite when unset). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
[ -x scripts/test-prereqs.sh ] && scripts/test-prereqs.sh
echo "database: ${DATABASE_URL:-sqlite (default)}"
set +e
.venv/bin/python -m pytest -n "${GAOXIN_TEST_WORKERS:-2}" "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
exit "$status"
