#!/bin/sh
# resources.sh — the resources filter: image URLs point at the files from the output's folder
# (-o), from the current folder (stdout), absolutely (PDF, or the absolute argument), or embed
# them as data: URLs; missing images are warned about at file:line:col, or fail the run with
# strict; --resource-path is searched. On the shared corpus, every photo of the notes that use
# {{< figure >}} is found.
set -u
: "${NOTECONV:?}" "${NC_SOURCE_DIR:?}"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
has() { # what file pattern
    if grep -q -- "$3" "$2"; then ok; else bad "$1: no '$3' in $2:"; cat "$2"; fi
}

mkdir -p "$t/site/posts" "$t/site/static/img" "$t/out/deep" "$t/cwd"
printf 'x' >"$t/site/posts/beside.png"
printf 'x' >"$t/site/posts/page.jpg"
printf 'x' >"$t/site/static/img/logo.png"
printf 'x' >"$t/site/posts/two words.png"
cat >"$t/site/posts/x.md" <<'MD'
# Pictures

![a](beside.png) ![b](../page.jpg) ![c](/img/logo.png)

![d](two%20words.png?v=1) ![gone](nowhere.png)
MD
N="$NOTECONV"
"$N" -F resources --resource-path="$t/site/static" "$t/site/posts/x.md" -o "$t/out/deep/x.html" \
    2>"$t/err" || bad "exit $? with a missing image (only a warning is wanted)"
has "-o: relative to the output's folder" "$t/out/deep/x.html" 'src="../../site/posts/beside.png"'
has "-o: Hugo page-relative" "$t/out/deep/x.html" 'src="../../site/posts/page.jpg"'
has "-o: --resource-path" "$t/out/deep/x.html" 'src="../../site/static/img/logo.png"'
has "-o: encoded, query kept" "$t/out/deep/x.html" 'src="../../site/posts/two%20words.png?v=1"'
has "-o: missing left as written" "$t/out/deep/x.html" 'src="nowhere.png"'
has "warning at file:line:col" "$t/err" "x.md:5:27: warning: image 'nowhere.png' not found"
# every rewritten image exists from the output's folder
for src in $(grep -o 'src="[^"]*"' "$t/out/deep/x.html" | sed 's/src="//; s/"$//; s/?.*//; s/%20/ /g' | tr ' ' '@'); do
    f=$(echo "$src" | tr '@' ' ')
    [ "$f" = nowhere.png ] && continue
    [ -f "$t/out/deep/$f" ] && ok || bad "'$f' does not exist from $t/out/deep"
done

(cd "$t/cwd" && "$N" -q -F resources --resource-path="$t/site/static" ../site/posts/x.md) >"$t/stdout.html"
has "stdout: relative to the current folder" "$t/stdout.html" 'src="../site/posts/beside.png"'

"$N" -q -F resources=absolute "$t/site/posts/x.md" >"$t/abs.html"
has "absolute" "$t/abs.html" "src=\"$(cd "$t/site/posts" && pwd -P)/beside.png\""
"$N" -q -t pdf-layout -F resources "$t/site/posts/x.md" -o "$t/x.layout" 2>/dev/null
"$N" -q -t pdf -F resources "$t/site/posts/x.md" -o "$t/x.pdf" 2>"$t/pdf.err"
[ -s "$t/x.pdf" ] && ok || bad "no PDF with resources"

"$N" -F resources=strict "$t/site/posts/x.md" >/dev/null 2>"$t/err"
[ $? -eq 5 ] && ok || bad "strict: a missing image should give exit 5"
has "strict: an error" "$t/err" "x.md:5:27: error: image 'nowhere.png' not found"
"$N" -F resources=sideways "$t/site/posts/x.md" >/dev/null 2>"$t/err"
[ $? -eq 5 ] && ok || bad "an unknown argument should give exit 5"
has "unknown argument named" "$t/err" "resources: unknown argument 'sideways'"

