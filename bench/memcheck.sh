#!/bin/sh
# memcheck.sh — every shared note (../shared/corpus) and sample to every format (html,
# html -s, pdf, pdf-layout, json, outline, xhtml -s, epub) through a sanitizer build's
# noteconv (ASan + UBSan + LeakSanitizer, default build-asan/) or, with VALGRIND=1, the
# release build under valgrind --leak-check=full: counts the runs and lists every one with a
# leak, an error or a crash. Two at a time (-j2).
#   bench/memcheck.sh [NOTECONV]
set -u
if [ "${1:-}" = --one ]; then
    n=${2%%|*} rest=${2#*|}
    fmt=${rest%%|*} f=${rest#*|}
    if [ "${VALGRIND:-}" = 1 ]; then
        valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
            "$NC" -q -t $fmt "$f" -o "$tmp/out$n" 2>"$tmp/err$n"
    else
        "$NC" -q -t $fmt "$f" -o "$tmp/out$n" 2>"$tmp/err$n"
    fi
    rc=$?
    if [ $rc -ne 0 ] || grep -q 'Sanitizer\|runtime error\|==[0-9]*==' "$tmp/err$n"; then
        echo "FAIL $f -t $fmt: exit $rc"; head -20 "$tmp/err$n"
    fi
    rm -f "$tmp/out$n" "$tmp/err$n"
    exit 0
fi
here=$(cd "$(dirname "$0")/.." && pwd)
NC=${1:-$here/build-asan/noteconv}
[ -x "$NC" ] || { echo "no noteconv at $NC: cmake -S . -B build-asan -DNC_SANITIZE=ON && cmake --build build-asan" >&2; exit 1; }
corpus=$here/../shared/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{ find "$corpus" -name '*.md' 2>/dev/null; ls "$here"/samples/*.md; } | sort >"$tmp/notes"
[ -d "$corpus" ] || echo "note: $corpus is absent: samples only"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$here/tests/lsan.supp:print_suppressions=0
i=0
while read -r f; do
    for fmt in "html" "html -s" "pdf" "pdf-layout" "json" "outline" "xhtml -s" "epub"; do
        i=$((i + 1))
        echo "$i|$fmt|$f"
    done
done <"$tmp/notes" >"$tmp/jobs"
total=$(wc -l <"$tmp/jobs")
export NC tmp
tr '\n' '\0' <"$tmp/jobs" | xargs -0 -n1 -P2 "$0" --one >"$tmp/report"
bad=$(grep -c '^FAIL' "$tmp/report")
cat "$tmp/report"
echo "$total runs ($(wc -l <"$tmp/notes") notes x 8 formats) with $(basename "$(dirname "$NC")")/noteconv: $bad with a leak, an error or a crash"
[ "$bad" -eq 0 ]
