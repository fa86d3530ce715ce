#!/usr/bin/env python3
"""outline_check.py — `noteconv -t outline` on every shared note, the samples and the golden
inputs: the output parses as strict JSON, validates against doc/outline.schema.json, agrees
with itself (tree nesting, counts per node kind, anchors) and its word counts agree with a
second count made here from the HTML writer's text. Skips the corpus (not the rest) when
../shared is absent."""
import glob
import html.parser
import json
import os
import subprocess
import sys
import unicodedata

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema is not installed (setup.sh installs it)")
    sys.exit(77)

NOTECONV = os.environ["NOTECONV"]
SRC = os.environ["NC_SOURCE_DIR"]


def strict_json(data: bytes):
    def no_constant(name):
        raise ValueError(f"{name} is not JSON")
    text = data.decode("utf-8")  # raises on invalid UTF-8
    return json.loads(text, parse_constant=no_constant)


# ---- the counting rule of the README, written a second time from its words ----

def cls(ch: str) -> str:
    cp = ord(ch)
    if (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x3FFFF or 0x3005 <= cp <= 0x3007
            or (0x3040 <= cp <= 0x30FF and cp not in (0x30FB, 0x30A0))
            or 0x31F0 <= cp <= 0x31FF or 0xFF66 <= cp <= 0xFF9F
            or 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F):
        return "cjk"
    if 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
        return "alnum"
    if ch.isspace() or unicodedata.category(ch) in ("Zs", "Zl", "Zp"):
        return "space"
    if (0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFF65 or 0xFE30 <= cp <= 0xFE4F
            or cp in (0x30FB, 0x30A0)):
        return "cjkpunct"
    if unicodedata.category(ch)[0] in "LN":
        return "alnum"
    return "punct"


def count(text: str):
    latin = cjk = nonspace = 0
    in_word = has_alnum = False
    for ch in text + " ":
        c = cls(ch)
        if c in ("alnum", "punct"):
            in_word = True
            has_alnum = has_alnum or c == "alnum"
            nonspace += 1
            continue
        if in_word and has_alnum:
            latin += 1
        in_word = has_alnum = False
        if c != "space":
            nonspace += 1
        if c == "cjk":
            cjk += 1
    return latin, cjk, nonspace


