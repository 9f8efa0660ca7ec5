#!/usr/bin/env bash
# Fails when the committed generated code differs from what `buf generate` produces or when
# `buf lint` finds a problem. Compatibility with the last release: check-proto-breaking.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx buf generate
if ! git diff --exit-code --stat -- packages/proto/src/gen || [[ -n "$(git status --porcelain -- packages/proto/src/gen)" ]]; then
  echo "generated code is stale: run 'npm run proto' and commit packages/proto/src/gen"
  git status --porcelain -- packages/proto/src/gen
  exit 1
fi
npx buf lint protobuf-schemas
