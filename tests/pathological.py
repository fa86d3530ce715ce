#!/usr/bin/env python3
"""pathological.py — generates the pathological inputs of issue 10 (deep nesting, a million
emphasis markers, a 50 MB line, 100,000 notes, a 1,000 x 100 table, a YAML alias bomb,
100,000 headings) and checks that each converts, or fails with a clear error, within a
generous bound, to every format; a hang or stack-overflow detector, not a benchmark.

  pathological.py list                      the case names
  pathological.py gen CASE SCALE FILE       writes CASE at SCALE (1.0 = the issue's size)
  pathological.py [--scale S] [CASE...]     the test (ctest runs it at a small scale)
"""
import os
import subprocess
import sys
import tempfile
import time


def nest(opener, closer, n, middle="a"):
    return (opener * n + middle + closer * n + "\n").encode()


def alias_bomb(n):
    # "billion laughs": each level lists the previous one ten times; levels grow with n
    levels = max(2, min(12, n))
    out = ["---", 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        out.append("l%d: &l%d [%s]" % (i, i, ", ".join(["*l%d" % (i - 1)] * 10)))
    out += ["title: bomb", "---", "", "body", ""]
    return "\n".join(out).encode()


# name: (what it is, size at scale 1.0, generator of that size, expected outcome)
# outcome "ok": converts (exit 0); otherwise a regex the error must match (exit 3) — a case
# may fail at the size only because a documented limit stops it
CASES = {
    "nest-lists": ("lists nested N deep", 10000, lambda n: ("- " * n + "a\n").encode()),
    "nest-ordered": ("ordered lists nested N deep", 10000, lambda n: ("1. " * n + "a\n").encode()),
    "nest-quotes": ("block quotes nested N deep", 10000, lambda n: ("> " * n + "a\n").encode()),
    "nest-emph": ("emphasis nested N deep", 10000, lambda n: nest("*", "*", n)),
    "nest-strong-emph": ("alternating strong and emphasis N deep", 10000,
                         lambda n: nest("**_", "_**", n // 2)),
    "nest-links": ("links nested N deep (brackets)", 10000, lambda n: nest("[", "](/u)", n)),
    "nest-images": ("images nested N deep", 10000, lambda n: nest("![", "](/i.png)", n)),
    # (not emphasis inside deep lists: cmark-gfm checks every inline it inserts against all
    # its ancestors, so that costs depth x inlines — bounded by --max-depth, see README)
    "nest-mixed": ("quotes and lists alternating N deep", 10000,
                   lambda n: ("> - " * (n // 2) + "a\n").encode()),
    "emph-markers": ("N emphasis markers", 1000000,
                     lambda n: ("*a _b " * (n // 2) + "\n").encode()),
    "emph-unclosed": ("N unmatched emphasis openers", 1000000, lambda n: ("*" * n + "a\n").encode()),
    "long-line": ("a single line of N bytes", 50_000_000,
                  lambda n: (("word 日本語の文 " * (n // 20 + 1))[: n // 1] + "\n").encode()[:n]),
    "footnotes": ("N footnotes", 100000,
                  lambda n: ("".join("a[^%d] " % i for i in range(n)) + "\n\n" +
                             "".join("[^%d]: note %d\n" % (i, i) for i in range(n))).encode()),
    "table": ("a table of N rows x 100 columns", 1000,
              lambda n: ("|" + "|".join("h%d" % c for c in range(100)) + "|\n|" + "---|" * 100 + "\n" +
                         "".join("|" + "|".join("r%dc%d" % (r, c) for c in range(100)) + "|\n"
                                 for r in range(n))).encode()),
    "alias-bomb": ("a YAML alias bomb of N levels", 10, alias_bomb),
    "headings": ("N headings (all with the same text)", 100000,
                 lambda n: "".join("# 見出し\n\n" for _ in range(n)).encode()),
    "links-refs": ("N reference links and definitions", 100000,
                   lambda n: ("".join("[l%d] " % i for i in range(n)) + "\n\n" +
                              "".join("[l%d]: /u%d\n" % (i, i) for i in range(n))).encode()),
}

# The error each case may end with instead of a conversion (its documented limit).
EXPECTED_ERRORS = {
    "nest-lists": "nesting deeper than",
    "nest-ordered": "nesting deeper than",
    "nest-quotes": "nesting deeper than",
    "nest-emph": "nesting deeper than",
    "nest-strong-emph": "nesting deeper than",
    "nest-links": "nesting deeper than",
    "nest-images": "nesting deeper than",
    "nest-mixed": "nesting deeper than",
    "alias-bomb": "expands to more than",
}


def size_at(case, scale):
    if case == "alias-bomb":
        return 10  # ten levels at any scale: the budget must stop it, and quickly
    return max(1, int(CASES[case][1] * scale))


def generate(case, scale):
    return CASES[case][2](size_at(case, scale))


def main(argv):
    if argv[:1] == ["list"]:
        for k, v in CASES.items():
            print("%-18s %s (N = %d at scale 1)" % (k, v[0], v[1]))
        return 0
    if argv[:1] == ["gen"]:
        case, scale, path = argv[1], float(argv[2]), argv[3]
        with open(path, "wb") as f:
            f.write(generate(case, scale))
        return 0
    scale = 0.01
    if argv[:1] == ["--scale"]:
        scale, argv = float(argv[1]), argv[2:]
    nc = os.environ.get("NOTECONV")
    if not nc:
        print("NOTECONV is not set")
        return 2
    sanitized = os.environ.get("NC_SANITIZED") == "1"
    cases = argv or list(CASES)
    # generous: a hang detector only (a case takes well under a second in a release build)
    bound = 600 if sanitized else 120
    fails = 0
    formats = (("html", []), ("html", ["-s"]), ("pdf-layout", []), ("pdf", []))
    if sanitized:
        # the sanitizer build is ten times slower: the reader and both layouts, not the backend
        formats = (("html", []), ("pdf-layout", []))
        print("NC_SANITIZED=1: html and pdf-layout only")
    with tempfile.TemporaryDirectory() as t:
        for case in cases:
            src = os.path.join(t, case + ".md")
            with open(src, "wb") as f:
                f.write(generate(case, scale))
            for fmt, extra in formats:
                # deep cases also run with the limit lifted: no stack overflow at any depth
                for depth in ([], ["--max-depth=1000000"]) if case.startswith("nest") else ([],):
                    out = os.path.join(t, "out")
                    cmd = [nc, "-t", fmt, *extra, *depth, src, "-o", out]
                    label = "%s (N=%d) %s" % (case, size_at(case, scale), " ".join(["-t", fmt, *extra, *depth]))
                    t0 = time.monotonic()
                    try:
                        p = subprocess.run(cmd, capture_output=True, timeout=bound)
                    except subprocess.TimeoutExpired:
                        print("FAIL %s: no result after %d s" % (label, bound))
                        fails += 1
                        continue
                    dt = time.monotonic() - t0
                    err = p.stderr.decode("utf-8", "replace")
                    want = EXPECTED_ERRORS.get(case)
                    if p.returncode == 0:
                        ok = os.path.getsize(out) > 0
                        why = "empty output"
                    elif p.returncode == 3 and want and want in err and (": error: " in err):
                        ok = True
                        why = ""
                    else:
                        ok = False
                        why = "exit %d: %s" % (p.returncode, err.strip()[-400:])
                    if os.path.exists(out):
                        os.unlink(out)
                    leftovers = [x for x in os.listdir(t) if x.endswith(".tmp")]
                    if leftovers:
                        ok, why = False, "left temporary files %s" % leftovers
                    print("%s %-70s %6.2f s%s" % ("ok  " if ok else "FAIL", label, dt,
                                                  "" if p.returncode == 0 else "  (exit %d: %s)" % (
                                                      p.returncode, err.strip().splitlines()[-1][:80] if err.strip() else "")))
                    if not ok:
                        print("     " + why)
                        fails += 1
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
