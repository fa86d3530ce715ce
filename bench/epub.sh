#!/bin/sh
# epub.sh — noteconv -t epub against `pandoc -o x.epub` on the reference note and on a book of
# all the shared notes (163), one run each, side by side; prints the CPU times and the ratios
# (goal: noteconv >= 50x faster). Both get the same notes and SOURCE_DATE_EPOCH; pandoc gets
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

ms() { # CPU time (user + system) in ms of one run of "$@": the machine may be shared, and wall
       # time would measure the neighbours too; a failed run fails the benchmark. It runs in
       # the $(...) subshell, whose only finished child is the command: times' second line.
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    times >"$tmp/times"
    awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/);
         t += p[1] * 60000 + p[2] * 1000 } printf "%d\n", t }' "$tmp/times"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0fx", b / (a ? a : 1) }'; }


# shellcheck disable=SC2046
a=$(ms "$NC" -q -o "$tmp/nc-ref.epub" "$ref")
b=$(ms pandoc -o "$tmp/pd-ref.epub" --resource-path="$(dirname "$ref")" "$ref")
# shellcheck disable=SC2046
c=$(ms "$NC" -q -o "$tmp/nc-all.epub" $(cat "$tmp/list"))
# shellcheck disable=SC2046
d=$(ms pandoc -o "$tmp/pd-all.epub" --resource-path="$dirs" $(cat "$tmp/list"))
[ "$a" -gt 0 ] || a=1
[ "$c" -gt 0 ] || c=1
echo "reference note: noteconv ${a} ms, pandoc ${b} ms: $(ratio "$a" "$b") faster (goal: >= 50x)"
echo "book of $(wc -l <"$tmp/list") notes: noteconv ${c} ms ($(wc -c <"$tmp/nc-all.epub") bytes)," \
     "pandoc ${d} ms ($(wc -c <"$tmp/pd-all.epub") bytes): $(ratio "$c" "$d") faster (goal: >= 50x)"
