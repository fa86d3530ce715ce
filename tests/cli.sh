#!/bin/sh
# cli.sh — the command line end to end: formats from names, stdin/stdout, -M/-V/-c, and bad
# input giving file:line:col diagnostics, the documented exit status and no output file.
set -u
: "${NOTECONV:?}" "${NC_SOURCE_DIR:?}"
NC=$NOTECONV
t=$(mktemp -d)
trap 'chmod -R u+w "$t"; rm -rf "$t"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# expect NAME EXIT STDERR-REGEX OUTFILE -- COMMAND...: the exit status, a stderr line matching
# the regex, and (when OUTFILE is not -) no file left at OUTFILE.
expect() {
    name=$1 code=$2 re=$3 out=$4
    shift 5
    "$@" >"$t/stdout" 2>"$t/stderr"
    rc=$?
    if [ "$rc" -ne "$code" ]; then bad "$name: exit $rc, want $code"; cat "$t/stderr"; return; fi
    if [ "$re" = '^$' ]; then
        if [ -s "$t/stderr" ]; then bad "$name: unexpected messages:"; cat "$t/stderr"; return; fi
    elif ! grep -Eq -- "$re" "$t/stderr"; then bad "$name: stderr does not match /$re/:"; cat "$t/stderr"; return; fi
    if [ "$out" != - ] && [ -e "$out" ]; then bad "$name: left an output file $out"; return; fi
    if ls -a "$t" | grep -q '\.tmp$'; then bad "$name: left a temporary file"; return; fi
    ok
}

printf -- '---\ntitle: "T"\ntags: [a, b\n---\n\nbody\n' >"$t/broken.md"
expect "broken YAML" 3 '^.*broken\.md:[0-9]+:[0-9]+: error: ' "$t/o.html" -- $NC "$t/broken.md" -o "$t/o.html"
grep -q 'broken.md:[34]:' "$t/stderr" || bad "broken YAML: line should be 3 or 4: $(cat "$t/stderr")"

printf -- '---\ntitle: x\n\nno end\n' >"$t/unterminated.md"
expect "unterminated front matter" 3 'unterminated\.md:1:1: error: .*(never closed|unterminated)' "$t/o.html" -- $NC "$t/unterminated.md" -o "$t/o.html"

printf -- '---\n- a\n- b\n---\nbody\n' >"$t/list.md"
expect "front matter not a mapping" 3 'list\.md:2:[0-9]+: error: .*mapping' "$t/o.html" -- $NC "$t/list.md" -o "$t/o.html"

expect "missing input" 3 'nothere\.md: error: cannot open' "$t/o.html" -- $NC "$t/nothere.md" -o "$t/o.html"
expect "directory input" 3 'error: is a directory' "$t/o.html" -- $NC "$t" -o "$t/o.html"
expect "unknown output format" 2 "unknown output format 'docx' \(valid formats: .*html" "$t/o.docx" -- $NC -t docx "$NC_SOURCE_DIR/README.md" -o "$t/o.docx"
expect "unknown input format" 2 "unknown input format 'rst' \(valid formats: markdown" - -- $NC -f rst "$NC_SOURCE_DIR/README.md"
expect "format from -o" 2 "cannot tell the output format" "$t/o.xyz" -- $NC "$NC_SOURCE_DIR/README.md" -o "$t/o.xyz"
expect "unknown filter" 2 "unknown filter 'nope' \(valid filters: .*heading-ids" - -- $NC -F nope "$NC_SOURCE_DIR/README.md"
expect "bad option" 2 "Try 'noteconv --help'" - -- $NC --no-such-option
mkdir "$t/ro" && chmod 555 "$t/ro"
if [ "$(id -u)" = 0 ]; then
    # root writes anywhere: use a path whose folder does not exist
    expect "unwritable output" 4 'nodir/o\.html: error: cannot write' "$t/nodir/o.html" -- $NC "$NC_SOURCE_DIR/README.md" -o "$t/nodir/o.html"
else
    expect "unwritable output" 4 'ro/o\.html: error: cannot write' "$t/ro/o.html" -- $NC "$NC_SOURCE_DIR/README.md" -o "$t/ro/o.html"
fi
if [ -w /dev/full ]; then
    expect "full disk" 4 'error: cannot write' - -- $NC -t html "$NC_SOURCE_DIR/README.md" -o /dev/full
fi
cp "$t/list.md" "$t/same.md"
expect "output is the input" 2 "is an input" - -- $NC "$t/same.md" -o "$t/same.md"
cmp -s "$t/list.md" "$t/same.md" || bad "the input was modified"

