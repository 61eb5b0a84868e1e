#!/usr/bin/env bash
# System packages the browser tests need: Debian's Chromium (Playwright drives it; its own
# browser download does not work offline) and CJK fonts for screenshots and PDFs.
# When both are present this touches nothing (no apt-get, no network).
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
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${need[*]} (browser tests) …"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "warning: ${need[*]} missing and cannot be installed here; browser tests will fail" >&2
  fi
fi
