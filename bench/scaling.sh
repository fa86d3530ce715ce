#!/bin/sh
# scaling.sh — each pathological input of tests/pathological.py at 1x and 10x its size, through
# the html and pdf writers: CPU seconds (user + sys, steadier than wall time on a shared machine)
# and the ratio, which should stay <= 12 (linear time; a case that stops at a documented limit
# shows its error instead). 1x is BASE times the size issue 10 names (default 0.1, so that 10x
# is the issue's own size).   bench/scaling.sh [BASE] [CASE...]
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
NC=${NOTECONV:-$here/build/noteconv}
[ -x "$NC" ] || { echo "no noteconv at $NC (set NOTECONV)" >&2; exit 1; }
base=${1:-0.1}
[ $# -gt 0 ] && shift
cases=${*:-$(python3 "$here/tests/pathological.py" list | awk '{print $1}')}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
big=$(python3 -c "print($base * 10)")
worst=0
printf '%-18s %-6s %10s %10s %7s  %s\n' case writer "1x cpu s" "10x cpu s" ratio note
for c in $cases; do
    python3 "$here/tests/pathological.py" gen "$c" "$base" "$tmp/1.md"
    python3 "$here/tests/pathological.py" gen "$c" "$big" "$tmp/10.md"
    for w in html pdf; do
        t1= t10= note=
        for s in 1 10; do
            /usr/bin/time -f '%U %S' -o "$tmp/time" "$NC" -q -t "$w" "$tmp/$s.md" -o "$tmp/out" 2>"$tmp/err"
            rc=$?
            t=$(tail -1 "$tmp/time" | awk '{printf "%.2f", $1 + $2}')
            [ $s = 1 ] && t1=$t || t10=$t
            if [ $rc -ne 0 ]; then
                note="${s}x: exit $rc: $(grep -o 'error: .*' "$tmp/err" | head -1 | cut -c1-60)"
            fi
        done
        ratio=$(awk -v a="$t1" -v b="$t10" 'BEGIN { if (a < 0.05) a = 0.05; printf "%.1f", b / a }')
        printf '%-18s %-6s %10s %10s %7s  %s\n' "$c" "$w" "$t1" "$t10" "$ratio" "$note"
        worst=$(awk -v a="$worst" -v b="$ratio" 'BEGIN { print (b > a) ? b : a }')
    done
done
echo "worst ratio: $worst (goal <= 12; times under 0.05 s count as 0.05 s)"
