#!/bin/sh
# run.sh — runs the libFuzzer targets one after the other, each for SECONDS, on seeds copied
# from samples/, ../shared/corpus and tests/fuzz/regress (never written into); prints the
# executions each one ran. Exit 1 when a target found a crash, leak, UB or timeout: the input
# is left in BUILD/fuzz-artifacts/ (keep it as tests/fuzz/regress/TARGET/NAME once fixed).
#   tests/fuzz/run.sh [-b BUILD] [SECONDS] [TARGET...] [-- LIBFUZZER-OPTIONS...]
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$src/build-fuzz
if [ "${1:-}" = -b ]; then build=$(cd "$2" && pwd); shift 2; fi
secs=${1:-30}
[ $# -gt 0 ] && shift
targets=
while [ $# -gt 0 ] && [ "$1" != -- ]; do targets="$targets $1"; shift; done
[ "${1:-}" = -- ] && shift
if [ -z "$targets" ]; then
    for f in "$build"/fuzz_*; do
        [ -x "$f" ] && targets="$targets $(basename "$f" | sed 's/^fuzz_//')"
    done
fi
[ -n "$targets" ] || { echo "run.sh: no fuzz targets in $build (cmake -DNC_FUZZ=ON, CC=clang)"; exit 2; }

# one seed folder per kind of input, flat copies
seeds=$build/fuzz-seeds
rm -rf "$seeds" && mkdir -p "$seeds/md" "$seeds/yaml"
i=0
for f in "$src"/samples/*.md "$src"/tests/golden/*/*.md $(find "$src/../shared/corpus" -name '*.md' 2>/dev/null); do
    [ -f "$f" ] || continue
    i=$((i + 1))
    cp "$f" "$seeds/md/$i.md"
    # the front matter alone seeds the YAML target
    awk 'NR == 1 && $0 != "---" { exit } NR > 1 && $0 == "---" { exit } NR > 1 { print }' \
        "$f" >"$seeds/yaml/$i.yaml"
done
# pandoc JSON seeds for targets whose reader is "json" (fuzz_json_*.c): the same notes through
# pandoc, when it is installed
if ls "$build"/fuzz_json_* >/dev/null 2>&1 && command -v pandoc >/dev/null; then
    mkdir -p "$seeds/json"
    # pandoc itself can take minutes and gigabytes on the pathological seeds (deep nesting):
    # a seed it cannot convert in 10 s is left out
    for f in "$seeds"/md/*.md; do
        out=$seeds/json/$(basename "$f" .md).json
        timeout -s KILL 10 pandoc -f gfm -t json "$f" -o "$out" 2>/dev/null || rm -f "$out"
    done
fi
[ -d "$src/../shared/corpus" ] || echo "run.sh: ../shared/corpus is absent: seeds from samples/ and golden tests only"
mkdir -p "$build/fuzz-artifacts"
status=0
for t in $targets; do
    bin=$build/fuzz_$t
    [ -x "$bin" ] || { echo "run.sh: no target $bin"; status=2; continue; }
    kind=md dict="-dict=$src/tests/fuzz/markdown.dict"
    case $t in
    metadata*) kind=yaml dict= ;;
    json | json_*) kind=json dict= ;; # a pandoc JSON reader target: fuzz_json.c, fuzz_json_to_html.c, ...
    esac
    work=$build/fuzz-corpus/$t
    mkdir -p "$work"
    regress=$src/tests/fuzz/regress/$t
    extra=
    [ -d "$regress" ] && extra=$regress
    [ -d "$seeds/$kind" ] || { echo "run.sh: no $kind seeds for fuzz_$t"; status=2; continue; }
    log=$build/fuzz-$t.log
    # ASan's leak check runs at exit and on every new input (-detect_leaks=1 by default)
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
    LSAN_OPTIONS=suppressions=$src/tests/lsan.supp:print_suppressions=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" $dict "$@" \
        "$work" "$seeds/$kind" $extra >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ $rc -ne 0 ]; then
        echo "fuzz_$t: FAILED (exit $rc) after ${execs:-?} executions; see $log"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|.*Test unit written)' "$log" | head -5
        status=1
    else
        echo "fuzz_$t: ${execs:-?} executions in ${secs}s, no crash, leak or timeout"
    fi
done
exit $status
