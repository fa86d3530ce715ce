# lib.sh — what the benchmarks share, sourced by them: the corpus concatenation and a timer.
# Needs $tmp (a scratch folder the caller removes).

# corpus_bodies LIST OUT: the notes named in LIST, front matter left out (it would be Markdown
# to cmark-gfm and pandoc), one after another in OUT
corpus_bodies() {
    : >"$2"
    while read -r f; do
        awk 'NR==1 && ($0=="---" || $0=="+++") {fm=$0; next} fm && ($0==fm || $0=="...") {fm=""; next} !fm' "$f" >>"$2"
        printf '\n\n' >>"$2"
    done <"$1"
}

# best N CMD...: "WALL CPU", the best of N runs of CMD in ms each (CPU = user + system, which
# a machine shared with other work does not inflate as it does the wall time; at the
# microsecond, where the shell's `times` counts in 10 ms ticks). A failed run fails the
# benchmark. Standard output is discarded; CMD writes its result where its options say.
best() {
    python3 - "$@" <<'PY'
import resource, subprocess, sys, time
n, cmd = int(sys.argv[1]), sys.argv[2:]
wall = cpu = None
for _ in range(n):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    if subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode:
        sys.exit("failed: " + " ".join(cmd))
    w = (time.perf_counter() - t0) * 1000
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    c = (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000
    wall = w if wall is None else min(wall, w)
    cpu = c if cpu is None else min(cpu, c)
print(f"{wall:.1f} {cpu:.1f}")
PY
}
