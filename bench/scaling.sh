#!/bin/sh
# scaling.sh — each pathological input of tests/pathological.py at 1x and 10x its size, through
# the html and pdf writers: CPU seconds (user + sys, steadier than wall time on a shared machine)
# and the ratio, which should stay <= 12 (also the ratio of user time alone) (linear time; a case that stops at a documented limit
# shows its error instead). 1x is BASE times the size issue 10 names (default 0.1, so that 10x
# is the issue's own size). Each time is the best of RUNS runs (default 3), at both sizes.
# WRITERS picks the formats (default "html pdf"; any of html pdf json outline xhtml epub).
#   RUNS=N WRITERS="..." bench/scaling.sh [BASE] [CASE...]
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
NC=${NOTECONV:-$here/build/noteconv}
[ -x "$NC" ] || { echo "no noteconv at $NC (set NOTECONV)" >&2; exit 1; }
base=${1:-0.1}
[ $# -gt 0 ] && shift
cases=${*:-$(python3 "$here/tests/pathological.py" list | awk '{print $1}')}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NC_TIME_OUT="$tmp/time"
big=$(python3 -c "print($base * 10)")
worst=0
printf '%-18s %-6s %10s %10s %7s %6s  %s\n' case writer "1x cpu s" "10x cpu s" ratio user note
for c in $cases; do
    python3 "$here/tests/pathological.py" gen "$c" "$base" "$tmp/1.md"
    python3 "$here/tests/pathological.py" gen "$c" "$big" "$tmp/10.md"
    for w in ${WRITERS:-html pdf}; do
        t1= t10= u1= u10= note=
        for s in 1 10; do
            # the child's own rusage, in microseconds (time(1) counts 10 ms ticks, too coarse
            # for the 1x runs); the best of RUNS runs, the same number at both sizes
            python3 -c 'import os, sys
best = None
for _ in range(int(os.environ.get("RUNS", "3"))):
    pid = os.spawnv(os.P_NOWAIT, sys.argv[1], sys.argv[1:])
    _, status, ru = os.wait4(pid, 0)
    if best is None or ru.ru_utime + ru.ru_stime < best[0] + best[1]:
        best = (ru.ru_utime, ru.ru_stime)
    if status:
        break
print(*best, file=open(os.environ["NC_TIME_OUT"], "w"))
sys.exit(os.waitstatus_to_exitcode(status) & 255)' "$NC" -q -t "$w" "$tmp/$s.md" -o "$tmp/out" 2>"$tmp/err"
            rc=$?
            t=$(tail -1 "$tmp/time" | awk '{printf "%.2f", $1 + $2}')
            u=$(tail -1 "$tmp/time" | awk '{printf "%.2f", $1}')
            if [ $s = 1 ]; then t1=$t u1=$u; else t10=$t u10=$u; fi
            if [ $rc -ne 0 ]; then
                note="${s}x: exit $rc: $(grep -o 'error: .*' "$tmp/err" | head -1 | cut -c1-60)"
            fi
        done
        ratio=$(awk -v a="$t1" -v b="$t10" 'BEGIN { if (a < 0.05) a = 0.05; printf "%.1f", b / a }')
        uratio=$(awk -v a="$u1" -v b="$u10" 'BEGIN { if (a < 0.05) a = 0.05; printf "%.1f", b / a }')
        printf '%-18s %-6s %10s %10s %7s %6s  %s\n' "$c" "$w" "$t1" "$t10" "$ratio" "$uratio" "$note"
        worst=$(awk -v a="$worst" -v b="$ratio" 'BEGIN { print (b > a) ? b : a }')
    done
done
echo "worst ratio: $worst (goal <= 12; times under 0.05 s count as 0.05 s)"
echo "user: the ratio of user time alone, noteconv's own work; the rest is the kernel's, mostly"
echo "first touches of fresh memory, which in some VMs cost more per byte the more is touched"
