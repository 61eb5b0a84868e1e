#!/usr/bin/env bash
# Drop every test_* database on the three nodes of ../shared/citus's cluster (FORCE: Citus's
# maintenance daemon and the coordinator's own connections keep sessions open in them).
set -euo pipefail
for port in 5441 5442 5443; do
  psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt \
    -c "SELECT datname FROM pg_database WHERE datname LIKE 'test\_%'" |
    while read -r db; do
      psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -c "DROP DATABASE \"$db\" WITH (FORCE)"
    done
done
