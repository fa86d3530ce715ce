#!/usr/bin/env python3
"""pdf_check.py — every note (samples/ and ../shared/corpus) converts to PDF with exit 0, and
each PDF is checked the way a reader would notice problems:
  * `qpdf --check` finds no error or warning; poppler (pdftotext, pdffonts) prints nothing on
    stderr; every font is embedded and has a ToUnicode map;
  * line breaking: no line begins with a character that JLREQ forbids at a line start
    (closing brackets, 、。, small kana, ー, ...), read back with `pdftotext -bbox-layout`;
  * no text outside the text block (the page number in the footer aside);
  * the text comes back: every piece of text of the note's HTML rendering appears in the
    PDF's text, in order (whitespace ignored).
Usage: pdf_check.py [NOTE...] (default: samples and the shared corpus)."""
import html
import html.parser
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NO_LINE_START = set("、。，．）」』】〕〉》〙〗〟’”｠»ー々〻ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
                    "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ・：；！？‼⁇⁈⁉゠〜")
# the default page: A4, 20 mm margins, 10 pt text; the footer (page number) sits in the bottom
# margin, which is 20 mm + 10 pt
PAGE_W, PAGE_H = 595.276, 841.890
MARGIN = 20 * 72 / 25.4
TOP, BOTTOM = MARGIN, PAGE_H - (MARGIN + 10)
SLACK = 1.5  # glyph boxes from font ascent/descent may pass the baseline box a little


