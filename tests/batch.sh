#!/bin/sh
# batch.sh — many notes at once: -d with mirrored folders, several formats read once, -j N giving
# the same bytes as -j 1, a broken note not stopping the others, dependency files that make
# uses (samples/Makefile on a copy of the shared corpus), --newer and the progress bar.
set -u
: "${NOTECONV:?}" "${NC_SOURCE_DIR:?}"
NC=$NOTECONV
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
export SOURCE_DATE_EPOCH=1600000000

corpus=$NC_SOURCE_DIR/../shared/corpus
if [ -d "$corpus/blog" ]; then
    cp -R "$corpus" "$t/c"
    src=$t/c/blog
else
    echo "note: $corpus is absent; the make test is skipped, the rest runs on 30 copies of samples/"
    mkdir -p "$t/c/blog/sub"
    for d in "$t/c/blog" "$t/c/blog/sub"; do
        cp "$NC_SOURCE_DIR"/samples/*.png "$NC_SOURCE_DIR"/samples/*.jpg "$d/"
    done
    for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15; do
        cp "$NC_SOURCE_DIR"/samples/ja-event-note.md "$t/c/blog/ja-$i.md"
        cp "$NC_SOURCE_DIR"/samples/en-release-notes.md "$t/c/blog/sub/en-$i.md"
    done
    src=$t/c/blog
fi
find "$src" -name '*.md' ! -name README.md | LC_ALL=C sort >"$t/all"
# under the sanitizers a PDF costs ~20x more: every sixth note and every one that shows an
# image; the others are deleted from the copy, so that the make test uses the subset too
if [ -n "${NC_SANITIZED:-}" ]; then
    { grep -l -E '\.(jpe?g|png)' $(cat "$t/all"); awk 'NR % 6 == 0' "$t/all"; } | LC_ALL=C sort -u >"$t/list"
    echo "note: NC_SANITIZED: a subset, $(wc -l <"$t/list") of $(wc -l <"$t/all") notes"
    LC_ALL=C comm -23 "$t/all" "$t/list" | while read -r f; do rm "$f"; done
    cp "$t/list" "$t/all"
else
    cp "$t/all" "$t/list"
fi
n=$(wc -l <"$t/list")

# ---- -j1 and -j2 give the same bytes; several formats equal one-format runs -----------------
$NC -q -s -t html,pdf -d "$t/j1" -j1 $(cat "$t/list") || bad "-j1 batch failed"
$NC -q -s -t html,pdf -d "$t/j2" -j2 $(cat "$t/list") || bad "-j2 batch failed"
if diff -rq "$t/j1" "$t/j2" >"$t/jdiff"; then ok; else bad "-j1 and -j2 outputs differ:"; head -n 5 "$t/jdiff"; fi
got=$(find "$t/j2" -name '*.pdf' | wc -l)
[ "$got" -eq "$n" ] && ok || bad "-d wrote $got PDFs for $n notes"
# the folders under the common parent are mirrored: <src>/2019/10/x.md -> j2/2019/10/x.pdf
first=$(head -n1 "$t/list")
rel=${first#"$src"/}
[ -f "$t/j2/${rel%.md}.html" ] && ok || bad "no mirrored output for $rel: $(cd "$t/j2" && find . | head -3)"
$NC -q -s -o "$t/one.html" "$first" && $NC -q -s -o "$t/one.pdf" "$first" || bad "single run failed"
cmp -s "$t/one.html" "$t/j2/${rel%.md}.html" && cmp -s "$t/one.pdf" "$t/j2/${rel%.md}.pdf" && ok ||
    bad "-t html,pdf differs from one format per run for $rel"
# --base moves the mirrored root
$NC -q -s -d "$t/b" --base "$t/c" "$first" && [ -f "$t/b/blog/${rel%.md}.html" ] && ok ||
    bad "--base: no $t/b/blog/${rel%.md}.html"
[ -z "$(find "$t/j1" "$t/j2" -name '*.tmp')" ] && ok || bad "temporary files left"

# ---- a broken note: the others convert, file:line:col, exit 3, no output for it -----------
mkdir -p "$t/br"
i=0
for f in $(head -n 5 "$t/list"); do i=$((i + 1)); cp "$f" "$t/br/n$i.md"; done
printf -- '---\ntitle: "T"\ntags: [a, b\n---\n\nbody\n' >"$t/br/n3.md"
$NC -s -t html,pdf -d "$t/bro" -j2 "$t"/br/n*.md 2>"$t/err"
rc=$?
[ "$rc" -eq 3 ] && ok || bad "broken batch: exit $rc, want 3"
grep -Eq 'br/n3\.md:4:1: error: ' "$t/err" && ok || bad "broken batch: no file:line:col: $(cat "$t/err")"
grep -qx '4 converted, 1 failed' "$t/err" && ok || bad "broken batch: summary: $(cat "$t/err")"
[ ! -e "$t/bro/n3.html" ] && [ ! -e "$t/bro/n3.pdf" ] && ok || bad "broken batch: output for the broken note"
[ -f "$t/bro/n5.pdf" ] && [ -f "$t/bro/n1.html" ] && ok || bad "broken batch: the others are missing"
tr -d -c '\r' <"$t/err" | grep -q . && bad "progress bar on a non-terminal" || ok
$NC -q -d "$t/ff" -j1 --fail-fast "$t"/br/n*.md 2>"$t/err"
grep -qx '2 converted, 1 failed, 2 not started (--fail-fast)' "$t/err" && [ ! -e "$t/ff/n4.html" ] && ok ||
    bad "--fail-fast: $(cat "$t/err")"

# ---- dependency files, -MF/-MT, --newer ---------------------------------------------------
img_note=$(grep -l -E '\.(jpe?g|png)' $(cat "$t/list") | head -n1)
if [ -n "$img_note" ]; then
    $NC -q -s -o "$t/dep.pdf" -MD -MP "$img_note" || bad "-MD failed"
    head -n1 "$t/dep.pdf.d" | grep -q "^$t/dep.pdf: $img_note" && ok || bad "-MD: $(cat "$t/dep.pdf.d")"
    grep -Eq '\.(jpe?g|png)( \\)?$' "$t/dep.pdf.d" && ok || bad "-MD lists no image: $(cat "$t/dep.pdf.d")"
    grep -Eq '^[^ ].*\.(jpe?g|png):$' "$t/dep.pdf.d" && ok || bad "-MP: no phony rule: $(cat "$t/dep.pdf.d")"
fi
$NC -q -o "$t/x.html" -MF "$t/x.dep" -MT 'site/x.html' "$first" && head -n1 "$t/x.dep" | grep -q "^site/x.html: $first" && ok ||
    bad "-MF/-MT: $(cat "$t/x.dep" 2>&1)"
$NC -q -s -t html,pdf -d "$t/nw" -MD $(head -n 6 "$t/list") &&
    $NC -s -t html,pdf -d "$t/nw" -MD --newer $(head -n 6 "$t/list") 2>"$t/err" &&
    grep -qx '0 converted, 6 up to date, 0 failed' "$t/err" && ok || bad "--newer: $(cat "$t/err")"
touch "$(head -n 2 "$t/list" | tail -n1)"
$NC -s -t html,pdf -d "$t/nw" -MD --newer $(head -n 6 "$t/list") 2>"$t/err" &&
    grep -qx '1 converted, 5 up to date, 0 failed' "$t/err" && ok || bad "--newer after touch: $(cat "$t/err")"

# ---- usage errors ---------------------------------------------------------------------------
$NC -t html,pdf "$first" >/dev/null 2>"$t/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q 'need -d DIR' "$t/err" && ok || bad "several formats without -d: $rc $(cat "$t/err")"
$NC -d "$t/u" - </dev/null 2>"$t/err"; rc=$?
[ "$rc" -eq 2 ] && ok || bad "-d with stdin: exit $rc"
$NC -d "$t/u" --base "$t/br" "$first" 2>"$t/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q 'not under the base folder' "$t/err" && ok || bad "--base outside: $rc $(cat "$t/err")"
$NC -M D=x -o "$t/m.html" "$first" && grep -q . "$t/m.html" && ok || bad "-M D=x is still metadata"

# ---- the progress bar, on a terminal (script(1) gives one) ----------------------------------
if command -v script >/dev/null 2>&1; then
    TERM=xterm script -qec "$NC -s -d '$t/pb' -j1 $(head -n 30 "$t/list" | tr '\n' ' ')" /dev/null >"$t/tty" 2>&1
    grep -Eq '[0-9]+/30 +[0-9]+% \[[#.]+\]' "$t/tty" && ok || bad "no progress bar on a terminal: $(head -c 300 "$t/tty")"
    grep -q '30 converted, 0 failed' "$t/tty" && ok || bad "no summary on a terminal"
    TERM=xterm script -qec "$NC -q -s -d '$t/pq' -j1 $(head -n 3 "$t/list" | tr '\n' ' ')" /dev/null >"$t/tty" 2>&1
    [ ! -s "$t/tty" ] && ok || bad "-q: the terminal got: $(cat "$t/tty")"
fi

# ---- make -j2 with samples/Makefile; touch an image; exactly its notes rebuild ------------
if [ -d "$corpus/blog" ] && command -v make >/dev/null 2>&1; then
    mk() { make -f "$NC_SOURCE_DIR/samples/Makefile" -j2 SRC="$src" OUT="$t/site" NOTECONV="$NC" "$@"; }
    mk html pdf >"$t/make1" 2>&1 || { bad "make failed:"; tail -n 20 "$t/make1"; }
    got=$(find "$t/site" -name '*.pdf' | wc -l)
    all=$(wc -l <"$t/all")
    [ "$got" -eq "$all" ] && ok || bad "make built $got PDFs for $all notes"
    # an image named by several notes, if there is one, else any named image
    img=$(cd "$src" && for f in $(find . -name '*.jpg' -o -name '*.png'); do
              b=$(basename "$f"); echo "$(grep -rl --include='*.md' -F "$b" . | wc -l) $f"
          done | sort -rn | awk '$1 > 0 {print $2; exit}')
    if [ -z "$img" ]; then
        bad "no image named by a note in the corpus"
    else
        b=$(basename "$img")
        grep -rl --include='*.md' -F "$b" "$src" | sed "s|^$src/||; s|\.md\$||" |
            awk -v o="$t/site/" '{print o $0 ".html"; print o $0 ".pdf"}' | LC_ALL=C sort >"$t/want"
        sleep 1
        touch "$src/$img"
        mk html pdf >"$t/make2" 2>&1 || bad "make after touch failed"
        sed -n 's/.* -o \([^ ]*\) .*/\1/p' "$t/make2" | LC_ALL=C sort >"$t/rebuilt"
        if cmp -s "$t/want" "$t/rebuilt"; then ok; else
            bad "touching $img rebuilt:"; diff "$t/want" "$t/rebuilt"
        fi
        mk html pdf >"$t/make3" 2>&1
        grep -q -- ' -o ' "$t/make3" && bad "a third make rebuilt: $(cat "$t/make3")" || ok
        # -MP: a deleted image rebuilds its notes instead of stopping make
        rm "$src/$img"
        mk html pdf >"$t/make4" 2>&1 && ok || { bad "make after deleting $img failed:"; tail -n 5 "$t/make4"; }
    fi
fi

echo "batch: $pass passed, $fail failed ($n notes)"
[ "$fail" -eq 0 ]
