#!/bin/sh
# html.sh — noteconv -t html against cmark-gfm (same extensions) on a ~10 MB concatenation of
# the shared corpus, run side by side; prints both times (best of 5) and their ratio.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
NC=${NOTECONV:-$here/build/noteconv}
corpus=$here/../shared/corpus
[ -d "$corpus" ] || { echo "SKIP: $corpus is absent"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# bodies only: front matter would be Markdown to cmark-gfm
find "$corpus" -name '*.md' ! -name README.md | sort >"$tmp/list"
: >"$tmp/one.md"
while read -r f; do
    awk 'NR==1 && ($0=="---" || $0=="+++") {fm=$0; next} fm && ($0==fm || $0=="...") {fm=""; next} !fm' "$f" >>"$tmp/one.md"
    printf '\n\n' >>"$tmp/one.md"
done <"$tmp/list"
while [ "$(wc -c <"$tmp/one.md")" -lt 10000000 ]; do
    cat "$tmp/one.md" "$tmp/one.md" >"$tmp/two.md" && mv "$tmp/two.md" "$tmp/one.md"
done
size=$(wc -c <"$tmp/one.md")

best() { # best wall time in ms of 5 runs of "$@"
    b=999999
    for _ in 1 2 3 4 5; do
        s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N)
        t=$(( (e - s) / 1000000 )); [ "$t" -lt "$b" ] && b=$t
    done
    echo "$b"
}
ours=$(best "$NC" -t html "$tmp/one.md")
theirs=$(best cmark-gfm --unsafe --footnotes -e table -e strikethrough -e autolink -e tasklist "$tmp/one.md")
echo "input: $size bytes ($(wc -l <"$tmp/list") notes, repeated)"
echo "noteconv -t html: ${ours} ms"
echo "cmark-gfm:        ${theirs} ms"
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "ratio: %.2fx cmark-gfm (goal: <= 1.3x)\n", a / (b ? b : 1) }'
