#!/usr/bin/env bash
# Regenerate the locks from the current .venv after changing pyproject.toml dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Review the diff: runtime pins go to requirements.lock, test-only pins to requirements-dev.lock."
.venv/bin/pip freeze --exclude-editable | grep -vi '^gaoxin'
