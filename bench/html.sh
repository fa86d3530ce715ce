#!/bin/sh
# html.sh — noteconv -t html against cmark-gfm (same extensions, same options) on a ~10 MB
# concatenation of the shared corpus, run side by side; prints both times (best of 5) and their
# ratio. The peer is the build's cmark_ref (cmark-gfm's library with footnotes, which Debian's
# cmark-gfm command cannot turn on); CMARK_REF names another one. Without it, the cmark-gfm
# command stands in, footnotes off. NC_BENCH_INPUT=FILE keeps the input there for profiling.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
NC=${NOTECONV:-$here/build/noteconv}
REF=${CMARK_REF:-$(dirname "$NC")/cmark_ref}
corpus=$here/../shared/corpus
[ -d "$corpus" ] || { echo "SKIP: $corpus is absent"; exit 0; }
[ -x "$NC" ] || { echo "no noteconv at $NC (set NOTECONV)" >&2; exit 1; }
if [ -x "$REF" ]; then
    peer="$REF"
    set -- "$REF"
elif command -v cmark-gfm >/dev/null; then
    peer="cmark-gfm (command; no footnotes)"
    set -- cmark-gfm --unsafe -e table -e strikethrough -e autolink -e tasklist
else
    echo "SKIP: neither cmark_ref (CMARK_REF) nor cmark-gfm is available"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# bodies only: front matter would be Markdown to cmark-gfm
find "$corpus" -name '*.md' ! -name README.md | sort >"$tmp/list"
. "$here/bench/lib.sh"
corpus_bodies "$tmp/list" "$tmp/one.md"
while [ "$(wc -c <"$tmp/one.md")" -lt 10000000 ]; do
    cat "$tmp/one.md" "$tmp/one.md" >"$tmp/two.md" && mv "$tmp/two.md" "$tmp/one.md"
done
size=$(wc -c <"$tmp/one.md")
[ -n "${NC_BENCH_INPUT:-}" ] && cp "$tmp/one.md" "$NC_BENCH_INPUT"

ms() { # wall time in ms of one run of "$@"; a failed run fails the benchmark
    s=$(date +%s%N)
    "$@" >/dev/null || { echo "failed: $*" >&2; exit 1; }
    e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
}
# best of 5, the two taking turns so that a change in the machine's load hits both
ours=999999 theirs=999999
for _ in 1 2 3 4 5; do
    t=$(ms "$NC" -t html "$tmp/one.md"); [ "$t" -lt "$ours" ] && ours=$t
    t=$(ms "$@" "$tmp/one.md"); [ "$t" -lt "$theirs" ] && theirs=$t
done
echo "input: $size bytes ($(wc -l <"$tmp/list") notes, repeated)"
echo "noteconv -t html: ${ours} ms"
echo "$peer: ${theirs} ms"
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "ratio: %.2fx cmark-gfm (goal: <= 1.3x)\n", a / (b ? b : 1) }'