# working conversions
printf -- '---\ntitle: "Hello"\n---\n\n# Hi\n\ntext\n' >"$t/ok.md"
expect "stdin to stdout" 0 '^$' - -- sh -c "$NC <'$t/ok.md'"
grep -q '<h1 id="hi">Hi</h1>' "$t/stdout" && ok || bad "stdin: $(cat "$t/stdout")"
expect "format from -o" 0 '^$' - -- $NC "$t/ok.md" -o "$t/ok.html"
grep -q '<h1 id="hi">' "$t/ok.html" && ok || bad "-o did not write HTML"
expect "standalone with -M and -c" 0 '^$' - -- $NC -s -M title=Override -M draft -c style.css "$t/ok.md"
grep -q '<title>Override</title>' "$t/stdout" && ok || bad "-M title did not override"
grep -q '<link rel="stylesheet" href="style.css"' "$t/stdout" && ok || bad "-c missing"
grep -q '<html lang="en"' "$t/stdout" && ok || bad "lang should be en"
printf '# 見出し\n\n日本語の文章です。\n' >"$t/ja.md"
expect "japanese lang" 0 '^$' - -- $NC -s "$t/ja.md"
grep -q '<html lang="ja"' "$t/stdout" && ok || bad "lang should be ja"
grep -q 'id="見出し"' "$t/stdout" && ok || bad "Japanese id"
expect "no-filter" 0 '^$' - -- $NC --no-filter heading-ids "$t/ja.md"
grep -q '<h1>見出し</h1>' "$t/stdout" && ok || bad "--no-filter heading-ids"
printf '$title$|$for(tags)$[$it$]$sep$,$endfor$|$if(draft)$D$else$P$endif$\n' >"$t/tpl.html"
printf -- '---\ntitle: A & B\ntags: [x, y]\n---\nbody\n' >"$t/tpl.md"
expect "template" 0 '^$' - -- $NC -s --template "$t/tpl.html" "$t/tpl.md"
[ "$(cat "$t/stdout")" = "A &amp; B|[x],[y]|P" ] && ok || bad "template: $(cat "$t/stdout")"
expect "two inputs" 0 '^$' - -- $NC "$t/ok.md" "$t/ja.md"
grep -q '<h1 id="見出し">' "$t/stdout" && grep -q '<h1 id="hi">' "$t/stdout" && ok || bad "two inputs"
expect "list formats" 0 '^$' - -- $NC --list-formats
grep -q 'html' "$t/stdout" && ok || bad "--list-formats"
expect "list filters" 0 '^$' - -- $NC --list-filters
grep -q 'heading-ids' "$t/stdout" && ok || bad "--list-filters"
expect "help" 0 '^$' - -- $NC --help
for o in --from --to --output --standalone --template --css --variable --metadata --metadata-file --builtin --no-filter --resource-path --max-depth --toc --toc-depth --list-formats --list-filters --quiet --verbose --version --help; do
    grep -q -- "$o" "$t/stdout" || bad "--help does not document $o"
    grep -qF -- "$(echo "$o" | sed 's/-/\\-/g')" "$NC_SOURCE_DIR/man/noteconv.1" || bad "the man page does not document $o"
    grep -q -- "$o" "$NC_SOURCE_DIR/README.md" || bad "README does not document $o"
done
printf 'a\377\376b\n\nc\200\n' >"$t/utf8.md"
expect "invalid UTF-8" 0 'utf8\.md:1:2: warning: .*UTF-8' - -- $NC "$t/utf8.md"
grep -q "$(printf 'a\357\277\275')" "$t/stdout" && ok || bad "invalid UTF-8 not replaced"

# --metadata-file: defaults under the note's own front matter; errors at the file's own line
printf 'author: Meta Author\ntitle: Not This\n' >"$t/meta.yaml"
expect "metadata file" 0 '^$' - -- $NC -s --metadata-file "$t/meta.yaml" "$t/ok.md"
grep -q '<title>Hello</title>' "$t/stdout" && grep -q 'Meta Author' "$t/stdout" && ok || bad "--metadata-file merge"
printf 'a: 1\nb: [x, y\n' >"$t/badmeta.yaml"
expect "bad metadata file" 3 'badmeta\.yaml:[23]:[0-9]+: error: ' - -- $NC --metadata-file "$t/badmeta.yaml" "$t/ok.md"

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
