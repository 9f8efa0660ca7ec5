#!/usr/bin/env bash
# Fails when the committed generated code differs from what `buf generate` produces, when
# `buf lint` finds a problem, or when the schemas break compatibility with the main branch.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx buf generate
if ! git diff --exit-code --stat -- packages/proto/src/gen || [[ -n "$(git status --porcelain -- packages/proto/src/gen)" ]]; then
  echo "generated code is stale: run 'npm run proto' and commit packages/proto/src/gen"
  git status --porcelain -- packages/proto/src/gen
  exit 1
fi
npx buf lint protobuf-schemas
if git rev-parse --verify -q main >/dev/null && git cat-file -e main:protobuf-schemas/buf.yaml 2>/dev/null; then
  npx buf breaking protobuf-schemas --against '.git#branch=main,subdir=protobuf-schemas'
  echo "buf breaking: no breaking change against main"
else
  echo "buf breaking: main has no schemas yet, nothing to compare against"
fi
