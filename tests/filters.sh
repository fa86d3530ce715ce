#!/bin/sh
# filters.sh — the built-in filters from the command line: argument errors, front matter
# filters: with file:line:col, --list-filters, --toc as the toc filter for HTML and PDF, and
# the documented chain order.
set -u
: "${NOTECONV:?}" "${NC_SOURCE_DIR:?}"
NC=$NOTECONV
export SOURCE_DATE_EPOCH=1700000000
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# expect NAME EXIT STDERR-REGEX -- COMMAND...
expect() {
    name=$1 code=$2 re=$3
    shift 4
    "$@" >"$t/stdout" 2>"$t/stderr"
    rc=$?
    if [ "$rc" -ne "$code" ]; then bad "$name: exit $rc, want $code"; cat "$t/stderr"; return; fi
    if [ "$re" = '^$' ]; then
        if [ -s "$t/stderr" ]; then bad "$name: unexpected messages:"; cat "$t/stderr"; return; fi
    elif ! grep -Eq -- "$re" "$t/stderr"; then bad "$name: stderr does not match /$re/:"; cat "$t/stderr"; return; fi
    ok
}

printf '# A\n\n## B\n\ntext\n' >"$t/n.md"
expect "toc depth not a number" 5 "filter toc: depth wants a whole number from 1 to 6, not 'x'" -- $NC -F toc=x "$t/n.md"
expect "toc depth too big" 5 "not '7'" -- $NC -F toc:depth=7 "$t/n.md"
expect "unknown argument" 5 "filter toc: unknown argument 'deep' \(valid: depth\)" -- $NC -F toc:deep=2 "$t/n.md"
expect "too many arguments" 5 "filter toc: too many arguments" -- $NC -F toc=1,2 "$t/n.md"
expect "argument twice" 5 "argument 'depth' given twice" -- $NC -F toc=1,depth=2 "$t/n.md"
expect "empty argument" 5 "filter number-sections: empty argument" -- $NC -F number-sections=1, "$t/n.md"
expect "no arguments taken" 5 "filter smart: too many arguments .*it takes: none" -- $NC -F smart=1 "$t/n.md"
expect "bad choice" 5 "filter empty-sections: action is one of remove, mark, not 'hide'" -- $NC -F empty-sections=hide "$t/n.md"
expect "bad shift" 5 "filter shift-headings: by wants a whole number from -5 to 5" -- $NC -F shift-headings=9 "$t/n.md"
expect "unknown filter" 2 "unknown filter 'nope' \(valid filters: .*toc" -- $NC -F nope "$t/n.md"
expect "good arguments" 0 '^$' -- $NC -F toc:depth=2 -F "number-sections=1" -F "empty-sections:action=mark" "$t/n.md"

printf -- '---\ntitle: T\nfilters:\n  - toc\n  - nope=1\n---\n\n# A\n' >"$t/meta-unknown.md"
expect "front matter: unknown filter" 5 'meta-unknown\.md:5:[0-9]+: error: filters: unknown filter .nope.' -- $NC "$t/meta-unknown.md"
printf -- '---\nfilters:\n  - {name: toc}\n---\n\n# A\n' >"$t/meta-map.md"
expect "front matter: not a string" 5 'meta-map\.md:3:[0-9]+: error: filters: each entry' -- $NC "$t/meta-map.md"
printf -- '---\nfilters: "toc=9"\n---\n\n# A\n' >"$t/meta-arg.md"
expect "front matter: bad argument" 5 "filter toc: depth wants" -- $NC "$t/meta-arg.md"
printf -- '---\nfilters: [number-sections]\n---\n\n# A\n' >"$t/meta-off.md"
$NC --no-filter number-sections "$t/meta-off.md" | grep -q 'header-section-number' &&
    bad "--no-filter does not keep a front matter filter from running" || ok

# --list-filters: every filter with its summary, and its arguments where it takes any
$NC --list-filters >"$t/list" || bad "--list-filters failed"
for f in heading-ids hugo-shortcodes toc number-sections shift-headings east-asian-breaks smart \
         empty-sections strip-comments; do
    grep -q "^$f " "$t/list" || bad "--list-filters does not list $f"
done
grep -A1 '^toc ' "$t/list" | grep -q 'arguments: depth' || bad "--list-filters: no arguments for toc"
grep -q '^east-asian-breaks .*\[default\]' "$t/list" || bad "--list-filters: east-asian-breaks is not marked default"
ok

# --toc is the toc filter: the same output as -F toc, and --no-filter toc turns it off
printf -- '---\ntitle: T\n---\n\n# One\n\n## Two\n\n### Three\n' >"$t/toc.md"
$NC -F toc "$t/toc.md" >"$t/a.html" && $NC --toc "$t/toc.md" >"$t/b.html" &&
    cmp -s "$t/a.html" "$t/b.html" && grep -q '<nav id="TOC"' "$t/a.html" && ok ||
    bad "--toc differs from -F toc"
$NC --toc --toc-depth=1 "$t/toc.md" | grep -q 'href="#two"' && bad "--toc-depth=1 lists level 2" || ok
$NC --toc --no-filter toc "$t/toc.md" | grep -q 'TOC' && bad "--no-filter toc keeps --toc" || ok
$NC -t pdf-layout -F toc "$t/toc.md" >"$t/a.lay" && $NC -t pdf-layout --toc "$t/toc.md" >"$t/b.lay" &&
    cmp -s "$t/a.lay" "$t/b.lay" && ok || bad "PDF: --toc differs from -F toc"
# the PDF contents have a page number per entry (dot leaders then the number)
grep -c '^ *text .*"\.\.\.\.' "$t/a.lay" | grep -qx 3 || { bad "PDF: not 3 entries with leaders"; grep '\.\.\.\.' "$t/a.lay" | head; }

# chain order: number-sections and toc in either order number the toc; shift-headings before
# or after toc=2 gives two documented results
$NC -F number-sections -F toc "$t/toc.md" >"$t/nt.html"
$NC -F toc -F number-sections "$t/toc.md" >"$t/tn.html"
cmp -s "$t/nt.html" "$t/tn.html" && grep -q '<a href="#three"><span class="header-section-number">1.1.1</span>' "$t/nt.html" &&
    ok || bad "number-sections and toc: the order changes the toc"
printf '## One\n\n### Two\n' >"$t/shift.md"
$NC -F shift-headings -F toc=2 "$t/shift.md" | grep -q 'href="#two"' || bad "shift then toc=2 misses level 3 made 2"
$NC -F toc=2 -F shift-headings "$t/shift.md" | grep -q 'href="#two"' && bad "toc=2 then shift lists level 3" || ok

# empty-sections in either order: the toc never links to a heading it removed
printf '# A\n\ntext\n\n## Empty\n\n## Full\n\ntext\n\n### Empty too\n' >"$t/empty.md"
$NC -F toc -F empty-sections "$t/empty.md" >"$t/te.html"
$NC -F empty-sections -F toc "$t/empty.md" >"$t/et.html"
cmp -s "$t/te.html" "$t/et.html" && ! grep -q 'href="#empty' "$t/te.html" && grep -q 'href="#full"' "$t/te.html" &&
    ok || bad "empty-sections and toc: the toc differs with the order"
printf '# A\n\n## E\n' | $NC -F toc -F empty-sections | grep -q . && bad "toc counted as a section's content" || ok

echo "filters: $pass passed, $fail failed"
[ $fail -eq 0 ]
