#!/usr/bin/env bash
# Refresh the vendored axe-core (MPL-2.0) the browser tests inject into every page
# (tests/e2e/test_accessibility.py). Nothing is fetched when the tests run.
#
#   scripts/vendor-axe.sh            # the pinned version below
#   scripts/vendor-axe.sh 4.15.0     # another version: update AXE_VERSION too
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_VERSION=${1:-4.14.1}
DEST=tests/e2e/vendor

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null && tar xzf "axe-core-$AXE_VERSION.tgz")

mkdir -p "$DEST"
cp "$work/package/axe.min.js" "$DEST/axe.min.js"
cp "$work/package/LICENSE" "$DEST/LICENSE-axe-core"
cp "$work/package/LICENSE-3RD-PARTY.txt" "$DEST/LICENSE-axe-core-3RD-PARTY.txt"
echo "axe-core $AXE_VERSION" > "$DEST/VERSION"
echo "Vendored axe-core $AXE_VERSION into $DEST."
