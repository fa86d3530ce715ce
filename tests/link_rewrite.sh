#!/bin/sh
# link_rewrite.sh — what the golden sets cannot show: the extension follows the output format
# (-t pdf gives .pdf links in the PDF), and bad arguments stop the run with exit status 5.
set -u
: "${NOTECONV:?}"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
printf '[next](b.md#x) and [web](https://example.com/c.md)\n' >"$t/a.md"

"$NOTECONV" -F link-rewrite "$t/a.md" -o "$t/a.pdf" || bad "PDF: exit $?"
if command -v qpdf >/dev/null; then
    qpdf --qdf --object-streams=disable "$t/a.pdf" "$t/q.pdf" 2>/dev/null
    grep -a -q '/URI (b.pdf#x)' "$t/q.pdf" && ok || bad "PDF: no link to b.pdf#x"
    grep -a -q '/URI (https://example.com/c.md)' "$t/q.pdf" && ok || bad "PDF: web link changed"
fi
out=$("$NOTECONV" -F link-rewrite=.htm "$t/a.md")
case $out in *'href="b.htm#x"'*) ok ;; *) bad "ext without ext=: $out" ;; esac
for arg in sideways ext=a/b root="$t/nowhere"; do
    "$NOTECONV" -F "link-rewrite=$arg" "$t/a.md" >/dev/null 2>"$t/err"
    rc=$?
    [ $rc -eq 5 ] && grep -q "link-rewrite: " "$t/err" && ok || bad "argument '$arg': exit $rc: $(cat "$t/err")"
done
echo "link-rewrite: $pass passed, $fail failed"
[ $fail -eq 0 ]
