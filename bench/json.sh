#!/bin/sh
# json.sh — pandoc JSON write + read, noteconv against pandoc, on the concatenation of the
# shared corpus (bodies only), run side by side; prints each step's time (best of 3) and the
# ratio against the goal of >= 20x. Write is Markdown to JSON (`-t json` against
# `pandoc -f gfm -t json`); read is pandoc's JSON of the same text to JSON again (`-f json
# -t json` against `pandoc -f json -t json`), so both readers get the same input. Each
# command's CPU time counts, as well as its wall time: on a loaded machine only the first
# says what a conversion costs.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
NC=${NOTECONV:-$here/build/noteconv}
corpus=$here/../shared/corpus
[ -d "$corpus" ] || { echo "SKIP: $corpus is absent"; exit 0; }
[ -x "$NC" ] || { echo "no noteconv at $NC (set NOTECONV)" >&2; exit 1; }
command -v pandoc >/dev/null || { echo "SKIP: pandoc is not installed"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$corpus" -name '*.md' ! -name README.md | sort >"$tmp/list"
. "$here/bench/lib.sh"
corpus_bodies "$tmp/list" "$tmp/one.md"
size=$(wc -c <"$tmp/one.md")
pandoc -f gfm -t json "$tmp/one.md" >"$tmp/pandoc.json"
jsize=$(wc -c <"$tmp/pandoc.json")

set -- $(best 3 "$NC" -t json "$tmp/one.md"); ow=$1 owc=$2
set -- $(best 3 pandoc -f gfm -t json "$tmp/one.md"); pw=$1 pwc=$2
set -- $(best 3 "$NC" -f json -t json "$tmp/pandoc.json"); or=$1 orc=$2
set -- $(best 3 pandoc -f json -t json "$tmp/pandoc.json"); pr=$1 prc=$2
echo "input: $size bytes of Markdown ($(wc -l <"$tmp/list") notes), $jsize bytes of pandoc JSON"
echo "times in ms, wall / CPU (best of 3):"
echo "write  noteconv -t json: $ow / $owc    pandoc -f gfm -t json: $pw / $pwc"
echo "read   noteconv -f json -t json: $or / $orc    pandoc -f json -t json: $pr / $prc"
awk -v ow="$ow" -v pw="$pw" -v or="$or" -v pr="$pr" \
    -v owc="$owc" -v pwc="$pwc" -v orc="$orc" -v prc="$prc" 'BEGIN {
    o = ow + or; p = pw + pr; oc = owc + orc; pc = pwc + prc
    printf "write + read: noteconv %d / %d, pandoc %d / %d\n", o, oc, p, pc
    printf "ratio (CPU): %.1fx faster than pandoc (goal: >= 20x); write %.1fx, read %.1fx\n",
           pc / (oc ? oc : 1), pwc / (owc ? owc : 1), prc / (orc ? orc : 1)
    printf "ratio (wall): %.1fx\n", p / (o ? o : 1)
}'
