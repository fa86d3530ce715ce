#!/bin/sh
# outline.sh — what `-t outline` costs over reading the note: the stages of one conversion of a
# ~10 MB concatenation of the shared corpus (read, default filters, render), timed through the
# library by the build's stage_time (best of 5), for the outline and the HTML writer side by
# side; then the whole command's wall time for both. NC_BENCH_INPUT=FILE keeps the input.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
NC=${NOTECONV:-$here/build/noteconv}
ST=${STAGE_TIME:-$(dirname "$NC")/stage_time}
corpus=$here/../shared/corpus
[ -d "$corpus" ] || { echo "SKIP: $corpus is absent"; exit 0; }
[ -x "$NC" ] || { echo "no noteconv at $NC (set NOTECONV)" >&2; exit 1; }
[ -x "$ST" ] || { echo "no stage_time at $ST (build the stage_time target)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the notes whole, front matter and all: only the first one's front matter is metadata, the
# others' become text, which the outline counts like any other
find "$corpus" -name '*.md' ! -name README.md | sort >"$tmp/list"
: >"$tmp/one.md"
while read -r f; do
    cat "$f" >>"$tmp/one.md"
    printf '\n\n' >>"$tmp/one.md"
done <"$tmp/list"
while [ "$(wc -c <"$tmp/one.md")" -lt 10000000 ]; do
    cat "$tmp/one.md" "$tmp/one.md" >"$tmp/two.md" && mv "$tmp/two.md" "$tmp/one.md"
done
[ -n "${NC_BENCH_INPUT:-}" ] && cp "$tmp/one.md" "$NC_BENCH_INPUT"
echo "input: $(wc -c <"$tmp/one.md") bytes ($(wc -l <"$tmp/list") notes, repeated)"
"$ST" outline "$tmp/one.md" 5
"$ST" html "$tmp/one.md" 5

ms() { # wall time in ms of one run of "$@"
    s=$(date +%s%N)
    "$@" >/dev/null || { echo "failed: $*" >&2; exit 1; }
    e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
}
o=999999 h=999999
for _ in 1 2 3 4 5; do
    t=$(ms "$NC" -q -t outline "$tmp/one.md"); [ "$t" -lt "$o" ] && o=$t
    t=$(ms "$NC" -q -t html "$tmp/one.md"); [ "$t" -lt "$h" ] && h=$t
done
echo "noteconv -t outline: $o ms; noteconv -t html: $h ms (whole command, best of 5)"
