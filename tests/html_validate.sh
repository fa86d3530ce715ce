#!/bin/sh
# html_validate.sh — standalone pages (samples and the reference note) pass the HTML5 validator
# html-validate (npm), with the rules set in tests/htmlvalidate.json.
set -u
: "${NOTECONV:?}" "${NC_SOURCE_DIR:?}"
if ! command -v html-validate >/dev/null 2>&1; then
    echo "SKIP: html-validate is not installed (npm install -g html-validate)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
for md in "$NC_SOURCE_DIR"/samples/*.md "$NC_SOURCE_DIR"/tests/golden/html/*.md; do
    [ -f "$md" ] || continue
    i=$((i + 1))
    "$NOTECONV" -q -s "$md" -o "$tmp/$i.html" || { echo "FAIL: $md does not convert"; exit 1; }
done
# the built-in filters' output in a page: the toc's <nav>, numbered headings, marked sections
for md in "$NC_SOURCE_DIR"/tests/golden/filter-*/*.md; do
    i=$((i + 1))
    "$NOTECONV" -q -s -F number-sections -F toc -F smart -F empty-sections=mark "$md" \
        -o "$tmp/$i.html" || { echo "FAIL: $md does not convert with filters"; exit 1; }
done
corpus="$NC_SOURCE_DIR/../shared/corpus"
if [ -d "$corpus" ]; then
    find "$corpus" -name '*.md' ! -name README.md | sort | while read -r md; do
        i=$((i + 1))
        "$NOTECONV" -q -s "$md" -o "$tmp/corpus-$i.html"
    done
else
    echo "note: $corpus is absent; validating samples only"
fi
html-validate --config "$NC_SOURCE_DIR/tests/htmlvalidate.json" "$tmp"/*.html
rc=$?
echo "html-validate: $(ls "$tmp"/*.html | wc -l) pages, exit $rc"
exit $rc
