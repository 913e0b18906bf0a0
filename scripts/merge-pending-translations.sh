#!/usr/bin/env bash
# Folds the Bokmål translations written beside the catalogue (locale/nb/pending/*.po) into
# locale/nb/LC_MESSAGES/django.po: re-extracts the msgids, takes the pending translations over
# empty or fuzzy ones, keeps the catalogue's header, drops what the code no longer uses, and
# compiles. The pending files are removed once folded in.
set -euo pipefail
cd "$(dirname "$0")/.."
PO=locale/nb/LC_MESSAGES/django.po
EXTRACT=(-l nb --ignore=.venv --ignore=var --ignore=bench --no-obsolete --no-location -v0)
shopt -s nullglob
pending=(locale/nb/pending/*.po)
.venv/bin/python manage.py makemessages "${EXTRACT[@]}"
if ((${#pending[@]})); then
    header=$(mktemp)
    msgattrib --no-fuzzy --translated "$PO" -o /dev/null  # fails early on a broken catalogue
    # The catalogue's translated entries first, then the pending ones for the rest.
    msgattrib --translated --no-fuzzy "$PO" -o "$header"
    msgcat --use-first "$header" "${pending[@]}" "$PO" -o "$PO"
    rm -f "$header" "${pending[@]}"
    .venv/bin/python manage.py makemessages "${EXTRACT[@]}"
fi
msgfmt --check-format -o locale/nb/LC_MESSAGES/django.mo "$PO"
left=$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid' || true)
fuzzy=$(msgattrib --only-fuzzy "$PO" | grep -c '^msgid' || true)
echo "Untranslated entries (the header counts as one): $left; fuzzy: $fuzzy"
