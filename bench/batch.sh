#!/bin/sh
# batch.sh — the whole shared corpus (163 notes) to HTML and PDF with one `noteconv -j2 -d`,
# against pandoc to HTML alone, one process per note (what a Makefile rule per note runs), in
# the same run; prints both wall times and the ratio (goal: ours >= 10x faster).
# NC_BENCH_JOBS changes -j.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
NC=${NOTECONV:-$here/build/noteconv}
corpus=$here/../shared/corpus
jobs=${NC_BENCH_JOBS:-2}
[ -d "$corpus" ] || { echo "SKIP: $corpus is absent"; exit 0; }
[ -x "$NC" ] || { echo "no noteconv at $NC (set NOTECONV)" >&2; exit 1; }
command -v pandoc >/dev/null || { echo "SKIP: pandoc is not installed"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$corpus" -name '*.md' ! -name README.md | LC_ALL=C sort >"$tmp/list"
n=$(wc -l <"$tmp/list")

now() { date +%s%N; }

s=$(now)
"$NC" -q -s -t html,pdf -j"$jobs" -d "$tmp/ours" $(cat "$tmp/list")
e=$(now)
ours=$(( (e - s) / 1000000 ))
pdfs=$(find "$tmp/ours" -name '*.pdf' | wc -l)
htmls=$(find "$tmp/ours" -name '*.html' | wc -l)

mkdir -p "$tmp/pandoc"
s=$(now)
i=0
while read -r f; do
    i=$((i + 1))
    pandoc -s -t html -o "$tmp/pandoc/$i.html" "$f" 2>/dev/null
done <"$tmp/list"
e=$(now)
theirs=$(( (e - s) / 1000000 ))

echo "notes: $n ($(du -sk "$corpus" | cut -f1) KB with images)"
echo "noteconv -j$jobs -t html,pdf -d: ${ours} ms ($htmls HTML + $pdfs PDF)"
echo "pandoc -t html, one process per note: ${theirs} ms ($(ls "$tmp/pandoc" | wc -l) HTML)"
awk -v a="$ours" -v b="$theirs" 'BEGIN { r = b / (a ? a : 1); printf "ratio: noteconv (HTML + PDF) is %.1fx faster than pandoc (HTML only) (goal: >= 10x): %s\n", r, ((r >= 10) ? "met" : "NOT met") }'
