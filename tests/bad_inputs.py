#!/usr/bin/env python3
"""bad_inputs.py — runs the bad-input catalogue tests/bad/: each folder is one case, its file
`case` says the arguments ({case}: a copy of the folder, {tmp}: an empty folder), the exit status
and regexes that stderr must match (^$: no message at all). Every case must also leave no
temporary file, no output when it fails, and its inputs unchanged; none may crash or hang."""
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

NC = os.environ.get("NOTECONV")
SRC = os.environ.get("NC_SOURCE_DIR", os.path.join(os.path.dirname(__file__), ".."))


def digests(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def parse(path):
    spec = {"stderr": []}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            key, _, val = line.partition(": ")
            if key == "stderr":
                spec["stderr"].append(val)
            else:
                spec[key] = val
    return spec


def main():
    if not NC:
        print("NOTECONV is not set")
        return 2
    root = os.path.join(SRC, "tests", "bad")
    names = sorted(os.listdir(root))
    only = sys.argv[1:]
    fails = 0
    for name in names:
        if only and name not in only:
            continue
        spec = parse(os.path.join(root, name, "case"))
        if "/dev/full" in spec["args"] and not os.access("/dev/full", os.W_OK):
            print("skip %s: no writable /dev/full" % name)
            continue
        with tempfile.TemporaryDirectory() as t:
            case = os.path.join(t, "case")
            tmp = os.path.join(t, "tmp")
            shutil.copytree(os.path.join(root, name), case)
            os.mkdir(tmp)
            before = digests(case)
            args = [a.replace("{case}", case).replace("{tmp}", tmp) for a in spec["args"].split()]
            why = []
            try:
                p = subprocess.run([NC, *args], capture_output=True, timeout=120)
            except subprocess.TimeoutExpired:
                print("FAIL %s: no result after 120 s" % name)
                fails += 1
                continue
            err = p.stderr.decode("utf-8", "replace")
            if p.returncode < 0:
                why.append("killed by %s" % signal.Signals(-p.returncode).name)
            elif p.returncode != int(spec["exit"]):
                why.append("exit %d, want %s" % (p.returncode, spec["exit"]))
            for rx in spec["stderr"]:
                if rx == "^$":
                    if err:
                        why.append("unexpected messages")
                elif not re.search(rx, err, re.M):
                    why.append("stderr does not match /%s/" % rx)
            if "AddressSanitizer" in err or "runtime error:" in err or "LeakSanitizer" in err:
                why.append("sanitizer report")
            for d, _, files in os.walk(t):
                stray = [f for f in files if f.endswith(".tmp")]
                if stray:
                    why.append("left temporary files %s" % stray)
            outs = os.listdir(tmp)
            if p.returncode != 0 and outs:
                why.append("failed but left output %s" % outs)
            if p.returncode == 0 and "-o" in args and args[args.index("-o") + 1].startswith(tmp):
                if not outs or os.path.getsize(os.path.join(tmp, outs[0])) == 0:
                    why.append("no output")
            if digests(case) != before:
                why.append("an input was modified")
            if why:
                fails += 1
                print("FAIL %s: %s" % (name, "; ".join(why)))
                for line in err.splitlines()[:8]:
                    print("     | " + line)
            else:
                print("ok   %-28s exit %s  %s" % (name, spec["exit"],
                                                  err.splitlines()[0][:90] if err else "(silent)"))
    print("%d failed" % fails if fails else "all cases give their documented result")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
