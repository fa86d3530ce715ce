#!/usr/bin/env python3
"""json_corpus.py — pandoc JSON over the shared corpus: our round trip through -t json and
-f json gives the same HTML byte for byte (both pandoc-api versions; the default filters run
again on the second pass and must leave their own output alone), pandoc reads what we write,
and we read what pandoc writes with the text of every note intact."""
import concurrent.futures
import difflib
import html
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys

NC = os.environ.get("NOTECONV")
CORPUS = os.path.join(os.environ.get("NC_SOURCE_DIR", "."), "..", "shared", "corpus")
if not NC:
    sys.exit("NOTECONV must name the noteconv binary")
if not os.path.isdir(CORPUS):
    print(f"SKIP: no corpus at {CORPUS} (../shared is not beside this tree)")
    sys.exit(77)
PANDOC = shutil.which("pandoc")
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")


def run(args, cwd, data=None):
    p = subprocess.run(args, cwd=cwd, input=data, capture_output=True, env=ENV, timeout=300)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def pandoc_api():
    """The pandoc-api minor version of the installed pandoc: 22, 23, or None."""
    rc, out, _ = run([PANDOC, "-f", "markdown", "-t", "json"], ".", b"")
    m = re.search(rb'"pandoc-api-version":\[1,(\d+)', out) if rc == 0 else None
    return int(m.group(1)) if m else None


class Text(html.parser.HTMLParser):
    """The text of an HTML fragment, without the tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(markup):
    t = Text()
    t.feed(markup)
    t.close()
    return re.sub(r"\s+", "", "".join(t.parts))


def strs(node, out):
    """Every Str of a pandoc JSON value, in order."""
    if isinstance(node, dict):
        if node.get("t") == "Str":
            out.append(node["c"])
        else:
            strs(node.get("c"), out)
    elif isinstance(node, list):
        for x in node:
            strs(x, out)
    return out


def check(path, api, compare):
    errors = []
    cwd, name = os.path.dirname(path), os.path.basename(path)
    rc, want, err = run([NC, "-q", "-t", "html", name], cwd)
    if rc != 0:
        return [f"noteconv -t html failed: {err}"], None
    for ver in ("1.22", "1.23"):
        rc, js, err = run([NC, "-q", "-t", "json", f"--pandoc-api={ver}", name], cwd)
        if rc != 0:
            errors.append(f"-t json --pandoc-api={ver} failed: {err}")
            continue
        try:
            json.loads(js)
        except ValueError as e:
            errors.append(f"-t json --pandoc-api={ver} is not JSON: {e}")
            continue
        rc, got, err = run([NC, "-q", "-f", "json", "-t", "html"], cwd, js)
        if rc != 0:
            errors.append(f"-f json (api {ver}) failed: {err}")
        elif got != want:
            diff = difflib.unified_diff(want.decode().splitlines(), got.decode().splitlines(),
                                        "html", f"html via json {ver}", lineterm="", n=1)
            errors.append(f"round trip through api {ver} differs:\n" + "\n".join(list(diff)[:20]))
        if PANDOC and api and ver == f"1.{api}":
            rc, _, err = run([PANDOC, "-f", "json", "-t", "native"], cwd, js)
            if rc != 0:
                errors.append(f"pandoc -f json rejects our api {ver} output: {err}")
    if not PANDOC:
        return errors, None
    rc, pjs, err = run([PANDOC, "-f", "gfm", "-t", "json", name], cwd)
    if rc != 0:
        return errors + [f"pandoc -f gfm failed: {err}"], None
    # pandoc left the shortcodes as text: ours must too, to compare
    rc, ours, err = run([NC, "-q", "-f", "json", "-t", "html", "--no-filter=hugo-shortcodes"],
                        cwd, pjs)
    if rc != 0:
        return errors + [f"noteconv -f json on pandoc's JSON failed: {err}"], None
    text = text_of(ours.decode())
    lost = [s for s in strs(json.loads(pjs)["blocks"], []) if re.sub(r"\s+", "", s) not in text]
    if lost:
        errors.append(f"text of pandoc's JSON missing from our HTML: {lost[:5]}")
    if not compare:
        return errors, None
    rc, phtml, _ = run([PANDOC, "-f", "gfm", "-t", "html", name], cwd)
    ratio = difflib.SequenceMatcher(None, text_of(phtml.decode()), text, autojunk=False).ratio() \
        if rc == 0 else None
    return errors, ratio


def main():
    notes = sorted(os.path.join(d, f) for d, _, fs in os.walk(CORPUS) for f in fs
                   if f.endswith(".md") and f != "README.md")
    if os.environ.get("NC_SANITIZED") == "1":
        notes = notes[::8]
        print(f"sanitized build: a subset of {len(notes)} notes")
    api = pandoc_api() if PANDOC else None
    if not PANDOC:
        print("pandoc not found: only our own round trips are checked")
    else:
        print(f"pandoc found, pandoc-api 1.{api}")
    failed = 0
    ratios = []
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        # pandoc's own HTML, for a loose comparison of the text, on every third note (pandoc
        # takes a third of a second to start)
        jobs = ex.map(lambda ip: check(ip[1], api, ip[0] % 3 == 0), enumerate(notes))
        for path, (errors, ratio) in zip(notes, jobs):
            rel = os.path.relpath(path, CORPUS)
            if ratio is not None:
                ratios.append((ratio, rel))
            if errors:
                failed += 1
                print(f"FAIL {rel}:")
                for e in errors:
                    print("  " + e)
    if ratios:
        ratios.sort()
        mean = sum(r for r, _ in ratios) / len(ratios)
        print(f"text of pandoc's HTML vs ours from pandoc's JSON, {len(ratios)} notes: mean "
              f"similarity {mean:.3f}, lowest {ratios[0][0]:.3f} ({ratios[0][1]})")
        if ratios[0][0] < 0.9:
            print("FAIL: a note's text differs too much from pandoc's rendering")
            failed += 1
    print(f"json corpus: {len(notes) - failed} of {len(notes)} notes passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
