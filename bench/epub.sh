#!/bin/sh
# epub.sh — noteconv -t epub against `pandoc -o x.epub` on the reference note and on a book of
# all the shared notes (163), side by side; prints the CPU times (best of 5 and 3 runs for
# noteconv, of 3 and 1 for pandoc), the ratios (goal: noteconv >= 50x faster) and, as the floor
# under any single-note time, that of `noteconv --version`. Both get the same notes and SOURCE_DATE_EPOCH; pandoc gets
# each note's folder as --resource-path (it cannot follow Hugo's page-relative image paths,
# so it leaves some pictures out where noteconv puts them in: the ratio flatters pandoc).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
NC=${NOTECONV:-$here/build/noteconv}
corpus=$here/../shared/corpus
[ -d "$corpus" ] || { echo "SKIP: $corpus is absent"; exit 0; }
[ -x "$NC" ] || { echo "no noteconv at $NC (set NOTECONV)" >&2; exit 1; }
command -v pandoc >/dev/null || { echo "SKIP: pandoc is absent"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000
ref=$corpus/blog/2019/10/04_aws_devday_2.md
find "$corpus" -name '*.md' ! -name README.md | sort >"$tmp/list"
dirs=$(sed 's|/[^/]*$||' "$tmp/list" | sort -u | tr '\n' ':')

. "$here/bench/lib.sh"
cpu() { # the best CPU time in ms of N runs of the command
    set -- $(best "$@")
    echo "$2"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", b / (a ? a : 1) }'; }

floor=$(cpu 10 "$NC" --version)
a=$(cpu 5 "$NC" -q -o "$tmp/nc-ref.epub" "$ref")
b=$(cpu 3 pandoc -o "$tmp/pd-ref.epub" --resource-path="$(dirname "$ref")" "$ref")
# shellcheck disable=SC2046
c=$(cpu 3 "$NC" -q -o "$tmp/nc-all.epub" $(cat "$tmp/list"))
# shellcheck disable=SC2046
d=$(cpu 1 pandoc -o "$tmp/pd-all.epub" --resource-path="$dirs" $(cat "$tmp/list"))
echo "start-up alone (noteconv --version): ${floor} ms"
echo "reference note: noteconv ${a} ms, pandoc ${b} ms: $(ratio "$a" "$b") faster (goal: >= 50x)"
echo "book of $(wc -l <"$tmp/list") notes: noteconv ${c} ms ($(wc -c <"$tmp/nc-all.epub") bytes)," \
     "pandoc ${d} ms ($(wc -c <"$tmp/pd-all.epub") bytes): $(ratio "$c" "$d") faster (goal: >= 50x)"