# embed: data: URLs that decode to the very bytes of each file (one of every length mod 3),
# a link around the picture keeps the file, and a PDF gets the file, not a data: URL
mkdir -p "$t/emb"
printf '\211PNG\r\n\032\n' >"$t/emb/a.png"
printf '\211PNG\r\n\032\nx' >"$t/emb/b.png"
printf '\211PNG\r\n\032\nxy' >"$t/emb/c.png"
cp "$NC_SOURCE_DIR/samples/photo.jpg" "$t/emb/photo.jpg"
printf '![a](a.png) ![b](b.png) [![c](c.png)](c.png) ![p](photo.jpg)\n' >"$t/emb/n.md"
"$N" -F resources=embed "$t/emb/n.md" -o "$t/emb/n.html" || bad "embed: exit $?"
python3 - "$t/emb" <<'PY' && ok || bad "embed: data: URLs do not hold the files"
import base64, re, sys
d = sys.argv[1]
html = open(d + "/n.html").read()
urls = re.findall(r'src="data:(image/[a-z]+);base64,([^"]*)"', html)
want = [("image/png", "a.png"), ("image/png", "b.png"), ("image/png", "c.png"),
        ("image/jpeg", "photo.jpg")]
assert [u[0] for u in urls] == [w[0] for w in want], urls
for (t, b64), (_, name) in zip(urls, want):
    assert base64.b64decode(b64, validate=True) == open(d + "/" + name, "rb").read(), name
assert '<a href="c.png">' in html, html
PY
"$N" -q -t pdf -F resources=embed "$t/emb/n.md" -o "$t/emb/n.pdf" && [ -s "$t/emb/n.pdf" ] && ok ||
    bad "embed with -t pdf"

# --no-hugo: the shortcode stays as written, so there is no image to find
printf '{{< figure src="beside.png" >}}\n' >"$t/site/posts/sc.md"
"$N" -F resources --no-hugo "$t/site/posts/sc.md" >"$t/sc.html" 2>&1
has "--no-hugo keeps the shortcode" "$t/sc.html" '{{&lt; figure src=&quot;beside.png&quot; &gt;}}'
"$N" -F resources "$t/site/posts/sc.md" >"$t/sc.html" 2>&1
has "hugo-shortcodes is on by default" "$t/sc.html" '<img src="[^"]*site/posts/beside.png"'

# the shared notes that use {{< figure >}}: every photo found, caption shown
C="$NC_SOURCE_DIR/../shared/corpus"
if [ -d "$C" ]; then
    notes=$(grep -rl '{{< *figure' "$C" | sort)
    [ "${NC_SANITIZED:-}" = 1 ] && notes=$(echo "$notes" | head -5) &&
        echo "(sanitized build: the first 5 notes with figures only)"
    count=0
    for note in $notes; do
        count=$((count + 1))
        out="$t/corpus/$(echo "${note#"$C"/}" | sed "s,/,_,g; s,\.md$,,").html"
        mkdir -p "$t/corpus"
        "$N" -s -F resources "$note" -o "$out" 2>"$t/err" || bad "$note: exit $?"
        grep -q "image .* not found" "$t/err" && bad "$note: $(grep 'not found' "$t/err" | head -3)"
    done
    # every local <img> and figure photo exists from the output's folder
    python3 - "$t/corpus" <<'PY' || fail=$((fail + 1))
import os, re, sys, urllib.parse
d = sys.argv[1]
bad = n = caps = 0
for name in sorted(os.listdir(d)):
    html = open(os.path.join(d, name), encoding="utf-8").read()
    caps += html.count("<figcaption>")
    for src in re.findall(r'<img src="([^"]*)"', html):
        if re.match(r"[a-z]+:|//", src):
            continue
        n += 1
        path = urllib.parse.unquote(src.split("?")[0].split("#")[0])
        if not os.path.isfile(os.path.join(d, path)):
            bad += 1
            print(f"FAIL: {name}: photo {src} not found from the output")
print(f"corpus: {n} local photos checked, {bad} missing, {caps} captions")
sys.exit(1 if bad or n == 0 else 0)
PY
    echo "corpus: $count notes with figures"
else
    echo "SKIP corpus part: ../shared/corpus is absent"
fi
echo "resources: $pass passed, $fail failed"
[ $fail -eq 0 ]
