#!/usr/bin/env bash
# Fails when protobuf-schemas break compatibility with the last release. The reference is, in
# order of preference: the newest release tag (v*) reachable from HEAD; the newest committed
# release snapshot protobuf-schemas/releases/<version>.tar.gz (a clean CI clone may have no tags);
# the merge base with main when it differs from HEAD. Comparing with main itself would check
# nothing when CI runs on main.
# Cutting a release: tag it v<version> and commit its snapshot with
#   tar -czf protobuf-schemas/releases/<version>.tar.gz --sort=name --owner=0 --group=0 \
#     --mtime=2026-01-01 -C protobuf-schemas buf.yaml tse legacy third_party
set -euo pipefail
cd "$(dirname "$0")/../.."

schemas=protobuf-schemas
against=""
tag=$(git describe --tags --abbrev=0 --match 'v[0-9]*' 2>/dev/null || true)
if [[ -n "${tag}" ]] && git cat-file -e "${tag}:${schemas}/buf.yaml" 2>/dev/null; then
  against=".git#tag=${tag},subdir=${schemas}"
  reference="release tag ${tag}"
else
  snapshot=$(find "${schemas}/releases" -maxdepth 1 -name '*.tar.gz' 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "${snapshot}" ]]; then
    against="${snapshot}"
    reference="release snapshot ${snapshot}"
  else
    base=$(git merge-base HEAD main 2>/dev/null || true)
    if [[ -n "${base}" && "${base}" != "$(git rev-parse HEAD)" ]] &&
      git cat-file -e "${base}:${schemas}/buf.yaml" 2>/dev/null; then
      against=".git#ref=${base},subdir=${schemas}"
      reference="merge base ${base:0:12} with main"
    fi
  fi
fi

if [[ -z "${against}" ]]; then
  echo "buf breaking: no release tag, release snapshot or merge base to compare against" >&2
  exit 1
fi
npx buf breaking "${schemas}" --against "${against}"
echo "buf breaking: no breaking change against ${reference}"
