#!/bin/sh
# pdf_cli.sh — the PDF writer end to end: bad input (a character no font has, a missing
# font, a 10,000-character line, a 5 MB note, bad variables), reproducible bytes, document
# info, bookmarks, link annotations and paper sizes, read back with poppler and qpdf.
set -u
: "${NOTECONV:?}" "${NC_SOURCE_DIR:?}"
NC=$NOTECONV
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
check_pdf() { # a PDF that qpdf and poppler accept
    qpdf --check "$1" >"$t/qpdf" 2>&1 || { bad "$2: qpdf --check: $(tail -1 "$t/qpdf")"; return 1; }
    pdftotext "$1" "$t/text" 2>"$t/poppler"
    [ -s "$t/poppler" ] && { bad "$2: poppler: $(head -1 "$t/poppler")"; return 1; }
    return 0
}

# a character no font has: drawn as a replacement, warned about once with its position
printf '# Emoji\n\nA rocket \360\237\232\200 and again \360\237\232\200, a private-use \356\200\200.\n' >"$t/emoji.md"
"$NC" -t pdf "$t/emoji.md" -o "$t/emoji.pdf" 2>"$t/err"
[ $? -eq 0 ] && ok || bad "emoji: exit status"
grep -q 'emoji\.md:3:10: warning: no font has U+1F680' "$t/err" && ok || bad "emoji: warning: $(cat "$t/err")"
[ "$(grep -c 'U+1F680' "$t/err")" -eq 1 ] && ok || bad "emoji: warned more than once"
grep -q 'emoji\.md:3:[0-9]*: warning: no font has U+E000' "$t/err" && ok || bad "emoji: private use"
check_pdf "$t/emoji.pdf" emoji && ok
grep -q "A rocket $(printf '\357\277\275')" "$t/text" && ok || bad "emoji: no replacement mark in the text"

# ... also in the front matter's title, author and tags, pointing into the value
printf -- '---\ntitle: "A \360\237\230\200 day"\nauthor: me \360\237\230\201\ntags: [a, "b\360\237\230\202"]\n---\n\nBody.\n' >"$t/fm.md"
"$NC" -t pdf "$t/fm.md" -o "$t/fm.pdf" 2>"$t/err"
grep -q 'fm\.md:2:11: warning: no font has U+1F600' "$t/err" && ok || bad "title: $(cat "$t/err")"
grep -q 'fm\.md:3:12: warning: no font has U+1F601' "$t/err" && ok || bad "author: $(cat "$t/err")"
grep -q 'fm\.md:4:13: warning: no font has U+1F602' "$t/err" && ok || bad "tags: $(cat "$t/err")"

# a missing font: an error naming the package, no output
"$NC" -t pdf -V CJKmainfont=IPAexNoSuchFont "$t/emoji.md" -o "$t/nofont.pdf" 2>"$t/err"
rc=$?
[ $rc -eq 3 ] && ok || bad "missing font: exit $rc"
grep -q "error: font 'IPAexNoSuchFont' is not installed (install the Debian package fonts-ipaexfont)" "$t/err" && ok || bad "missing font: $(cat "$t/err")"
[ -e "$t/nofont.pdf" ] && bad "missing font: left an output file" || ok

# bad variables
"$NC" -t pdf -V papersize=a3 "$t/emoji.md" -o "$t/a3.pdf" 2>"$t/err"
[ $? -ne 0 ] && grep -q "unknown papersize 'a3'" "$t/err" && ok || bad "papersize a3: $(cat "$t/err")"
"$NC" -t pdf -V margin=9in "$t/emoji.md" -o "$t/m.pdf" 2>"$t/err"
[ $? -ne 0 ] && grep -q "margin '9in'" "$t/err" && ok || bad "margin 9in: $(cat "$t/err")"

# long lines without a break opportunity still give readable pages
python3 - "$t/long.md" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("q" * 10000 + "\n\n" + "あ" * 10000 + "\n\n")
    f.write("https://example.com/" + "/".join("segment%d" % i for i in range(1500)) + "\n\n")
    f.write("```\n" + "y" * 10000 + "\n```\n")
EOF
timeout 60 "$NC" -t pdf "$t/long.md" -o "$t/long.pdf" 2>"$t/err"
[ $? -eq 0 ] && ok || bad "long lines: exit status $(cat "$t/err")"
check_pdf "$t/long.pdf" "long lines" && ok
[ "$(tr -cd q <"$t/text" | wc -c)" -eq 10000 ] && ok || bad "long lines: the q letters did not all come back"

