#!/bin/sh
# golden.sh — every tests/golden/<set>/<name>.md is converted with the options in
# tests/golden/<set>/ARGS and compared byte for byte with <name>.expected.
# NC_REGEN=1 rewrites the expected files instead (review the diff before committing).
set -u
: "${NOTECONV:?NOTECONV must name the noteconv binary}"
: "${NC_SOURCE_DIR:?}"
export SOURCE_DATE_EPOCH=1700000000
pass=0 fail=0
for dir in "$NC_SOURCE_DIR"/tests/golden/*/; do
    [ -f "$dir/ARGS" ] || continue
    args=$(cat "$dir/ARGS")
    # the set's own notes, and notes from elsewhere in the tree listed in SOURCES
    list=$(ls "$dir"*.md 2>/dev/null)
    if [ -f "$dir/SOURCES" ]; then
        for src in $(cat "$dir/SOURCES"); do list="$list $NC_SOURCE_DIR/$src"; done
    fi
    for md in $list; do
        [ -f "$md" ] || continue
        want="$dir$(basename "${md%.md}").expected"
        got=$(mktemp)
        # shellcheck disable=SC2086
        (cd "$(dirname "$md")" && "$NOTECONV" -q $args "$(basename "$md")") >"$got" 2>"$got.err"
        rc=$?
        if [ "${NC_REGEN:-}" = 1 ]; then
            cp "$got" "$want"
            echo "regenerated ${want#"$NC_SOURCE_DIR"/}"
        elif [ $rc -ne 0 ]; then
            echo "FAIL ${md#"$NC_SOURCE_DIR"/}: exit $rc"; cat "$got.err"; fail=$((fail + 1))
        elif cmp -s "$got" "$want"; then
            pass=$((pass + 1))
        else
            echo "FAIL ${md#"$NC_SOURCE_DIR"/}:"; diff -u "$want" "$got" | head -40
            fail=$((fail + 1))
        fi
        rm -f "$got" "$got.err"
    done
done
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
