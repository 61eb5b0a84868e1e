#!/usr/bin/env bash
# System packages the tests need: Debian's Chromium (Playwright drives it; its own browser
# download does not work offline), CJK fonts for screenshots and PDFs, and PostGIS for each
# PostgreSQL installed here (the nearest-station search runs as a KNN on PostgreSQL and
# Citus; migration 0006 of stations creates the extension). When all are present this
# touches nothing (no apt-get, no network).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# Capture the list first: `fc-list | grep -q` under pipefail fails at random, because grep
# exits at the first match and fc-list then dies of SIGPIPE.
fonts="$(fc-list 2>/dev/null || true)"
case "$fonts" in
  *"Noto Sans CJK"*) ;;
  *) need+=(fonts-noto-cjk) ;;
esac
# PostGIS of the same major version as each PostgreSQL server here (Debian:
# postgresql-15-postgis-3); the Citus nodes use the same binaries, so one install serves both.
for pg in /usr/lib/postgresql/*/bin/postgres; do
  [ -x "$pg" ] || continue
  major=$(basename "$(dirname "$(dirname "$pg")")")
  [ -f "/usr/share/postgresql/$major/extension/postgis.control" ] || need+=("postgresql-$major-postgis-3")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${need[*]} (test prerequisites) …"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "warning: ${need[*]} missing and cannot be installed here; browser tests will fail," \
      "or the nearest search is tested on the grid only (no PostGIS)" >&2
  fi
fi