# a 5 MB note (1 MB under the sanitizers, which are slow)
mb=5
[ "${NC_SANITIZED:-}" = 1 ] && mb=1
ref="$NC_SOURCE_DIR/../shared/corpus/blog/2019/10/04_aws_devday_2.md"
[ -f "$ref" ] || ref="$NC_SOURCE_DIR/samples/ja-event-note.md"
python3 - "$ref" "$t/big.md" "$mb" <<'EOF'
import sys
src = open(sys.argv[1], encoding="utf-8").read().split("---", 2)[-1]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    n = 0
    while n < int(sys.argv[3]) * 1024 * 1024:
        f.write(src)
        n += len(src.encode())
EOF
timeout 300 "$NC" -t pdf "$t/big.md" -o "$t/big.pdf" 2>"$t/err"
[ $? -eq 0 ] && ok || bad "$mb MB note: exit status $(head -3 "$t/err")"
qpdf --check "$t/big.pdf" >/dev/null 2>&1 && ok || bad "$mb MB note: qpdf"

# small files: the reference note (no photos) is at most 120 KB, and Mincho body text, the
# bigger face, stays under 150 KB
ref="$NC_SOURCE_DIR/../shared/corpus/blog/2019/10/04_aws_devday_2.md"
if [ -f "$ref" ]; then
    "$NC" -t pdf "$ref" -o "$t/ref.pdf" 2>/dev/null
    sz=$(wc -c <"$t/ref.pdf")
    [ "$sz" -le $((120 * 1024)) ] && ok || bad "reference note: $sz bytes, more than 120 KB"
    "$NC" -t pdf -V CJKmainfont=IPAexMincho "$ref" -o "$t/refm.pdf" 2>/dev/null
    sz=$(wc -c <"$t/refm.pdf")
    [ "$sz" -le $((150 * 1024)) ] && ok || bad "reference note in Mincho: $sz bytes"
    pdffonts "$t/refm.pdf" | grep -q IPAexMincho && ok || bad "CJKmainfont=IPAexMincho not used"
else
    echo "pdf-cli: SKIP the size check: ../shared/corpus is absent"
fi

# reproducible: the same input and SOURCE_DATE_EPOCH give the same bytes
note="$NC_SOURCE_DIR/samples/ja-event-note.md"
SOURCE_DATE_EPOCH=1700000000 "$NC" -t pdf "$note" -o "$t/a.pdf" 2>/dev/null
SOURCE_DATE_EPOCH=1700000000 "$NC" -t pdf "$note" -o "$t/b.pdf" 2>/dev/null
cmp -s "$t/a.pdf" "$t/b.pdf" && ok || bad "two runs differ"
check_pdf "$t/a.pdf" sample && ok

# document info in UTF-16, from the front matter
pdfinfo "$t/a.pdf" >"$t/info"
grep -q '^Title: *サンプル：技術イベント参加メモ$' "$t/info" && ok || bad "Title: $(grep Title "$t/info")"
grep -q '^Author: *のーとこんぶ$' "$t/info" && ok || bad "Author"
grep -q '^Subject: *noteconv の機能を一通り使った日本語のサンプルノート$' "$t/info" && ok || bad "Subject"
grep -q '^Keywords: *event, serverless, 日本語$' "$t/info" && ok || bad "Keywords"
grep -q '^CreationDate: *Fri Nov 20 00:00:00 2026 UTC$' "$t/info" && ok || bad "CreationDate: $(grep CreationDate "$t/info")"
grep -q '^Page size: *595.276 x 841.89 pts (A4)' "$t/info" && ok || bad "A4"

# bookmarks, links without borders, internal links to a page
python3 - "$t/a.pdf" <<'EOF' || fail=$((fail + 1))
import json, subprocess, sys
j = json.loads(subprocess.run(["qpdf", "--json", sys.argv[1]], capture_output=True, text=True).stdout)
titles = []
def walk(items, depth):
    for o in items:
        titles.append((depth, o["title"]))
        walk(o.get("kids", []), depth + 1)
walk(j["outlines"], 0)
want = [(0, "10:00〜10:45 基調講演"), (1, "やること"), (0, "セッション一覧")]
if titles != want:
    print("FAIL: bookmarks", titles); sys.exit(1)
objs = j["qpdf"][1] if "qpdf" in j else j["objects"]
links = [v for v in (o.get("value", o) for o in objs.values())
         if isinstance(v, dict) and v.get("/Subtype") == "/Link"]
uris = sorted(set(l["/A"]["/URI"][2:] for l in links if "/A" in l))
if uris != ["https://example.com/", "https://example.com/devday"]:
    print("FAIL: link URIs", uris); sys.exit(1)