class Text(html.parser.HTMLParser):
    """The text pieces of an HTML fragment, as a reader sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces = []
        self.notes = []  # footnote text: at the foot of a page, so not in body order
        self.skip = 0
        self.in_notes = 0

    def handle_starttag(self, tag, attrs):
        if tag == "section" and any(k == "class" and v == "footnotes" for k, v in attrs):
            self.in_notes += 1
        elif tag == "section" and self.in_notes:
            self.in_notes += 1
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "a" and any(k == "class" and v == "footnote-backref" for k, v in attrs):
            self.skip += 1
        if tag == "sup" and any(k == "class" and v == "footnote-ref" for k, v in attrs):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "a", "sup") and self.skip:
            self.skip -= 1
        if tag == "section" and self.in_notes:
            self.in_notes -= 1

    def handle_data(self, data):
        if not self.skip:
            t = re.sub(r"\s+", "", data)
            if t:
                (self.notes if self.in_notes else self.pieces).append(t)


def norm(s):
    # pdftotext writes ligatures and the replacement mark as they are drawn
    return re.sub(r"\s+", "", s)


def check_note(nc, note, tmp, rel):
    problems = []
    pdf = os.path.join(tmp, "out.pdf")
    r = subprocess.run([nc, "-q", "-t", "pdf", note, "-o", pdf], capture_output=True)
    if r.returncode != 0:
        return [f"exit {r.returncode}: {r.stderr.decode(errors='replace').strip()}"]
    q = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    if q.returncode != 0 or "WARNING" in q.stdout + q.stderr:
        problems.append("qpdf --check: " + (q.stdout + q.stderr).strip().splitlines()[-1])
    f = subprocess.run(["pdffonts", pdf], capture_output=True, text=True)
    if f.stderr.strip():
        problems.append("pdffonts: " + f.stderr.strip())
    for row in f.stdout.splitlines()[2:]:
        cols = row.split()
        # name type encoding emb sub uni object ID: emb and uni are the 3rd and 1st of the
        # last five columns
        if len(cols) >= 7 and (cols[-5] != "yes" or cols[-3] != "yes"):
            problems.append("font not embedded or without ToUnicode: " + row)
    bbox = os.path.join(tmp, "bbox.html")
    t = subprocess.run(["pdftotext", "-bbox-layout", pdf, bbox], capture_output=True, text=True)
    if t.stderr.strip():
        problems.append("poppler: " + t.stderr.strip().splitlines()[0])
    with open(bbox, encoding="utf-8") as fh:
        doc = fh.read()
    doc = re.sub(r"<!DOCTYPE[^>]*>", "", doc)
    doc = re.sub(r"<head>.*?</head>", "", doc, flags=re.S)
    doc = re.sub(r'\sxmlns="[^"]*"', "", doc)
    root = ET.fromstring(doc)
    # a block that itself begins with such a character is no line-breaking fault
    body = subprocess.run([nc, "-q", "-t", "html", note], capture_output=True).stdout
    starts = set(m.group(1)[:8] for m in re.finditer(
        r"<(?:p|li|td|th|h[1-6]|blockquote)[^>]*>\s*([^<\s][^<]*)", body.decode(errors="replace")))
    starts = set(html.unescape(x).replace(" ", "") for x in starts)
    for pno, page in enumerate(root.iter("page"), 1):
        # pdftotext may cut one printed line in two at a wide gap (an ideographic space):
        # words on one baseline are one line
        words_on_page = [w for line in page.iter("line") for w in line.iter("word")]
        mid = lambda w: (float(w.get("yMin")) + float(w.get("yMax"))) / 2
        words_on_page.sort(key=mid)
        rows = []
        for w in words_on_page:
            # faces differ in ascent and descent: words whose middles are close share a line
            if rows and abs(mid(w) - mid(rows[-1][0])) < 3:
                rows[-1].append(w)
            else:
                rows.append([w])
        for ws in rows:
            ws.sort(key=lambda w: float(w.get("xMin")))
            words = [w.text or "" for w in ws]
            x0 = min(float(w.get("xMin")) for w in ws)
            x1 = max(float(w.get("xMax")) for w in ws)
            y0 = min(float(w.get("yMin")) for w in ws)
            y1 = max(float(w.get("yMax")) for w in ws)
            footer = y0 > BOTTOM and len(words) == 1 and words[0].isdigit()
            if not footer and (x0 < MARGIN - SLACK or x1 > PAGE_W - MARGIN + SLACK or
                               y0 < TOP - SLACK or y1 > BOTTOM + SLACK):
                problems.append(f"page {pno}: text outside the margins at "
                                f"({x0:.1f},{y0:.1f})-({x1:.1f},{y1:.1f}): {' '.join(words)[:60]}")
            first = words[0][:1]
            if first in NO_LINE_START and not any("".join(words).startswith(b) for b in starts):
                problems.append(f"page {pno}: a line begins with '{first}': {' '.join(words)[:60]}")
    # the text in content order (the footer is drawn last on each page)
    raw = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True).stdout
    text = []
    for page in raw.split("\f"):
        lines = [ln for ln in page.splitlines() if ln.strip()]
        text.extend(lines[:-1])
    # the text comes back in order
    p = Text()
    p.feed(body.decode(errors="replace"))
    pdftext = re.sub("[\u21aa\ufe00-\ufe0f]", "", norm("".join(text)))
    pos = 0
    for piece, ordered in [(x, True) for x in p.pieces] + [(x, False) for x in p.notes]:
        if not ordered:
            pos = 0  # footnotes are at the foot of the page that refers to them
        # what no font has is drawn, and read back, as U+FFFD (with a warning)
        piece = "".join(ch if ord(ch) <= 0xFFFF else "\ufffd" for ch in piece
                        if not 0xFE00 <= ord(ch) <= 0xFE0F)
        if not piece:
            continue
        # raw HTML tags are dropped in PDF; the text between them stays
        # any character may have been replaced, if no font had it
        pattern = "".join(re.escape(ch) if ch < "\u0080" else f"(?:{re.escape(ch)}|\ufffd)"
                          for ch in piece)
        m = re.compile(pattern).search(pdftext, pos)
        if not m:
            problems.append(f"text missing or out of order: {piece[:50]}")
            break
        pos = m.end()
    return problems


def main():
    nc = os.environ["NOTECONV"]
    src = os.environ["NC_SOURCE_DIR"]
    notes = sys.argv[1:]
    if not notes:
        notes = sorted(os.path.join(src, "samples", f) for f in os.listdir(os.path.join(src, "samples"))
                       if f.endswith(".md"))
        corpus = os.path.normpath(os.path.join(src, "..", "shared", "corpus"))
        if os.path.isdir(corpus):
            notes += sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus)
                            for f in fs if f.endswith(".md") and f != "README.md")
        else:
            print(f"note: {corpus} is absent; checking samples only")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for note in notes:
            rel = os.path.relpath(note, src)
            problems = check_note(nc, note, tmp, rel)
            if problems:
                failed += 1
                print(f"FAIL {rel}:")
                for pr in problems[:8]:
                    print("   ", pr)
    print(f"pdf: {len(notes) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