class Prose(html.parser.HTMLParser):
    """The text of an HTML fragment outside <pre> and outside the footnote marks that
    cmark-gfm adds (reference numbers, back links); blocks end words."""
    BLOCKS = {"p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td",
              "th", "tr", "table", "section", "div", "hr", "figure", "figcaption", "br",
              "thead", "tbody", "dl", "dt", "dd"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = []  # open tags whose text is not prose

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        klass = a.get("class") or ""
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if (tag == "pre" or "footnote-ref" in klass or "footnote-backref" in klass
                or (tag == "nav" and a.get("id") == "TOC")):
            self.skip.append(tag)
        elif self.skip and tag == self.skip[-1]:
            self.skip.append(tag)

    def handle_endtag(self, tag):
        if self.skip and tag == self.skip[-1]:
            self.skip.pop()
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def check_tree(headings, parent_level, errors, where):
    n = 0
    for h in headings:
        if h["level"] <= parent_level:
            errors.append(f"{where}: heading level {h['level']} under level {parent_level}")
        n += 1 + check_tree(h["children"], h["level"], errors, where)
    return n


def flat(headings):
    for h in headings:
        yield h
        yield from flat(h["children"])


def check(path, schema_validator, errors, crossed):
    where = os.path.relpath(path, os.path.dirname(SRC))
    r = subprocess.run([NOTECONV, "-q", "-t", "outline", path], capture_output=True)
    if r.returncode != 0:
        errors.append(f"{where}: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
        return
    try:
        out = strict_json(r.stdout)
    except ValueError as e:
        errors.append(f"{where}: not strict JSON: {e}")
        return
    bad = [f"{where}: schema: {'/'.join(map(str, e.absolute_path))}: {e.message}"
           for e in schema_validator.iter_errors(out)]
    if bad:
        errors.extend(bad)
        return
    nodes = out["stats"]["nodes"]
    nh = check_tree(out["headings"], 0, errors, where)
    lines = [h["line"] for h in flat(out["headings"])]
    if lines != sorted(lines):
        errors.append(f"{where}: headings out of document order: {lines}")
    pairs = [(nh, "Header"), (len(out["links"]), "Link"), (len(out["images"]), "Image"),
             (len(out["code_blocks"]), "CodeBlock")]
    for got, kind in pairs:
        if got != nodes.get(kind, 0):
            errors.append(f"{where}: {got} listed but nodes.{kind} = {nodes.get(kind, 0)}")
    notes, refs = out["footnotes"], nodes.get("Note", 0)
    if not (notes <= refs and (notes > 0) == (refs > 0)):
        errors.append(f"{where}: {notes} footnotes but {refs} references")
    if list(nodes) != sorted(nodes):
        errors.append(f"{where}: nodes not in alphabetical order")
    ids = {h["id"] for h in flat(out["headings"]) if h["id"]}
    for link in out["links"]:
        if link["kind"] == "anchor" and link["target"][1:] in ids and not link["anchor_exists"]:
            errors.append(f"{where}: {link['target']} names a heading but anchor_exists is false")
    st = out["stats"]
    if st["words"] != st["latin_words"] + st["cjk_characters"]:
        errors.append(f"{where}: words != latin_words + cjk_characters")
    secs = round(st["cjk_characters"] * 60 / 500 + st["latin_words"] * 60 / 200)
    if abs(st["reading_time"]["seconds"] - secs) > 1:
        errors.append(f"{where}: reading time {st['reading_time']['seconds']} s, want {secs}")
    # the same counts from the HTML writer's text, where that text is the same prose: raw
    # HTML is text in the HTML page but not prose in the outline
    if nodes.get("RawBlock") or nodes.get("RawInline"):
        return
    crossed.append(where)
    h = subprocess.run([NOTECONV, "-q", "-t", "html", path], capture_output=True, check=True)
    p = Prose()
    p.feed(h.stdout.decode("utf-8"))
    p.close()
    latin, cjk, nonspace = count("".join(p.parts))
    want = {"latin_words": latin, "cjk_characters": cjk, "characters_no_spaces": nonspace}
    for k, v in want.items():
        if st[k] != v:
            errors.append(f"{where}: stats.{k} = {st[k]}, the HTML's text gives {v}")


def run(args, data=None):
    r = subprocess.run([NOTECONV.encode()] + args, input=data, capture_output=True)
    if r.returncode != 0:
        raise RuntimeError(f"{args}: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
    return r.stdout


def cli_cases(validator, errors):
    """What the notes alone do not show: several inputs, stdin, -V compact, bytes that are
    not UTF-8 and control characters in metadata, determinism."""
    def expect(cond, what):
        if not cond:
            errors.append("cli: " + what)
    a = os.path.join(SRC, "samples", "ja-event-note.md")
    b = os.path.join(SRC, "samples", "en-release-notes.md")
    both = strict_json(run([b"-q", b"-t", b"outline", a.encode(), b.encode()]))
    expect(validator.is_valid(both), "two inputs: not valid")
    files = {x.get("file") for x in both["links"] + both["images"] + both["code_blocks"]}
    expect(files == {None, b}, f"two inputs: the second's items should carry file, got {files}")
    expect(all("file" not in h for h in both["headings"][:1]), "first input's heading has file")
    piped = strict_json(run([b"-q", b"-t", b"outline"], open(a, "rb").read()))
    expect(piped["source"] == "-", f"stdin: source {piped['source']!r}")
    pretty = run([b"-q", b"-t", b"outline", a.encode()])
    compact = run([b"-q", b"-t", b"outline", b"-V", b"compact", a.encode()])
    expect(compact.count(b"\n") == 1 and strict_json(compact) == strict_json(pretty),
           "-V compact: not the same object on one line")
    expect(pretty == run([b"-q", b"-t", b"outline", a.encode()]), "two runs differ")
    odd = strict_json(run([b"-q", b"-t", b"outline", b"-M", b"x=a\x01b\xff\xe2\x80\xa8\"\\",
                           b"-M", b"n=12", a.encode()]))
    expect(odd["metadata"].get("x") == "a\x01b\ufffd\u2028\"\\",
           f"-M with odd bytes: {odd['metadata'].get('x')!r}")
    raw = run([b"-q", b"-t", b"outline", b"-M", b"x=a\x01\xe2\x80\xa8", a.encode()])
    expect(b"\\u0001" in raw and b"\\u2028" in raw and b"\x01" not in raw,
           "control characters and U+2028 are not escaped")
    empty = strict_json(run([b"-q", b"-t", b"outline"], b""))
    expect(validator.is_valid(empty) and empty["title"] is None and
           empty["stats"]["reading_time"] == {"minutes": 0, "seconds": 0},
           f"empty input: {empty}")


def main() -> int:
    with open(os.path.join(SRC, "doc", "outline.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors, crossed = [], []
    own = sorted(glob.glob(os.path.join(SRC, "samples", "*.md")) +
                 glob.glob(os.path.join(SRC, "tests", "golden", "*", "*.md")))
    for path in own:
        check(path, validator, errors, crossed)
    cli_cases(validator, errors)
    corpus = os.path.normpath(os.path.join(SRC, "..", "shared", "corpus"))
    notes = []
    if os.path.isdir(corpus):
        notes = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus)
                       for f in fs if f.endswith(".md") and f != "README.md")
        if os.environ.get("NC_SANITIZED"):
            notes = notes[::4]
            print(f"sanitized build: every fourth shared note ({len(notes)})")
        for path in notes:
            check(path, validator, errors, crossed)
    else:
        print(f"SKIP corpus: {corpus} is absent (the shared corpus sits beside the project)")
    for e in errors:
        print("FAIL " + e)
    print(f"outline: {len(own)} own notes and {len(notes)} shared notes valid; word counts "
          f"checked against the HTML's text on the {len(crossed)} without raw HTML; "
          f"{len(errors)} failures")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
