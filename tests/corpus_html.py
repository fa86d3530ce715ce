#!/usr/bin/env python3
"""corpus_html.py — every note of ../shared/corpus converts to HTML with exit 0, and the body
matches cmark-gfm's own rendering of the same body (front matter removed), byte for byte,
apart from the differences listed in DIFFERENCES."""
import os
import re
import subprocess
import sys

# Documented differences between `noteconv -t html` and
# cmark-gfm's own renderer with the table, strikethrough, autolink and tasklist extensions and
# the UNSAFE and FOOTNOTES options (tests/tools/cmark_ref.c: Debian's cmark-gfm command cannot
# turn footnotes on):
DIFFERENCES = [
    # heading-ids (on by default, like pandoc's auto_identifiers) gives every heading an id;
    # cmark-gfm gives none.
    (re.compile(r'<h([1-6]) id="[^"]*">'), r'<h\1>'),
]
# hugo-shortcodes (on by default) turns Hugo's {{< figure >}}, {{< x >}}, {{< youtube >}}
# and {{< ref >}} into images, figures and links, where cmark-gfm shows the shortcode as text
# (or, written without spaces, as a raw <figure> tag left open). The comparison is made with
# the filter off; every note must also convert with it on.
NO_HUGO = ["--no-filter", "hugo-shortcodes"]
# east-asian-breaks (on by default for Japanese notes) drops a line break between two Japanese
# characters, where cmark-gfm keeps it; the comparison is made with it off too.
NO_HUGO += ["--no-filter", "east-asian-breaks"]



def body_of(data: bytes) -> bytes:
    """The Markdown body, as the reader sees it: BOM and front matter removed."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    first = lines[0].rstrip(b"\r").rstrip(b" \t")
    if first in (b"---", b"+++"):
        closers = (b"---", b"...") if first == b"---" else (b"+++",)
        for i in range(1, len(lines)):
            if lines[i].rstrip(b"\r").rstrip(b" \t") in closers:
                return b"\n".join(lines[i + 1:])
    return data


def main() -> int:
    noteconv = os.environ["NOTECONV"]
    src = os.environ["NC_SOURCE_DIR"]
    corpus = os.path.normpath(os.path.join(src, "..", "shared", "corpus"))
    if not os.path.isdir(corpus):
        print(f"SKIP: {corpus} is absent (the shared corpus sits beside the project)")
        return 77
    notes = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus)
                   for f in fs if f.endswith(".md") and f != "README.md")
    failed = 0
    for note in notes:
        rel = os.path.relpath(note, corpus)
        default = subprocess.run([noteconv, "-q", "-t", "html", note], capture_output=True)
        if default.returncode != 0:
            print(f"FAIL {rel}: exit {default.returncode}: "
                  f"{default.stderr.decode(errors='replace')}")
            failed += 1
            continue
        ours = subprocess.run([noteconv, "-q", "-t", "html"] + NO_HUGO + [note],
                              capture_output=True)
        if ours.returncode != 0:
            print(f"FAIL {rel}: exit {ours.returncode}: {ours.stderr.decode(errors='replace')}")
            failed += 1
            continue
        with open(note, "rb") as f:
            body = body_of(f.read())
        ref = subprocess.run([os.environ["CMARK_REF"]],
                             input=body, capture_output=True, check=True).stdout
        got = ours.stdout
        for pattern, repl in DIFFERENCES:
            got = pattern.sub(repl, got.decode()).encode()
        if got != ref:
            failed += 1
            a, b = ref.decode(errors="replace").splitlines(), got.decode(errors="replace").splitlines()
            for i, (x, y) in enumerate(zip(a + [""] * len(b), b + [""] * len(a))):
                if x != y:
                    print(f"FAIL {rel}: first difference at output line {i + 1}:\n"
                          f"  cmark-gfm: {x[:200]}\n  noteconv:  {y[:200]}")
                    break
    print(f"corpus: {len(notes) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
