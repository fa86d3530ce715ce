#!/usr/bin/env python3
"""signals.py — no data loss: SIGINT/SIGTERM during a conversion (a big PDF being typeset, and
a big HTML file being written) leave neither a partial output nor a temporary file, an old
output stays whole, the process dies of the signal, and the input is never modified."""
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time

NC = os.environ.get("NOTECONV")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pathological  # noqa: E402

fails = 0


def fail(msg):
    global fails
    fails += 1
    print("FAIL: " + msg)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_dir(d, label, keep=()):
    stray = [x for x in os.listdir(d) if x.endswith(".tmp")]
    if stray:
        fail("%s: left temporary files %s" % (label, stray))
    for name, want in keep:
        p = os.path.join(d, name)
        if want is None and os.path.exists(p):
            fail("%s: left a partial output %s" % (label, name))
        elif want is not None and (not os.path.exists(p) or digest(p) != want):
            fail("%s: the old output %s was damaged" % (label, name))


def died_of(p, sig, label):
    if p.returncode != -sig:
        fail("%s: exit status %s, want death by signal %d" % (label, p.returncode, sig))


def main():
    if not NC:
        print("NOTECONV is not set")
        return 2
    slow = os.environ.get("NC_SANITIZED") == "1"
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "big.md")
        with open(src, "wb") as f:
            # a 5 MB paragraph: seconds of line breaking for the PDF writer
            f.write(pathological.generate("long-line", 0.1))
        before = digest(src)

        # 1. killed while typesetting: no output at all, no temporary file
        for sig in (signal.SIGINT, signal.SIGTERM):
            for delay in (0.3, 1.0):
                out = os.path.join(d, "out.pdf")
                p = subprocess.Popen([NC, src, "-o", out], stderr=subprocess.DEVNULL)
                time.sleep(delay * (3 if slow else 1))
                if p.poll() is not None:
                    print("note: the PDF finished before %.1f s; the kill tests nothing" % delay)
                    os.unlink(out)
                    continue
                p.send_signal(sig)
                p.wait()
                label = "PDF killed by %s after %.1f s" % (signal.Signals(sig).name, delay)
                if p.returncode == 0:
                    # it finished between the look and the signal: then the PDF must be whole
                    with open(out, "rb") as f:
                        whole = f.read().rstrip().endswith(b"%%EOF")
                    if not whole:
                        fail("%s: finished, but the PDF is not whole" % label)
                    print("note: the PDF finished just before the signal; the kill tests nothing")
                    os.unlink(out)
                    continue
                died_of(p, sig, label)
                check_dir(d, label, [("out.pdf", None)])
                print("ok   " + label)

        # 2. killed while the temporary file is being written: watch the folder for it
        big = os.path.join(d, "huge.md")
        with open(big, "wb") as f:
            # 100 MB of HTML to write (40 MB under the sanitizers, which hold it several times)
            f.write(b"para " * (8_000_000 if slow else 20_000_000) + b"\n")
        big_before = digest(big)
        old = os.path.join(d, "huge.html")
        with open(old, "wb") as f:
            f.write(b"<p>the old output</p>\n")
        old_digest = digest(old)
        caught = False
        for attempt in range(5):
            p = subprocess.Popen([NC, "-t", "html", big, "-o", old], stderr=subprocess.DEVNULL)
            seen = False
            while p.poll() is None:
                if any(x.endswith(".tmp") for x in os.listdir(d)):
                    seen = True
                    p.send_signal(signal.SIGTERM)
                    break
            p.wait()
            if not seen:
                # finished between two looks: the output must be whole, then try again
                if os.path.getsize(old) < (40_000_000 if slow else 100_000_000):
                    fail("a finished run left a short output")
                with open(old, "wb") as f:
                    f.write(b"<p>the old output</p>\n")
                continue
            caught = True
            label = "HTML killed by SIGTERM while its temporary file was written"
            died_of(p, signal.SIGTERM, label)
            check_dir(d, label, [("huge.html", old_digest)])
            print("ok   " + label)
            break
        if not caught:
            print("note: never caught the temporary file on disk in 5 runs (a fast disk); "
                  "that part tested nothing")
        if digest(src) != before or digest(big) != big_before:
            fail("an input was modified")
        else:
            print("ok   the inputs are unchanged")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
