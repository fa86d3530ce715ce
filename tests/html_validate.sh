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
corpus="$NC_SOURCE_DIR/../shared/corpus"
if [ -d "$corpus" ]; then
    # Notes whose Hugo {{< figure >}} shortcodes sit inside raw HTML leave a <figure> open:
    # the note's own markup, passed through as raw HTML, which the hugo-shortcodes filter
    # will turn into images. Until then they are left out, by name.
    skip="2019/12/13_yjtc.md 2020/01/23_docomo_openhouse.md 2020/01/24_docomo_openhouse.md 2021/12/07_ac.md"
    find "$corpus" -name '*.md' ! -name README.md | sort | while read -r md; do
        i=$((i + 1))
        case " $skip " in *" ${md#"$corpus"/blog/} "*) echo "skipped (raw shortcode HTML): $md"; continue ;; esac
        "$NOTECONV" -q -s "$md" -o "$tmp/corpus-$i.html"
    done
else
    echo "note: $corpus is absent; validating samples only"
fi
html-validate --config "$NC_SOURCE_DIR/tests/htmlvalidate.json" "$tmp"/*.html
rc=$?
echo "html-validate: $(ls "$tmp"/*.html | wc -l) pages, exit $rc"
exit $rc
