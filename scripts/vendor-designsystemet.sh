#!/usr/bin/env bash
# Updates the vendored Designsystemet CSS (Digdir, MIT) in static/vendor/designsystemet/.
#
# The site serves these files itself: nothing is fetched at run time and `make run` needs
# no npm. Run this script (it needs npm and network) only to move to another version: change
# the pinned version below, run it, look at the pages, commit the changed files.
#
# The CSS package carries its own default theme (the design tokens: colours, sizes, type
# scale), built for the same release, so one package gives both files.
set -euo pipefail
cd "$(dirname "$0")/.."

CSS_VERSION=1.22.0
TARGET=static/vendor/designsystemet

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "@digdir/designsystemet-css@$CSS_VERSION" >/dev/null)
tar -xzf "$work"/digdir-designsystemet-css-"$CSS_VERSION".tgz -C "$work"

mkdir -p "$TARGET"
cp "$work/package/dist/src/index.css" "$TARGET/designsystemet.css"
cp "$work/package/dist/theme/designsystemet.css" "$TARGET/theme.css"
cp "$work/package/LICENSE" "$TARGET/LICENSE"
cat >"$TARGET/VERSION" <<EOF
@digdir/designsystemet-css $CSS_VERSION (MIT), from npm by scripts/vendor-designsystemet.sh
designsystemet.css = dist/src/index.css (the components)
theme.css          = dist/theme/designsystemet.css (the default theme's tokens)
EOF
echo "Designsystemet $CSS_VERSION copied to $TARGET/."