if any(l.get("/Border") != [0, 0, 0] for l in links):
    print("FAIL: a link has a border"); sys.exit(1)
if not any("/Dest" in l for l in links):
    print("FAIL: no internal link (footnote)"); sys.exit(1)
EOF
[ $? -eq 0 ] && ok

# paper sizes
for ps in "a5:419.528 x 595.276" "letter:612 x 792" "b5:515.906 x 728.504"; do
    "$NC" -t pdf -V papersize="${ps%%:*}" "$note" -o "$t/p.pdf" 2>/dev/null
    pdfinfo "$t/p.pdf" | grep -q "Page size: *${ps#*:} pts" && ok || bad "papersize ${ps%%:*}: $(pdfinfo "$t/p.pdf" | grep 'Page size')"
done

# images: good ones are embedded; bad ones give a warning with the position, a placeholder,
# and still a valid PDF
cp "$NC_SOURCE_DIR/samples/photo.jpg" "$NC_SOURCE_DIR/samples/diagram.png" "$t/"
cp "$NC_SOURCE_DIR/tests/images/interlaced.png" "$t/"
python3 - "$t" <<'EOF2'
import struct, sys, zlib
t = sys.argv[1]
jpg = open(t + "/photo.jpg", "rb").read()
open(t + "/truncated.jpg", "wb").write(jpg[: len(jpg) // 2])
png = bytearray(open(t + "/diagram.png", "rb").read())
for i in range(len(png) // 2, len(png) // 2 + 64):
    png[i] ^= 0x5A
open(t + "/corrupt.png", "wb").write(bytes(png))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
# 10000 x 10000 gray: a tiny file that claims 100 megapixels
row = b"\0" * 10001
z = zlib.compressobj(9)
body = b"".join(z.compress(row) for _ in range(10000)) + z.flush()
open(t + "/huge.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 10000, 10000, 8, 0, 0, 0, 0)) + chunk(b"IDAT", body) + chunk(b"IEND", b""))
open(t + "/vector.svg", "w").write('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
EOF2
cat >"$t/images.md" <<'EOF2'
# Images

![a photo](photo.jpg "A photo")

![a 16-bit diagram](diagram.png)

![interlaced](interlaced.png)

![the same photo again](photo.jpg)

![missing](nothere.png)

![truncated](truncated.jpg)

![corrupt](corrupt.png)

![huge](huge.png)

![vector](vector.svg)

![remote](https://example.com/x.png)
EOF2
timeout 120 "$NC" -t pdf "$t/images.md" -o "$t/images.pdf" 2>"$t/err"
[ $? -eq 0 ] && ok || bad "images: exit status: $(cat "$t/err")"
check_pdf "$t/images.pdf" images && ok
for want in "images.md:11:1: warning: .*nothere.png" "images.md:13:1: warning: .*truncated" \
            "images.md:15:1: warning: .*corrupt" "images.md:19:1: warning: .*SVG" \
            "images.md:21:1: warning: remote image"; do
    grep -Eq "$want" "$t/err" && ok || bad "images: no warning /$want/ in: $(cat "$t/err")"
done
grep -q 'diagram.png' "$t/err" && bad "images: the 16-bit PNG was refused" || ok
grep -q 'interlaced.png' "$t/err" && bad "images: the interlaced PNG was refused" || ok
# photo.jpg twice is one image object; the huge PNG is shown scaled down or refused, not both
n=$(pdfimages -list "$t/images.pdf" | awk 'NR > 2 && $3 == "image"' | wc -l)
[ "$n" -ge 3 ] && [ "$n" -le 5 ] && ok || bad "images: $n images drawn"
objs=$(pdfimages -list "$t/images.pdf" | awk 'NR > 2 && $3 == "image" { print $11 }' | sort -u | wc -l)
jpeg=$(pdfimages -list "$t/images.pdf" | awk 'NR > 2 && $9 == "jpeg"' | wc -l)
[ "$jpeg" -eq 2 ] && ok || bad "images: the JPEG should be drawn twice, as DCT ($jpeg)"
pdfimages -list "$t/images.pdf" | awk 'NR > 2 && $9 == "jpeg" { print $11 }' | sort -u | wc -l | grep -qx 1 && ok || bad "images: the JPEG drawn twice should be one object"
grep -q 'missing' "$t/text" && grep -q 'nothere.png' "$t/text" && ok || bad "images: the placeholder shows no alt text and link"
[ "$objs" -ge 1 ] || bad "images: no image objects"

echo "pdf-cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
