#!/usr/bin/env python3
"""epub_check.py — the xhtml and epub writers: the container's layout (mimetype first and
stored), chapters per note, images, warnings, byte-identical rebuilds; then every note of
../shared/corpus as `-t xhtml -s` through `xmllint --noout`, and as a book, with one book of all
the notes and these tests' own books, through epubcheck (one JVM for all: tests/tools/
EpubCheckMany.java). Under NC_SANITIZED=1 epubcheck sees every 8th note only (it says so)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

NOTECONV = os.environ.get("NOTECONV")
SRC = os.environ.get("NC_SOURCE_DIR", os.path.join(os.path.dirname(__file__), ".."))
EPUBCHECK_JAR = "/usr/share/java/epubcheck.jar"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)


def run(args, cwd=None, env=None):
    e = dict(os.environ)
    e["SOURCE_DATE_EPOCH"] = "1700000000"
    if env:
        e.update(env)
    return subprocess.run([NOTECONV] + args, cwd=cwd, env=e, capture_output=True)


def own_books(tmp):
    """Books made from notes written here; returns their paths for epubcheck."""
    img = os.path.join(SRC, "tests", "images", "interlaced.png")
    os.makedirs(os.path.join(tmp, "posts"))
    # Hugo serves posts/one.md at posts/one/, so "../pic.png" is posts/pic.png
    shutil.copy(img, os.path.join(tmp, "posts", "pic.png"))
    shutil.copy(img, os.path.join(tmp, "cover.png"))
    with open(os.path.join(tmp, "posts", "one.md"), "w") as f:
        f.write('---\ntitle: "第一章 & one"\ndate: 2019-10-04\nauthor: 山田\n'
                'tags: [a, b]\n---\n\n## 見出し\n\nText[^1] with a Hugo page-relative '
                'picture:\n\n![the pic](../pic.png)\n\nand a missing one: ![gone](nothere.png)'
                '\n\n{{< figure src="../pic.png" title="Same picture" >}}\n\n'
                '<img src="../pic.png" alt="raw"> <script>x()</script>\n\n'
                '![remote](https://example.com/x.png) [link](../other/) [top](#見出し)\n\n'
                '[^1]: A note.\n')
    with open(os.path.join(tmp, "posts", "two.md"), "w") as f:
        f.write('---\ntitle: Second\ndate: 2020-01-02\n---\n\n# Part\n\n## Sub\n\n'
                '<table><tr><td>cell<br>x</table>\n\n<details><summary>s</summary>d</details>\n')
    one, two = os.path.join("posts", "one.md"), os.path.join("posts", "two.md")
    book = os.path.join(tmp, "book.epub")
    r = run(["-o", book, one, two], cwd=tmp)
    err = r.stderr.decode()
    check(r.returncode == 0, f"two-note book: exit {r.returncode}: {err}")
    check(re.search(r"posts/one\.md:14:\d+: warning: image nothere\.png not found", err),
          f"missing image warned at file:line:col: {err}")
    check("<script> dropped" in err, f"script warned: {err}")
    z = zipfile.ZipFile(book)
    infos = z.infolist()
    check(infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
          and infos[0].extra == b"" and z.read("mimetype") == b"application/epub+zip",
          "mimetype first, stored, no extra field")
    names = z.namelist()
    check("EPUB/ch001.xhtml" in names and "EPUB/ch002.xhtml" in names
          and "EPUB/ch003.xhtml" not in names, f"one chapter per note: {names}")
    check(names.count("EPUB/images/img001.png") == 1 and "EPUB/images/img002.png" not in names,
          f"a picture used three times is in the book once: {names}")
    opf = z.read("EPUB/content.opf").decode()
    check('<dc:title>第一章 &amp; one</dc:title>' in opf, "book title from the first note")
    check("<dc:creator>山田</dc:creator>" in opf and "<dc:subject>b</dc:subject>" in opf,
          "creator and subjects")
    check('media-type="image/png"' in opf, "image media type")
    check('<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>' in opf,
          "dcterms:modified from SOURCE_DATE_EPOCH")
    check(re.search(r'<dc:identifier id="bookid">urn:uuid:[0-9a-f-]{36}</dc:identifier>', opf),
          "a urn:uuid identifier")
    ch1 = z.read("EPUB/ch001.xhtml").decode()
    ch2 = z.read("EPUB/ch002.xhtml").decode()
    check('<h1 class="title">第一章 &amp; one</h1>' in ch1 and
          '<h1 class="title">Second</h1>' in ch2, "each chapter has its own note's title")
    check(ch1.count('src="images/img001.png"') == 3, "images point into the book")
    check("nothere" not in ch1 and "gone" in ch1, "missing image removed, alt text kept")
    check('<a href="https://example.com/x.png">remote</a>' in ch1, "remote image as a link")
    check('<a>link</a>' in ch1, "a link out of the book loses its href")
    check('epub:type="noteref"' in ch1 and 'epub:type="footnote"' in ch1, "footnote types")
    check("<script" not in ch1, "no script")
    check("<br />" in ch2 and "</td>" in ch2, "raw HTML table closed")
    nav = z.read("EPUB/nav.xhtml").decode()
    check('href="ch001.xhtml">第一章 &amp; one</a>' in nav and
          'href="ch002.xhtml">Second</a>' in nav and 'href="ch002.xhtml#sub">Sub</a>' in nav,
          "navigation from titles and headings")
    check("<navPoint" in z.read("EPUB/toc.ncx").decode(), "NCX")

    again = os.path.join(tmp, "again.epub")
    run(["-q", "-o", again, one, two], cwd=tmp)
    check(open(book, "rb").read() == open(again, "rb").read(), "byte-identical rebuild")
    later = os.path.join(tmp, "later.epub")
    run(["-q", "-o", later, one, two], cwd=tmp, env={"SOURCE_DATE_EPOCH": "1800000000"})
    opf2 = zipfile.ZipFile(later).read("EPUB/content.opf").decode()
    ident = re.search(r"urn:uuid:[0-9a-f-]+", opf).group(0)
    check(ident in opf2 and "2027-01-15T08:00:00Z" in opf2,
          "same identifier, new modified date, when only SOURCE_DATE_EPOCH changes")
    nodate = os.path.join(tmp, "nodate.epub")
    run(["-q", "-o", nodate, one, two], cwd=tmp, env={"SOURCE_DATE_EPOCH": ""})
    check("2020-01-02T00:00:00Z" in zipfile.ZipFile(nodate).read("EPUB/content.opf").decode(),
          "without SOURCE_DATE_EPOCH: the newest note's date")

    covered = os.path.join(tmp, "cover.epub")
    r = run(["-o", covered, "-M", "cover-image=cover.png", "-M", "identifier=isbn-0-00",
             "-M", "title=Override", two], cwd=tmp)
    opf = zipfile.ZipFile(covered).read("EPUB/content.opf").decode()
    check(r.returncode == 0 and 'properties="cover-image"' in opf and
          '<dc:identifier id="bookid">isbn-0-00</dc:identifier>' in opf and
          "<dc:title>Override</dc:title>" in opf, f"cover, identifier, title from -M: {opf}")

    # the raw-HTML edge cases of the golden tests as one book, and two hostile notes
    golden = os.path.join(SRC, "tests", "golden", "xhtml")
    cases = sorted(f for f in os.listdir(golden) if f.endswith(".md"))
    edge = os.path.join(tmp, "edge.epub")
    r = run(["-q", "-o", edge] + cases, cwd=golden)
    check(r.returncode == 0, f"golden edge cases as a book: exit {r.returncode}")
    import random
    rnd = random.Random(7)
    bits = ["<", ">", "</", "div", "p", "table", "td", "tr", "li", "ul", "dl", "dd", "<!--",
            "-->", "&amp;", "&#0;", "&#xD800;", '"', "'", "=", " onclick", "javascript:",
            "<script>", "</script>", "\n\n", "# h\n", "[^1]", "[^1]: x\n", "<img src=",
            "<iframe", " id=", "日本", "\x01", "<br>", "<details>", "<summary>", "<svg>",
            "<a href=\"#", "<tenancy-x>", "* ", "| a |\n|---|\n", "<b>", "<font>"]
    hostile = {"deep.md": "<div>" * 20000 + "\n\nx " + "<b>" * 20000 + "y\n",
               "junk.md": "".join(rnd.choice(bits) for _ in range(50000))}
    extra = [edge]
    for name, text in hostile.items():
        with open(os.path.join(tmp, name), "w") as f:
            f.write(text)
        book = os.path.join(tmp, name[:-3] + ".epub")
        r = run(["-q", "-o", book, name], cwd=tmp)
        check(r.returncode == 0, f"{name} as a book: exit {r.returncode}")
        extra.append(book)

    r = run(["-t", "xhtml", "-s", one], cwd=tmp)
    check(r.returncode == 0, "xhtml -s")
    page = os.path.join(tmp, "one.xhtml")
    open(page, "wb").write(r.stdout)
    return [book, covered] + extra, [page]


def main():
    if not NOTECONV:
        print("SKIP: NOTECONV is not set")
        return 77
    if not shutil.which("xmllint"):
        print("SKIP: xmllint is absent")
        return 77
    java = shutil.which("java")
    have_epubcheck = bool(java) and os.path.exists(EPUBCHECK_JAR)
    tmp = tempfile.mkdtemp(prefix="nc-epub-")
    try:
        books, pages = own_books(tmp)
        corpus = os.path.normpath(os.path.join(SRC, "..", "shared", "corpus"))
        notes = []
        if os.path.isdir(corpus):
            notes = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus)
                           for f in fs if f.endswith(".md") and f != "README.md")
        else:
            print(f"SKIP corpus part: {corpus} is absent (the shared corpus sits beside the "
                  "project)")
        sanitized = os.environ.get("NC_SANITIZED") == "1"
        out = os.path.join(tmp, "corpus")
        os.makedirs(out)
        for i, note in enumerate(notes):
            name = os.path.relpath(note, corpus).replace("/", "_")[:-3]
            page = os.path.join(out, name + ".xhtml")
            r = run(["-q", "-t", "xhtml", "-s", "-o", page, note])
            check(r.returncode == 0, f"{note} -t xhtml -s: exit {r.returncode}")
            pages.append(page)
            if sanitized and i % 8:
                continue
            book = os.path.join(out, name + ".epub")
            r = run(["-q", "-o", book, note])
            check(r.returncode == 0, f"{note} -t epub: exit {r.returncode}")
            books.append(book)
        if notes:
            whole = os.path.join(out, "all-notes.epub")
            r = run(["-q", "-o", whole] + notes)
            check(r.returncode == 0, f"the book of all notes: exit {r.returncode}")
            n = sum(1 for x in zipfile.ZipFile(whole).namelist()
                    if re.match(r"EPUB/ch\d+\.xhtml$", x))
            check(n == len(notes), f"the book of all notes has {n} chapters, not {len(notes)}")
            books.append(whole)
            print(f"corpus: {len(pages) - 1} notes as XHTML, {len(books) - 6} as books"
                  + (" (NC_SANITIZED: every 8th note as a book)" if sanitized else "")
                  + ", and one book of all of them")
        r = subprocess.run(["xmllint", "--noout"] + pages, capture_output=True)
        check(r.returncode == 0, "xmllint: " + r.stderr.decode()[:2000])
        if not have_epubcheck:
            print("SKIP epubcheck part: java or " + EPUBCHECK_JAR + " is absent")
        else:
            tool = os.path.join(SRC, "tests", "tools", "EpubCheckMany.java")
            r = subprocess.run([java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                                EPUBCHECK_JAR, tool] + books, capture_output=True)
            text = r.stdout.decode() + r.stderr.decode()
            bad = [line for line in text.splitlines()
                   if line.startswith(("FAIL", "ERROR", "WARNING", "FATAL"))]
            check(r.returncode == 0 and not bad, "epubcheck:\n" + "\n".join(bad[:40]))
            print(f"epubcheck: {len(books)} books, {len(bad)} problems")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"epub: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
