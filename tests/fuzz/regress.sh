#!/bin/sh
# regress.sh — every input kept in tests/fuzz/regress/TARGET/ (what once crashed, hung or leaked,
# found by a fuzzer or by hand) through the CLI (read as pandoc JSON for the json targets) to
# every writer: each must convert or fail with
# a diagnostic (exit 0 or 3), never die of a signal or a sanitizer report.
set -u
: "${NOTECONV:?}" "${NC_SOURCE_DIR:?}"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0 n=0
for f in "$NC_SOURCE_DIR"/tests/fuzz/regress/*/*; do
    [ -f "$f" ] || continue
    # what a pandoc JSON target (fuzz_json*.c) kept is pandoc JSON
    case $(basename "$(dirname "$f")") in json*) from=json ;; *) from=markdown ;; esac
    for fmt in html pdf-layout pdf json outline xhtml epub; do
        for s in "" -s; do
            n=$((n + 1))
            "$NOTECONV" -f $from -t $fmt $s "$f" -o "$t/out" 2>"$t/err"
            rc=$?
            if { [ $rc -ne 0 ] && [ $rc -ne 3 ]; } || grep -q 'Sanitizer\|runtime error' "$t/err"; then
                echo "FAIL: $f -t $fmt $s: exit $rc"; head -5 "$t/err"; fail=$((fail + 1))
            fi
        done
    done
done
echo "$n conversions of $(ls "$NC_SOURCE_DIR"/tests/fuzz/regress/*/* | wc -l) kept inputs, $fail failed"
[ $fail -eq 0 ]
