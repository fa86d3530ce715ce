#!/bin/sh
# json_bad.sh — the -f json reader on bad input: each case of the catalogue gives exit 3, one
# error naming the file (with line:col for JSON syntax, a JSON path for a wrong shape) and no
# output file; the good cases beside them show the same commands work.
set -u
: "${NOTECONV:?}" "${NC_SOURCE_DIR:?}"
NC=$NOTECONV
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

H='{"pandoc-api-version":[1,22],"meta":{},"blocks":'

# case NAME WANT-EXIT STDERR-REGEX JSON [OPTIONS...]: the JSON is in $t/in.json
case_() {
    name=$1 code=$2 re=$3
    printf '%s' "$4" >"$t/in.json"
    shift 4
    rm -f "$t/out.html"
    "$NC" "$@" "$t/in.json" -o "$t/out.html" >"$t/stdout" 2>"$t/stderr"
    rc=$?
    if [ $rc -ne "$code" ]; then bad "$name: exit $rc, want $code"; cat "$t/stderr"; return; fi
    if [ "$re" = '^$' ]; then
        if [ -s "$t/stderr" ]; then bad "$name: unexpected messages:"; cat "$t/stderr"; return; fi
    elif ! grep -Eq -- "$re" "$t/stderr"; then
        bad "$name: stderr does not match /$re/:"; cat "$t/stderr"; return
    fi
    if [ "$code" -ne 0 ] && [ -e "$t/out.html" ]; then bad "$name: left an output file"; return; fi
    if [ "$code" -ne 0 ] && [ "$(wc -l <"$t/stderr")" -ne 1 ]; then
        bad "$name: want one message:"; cat "$t/stderr"; return
    fi
    ok
}

F='.*in\.json'
case_ "good 1.22" 0 '^$' "$H"'[{"t":"Para","c":[{"t":"Str","c":"ok"}]}]}'
grep -q '<p>ok</p>' "$t/out.html" || bad "good 1.22: output $(cat "$t/out.html")"
case_ "good 1.23 with a Figure" 0 '^$' '{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"Figure","c":[["f",[],[]],[null,[{"t":"Plain","c":[{"t":"Str","c":"cap"}]}]],[{"t":"Plain","c":[{"t":"Image","c":[["",[],[]],[],["a.png",""]]}]}]]}]}'
grep -q '<figure id="f">' "$t/out.html" || bad "good 1.23: output $(cat "$t/out.html")"

case_ "escapes" 0 '^$' "$H"'[{"t":"Para","c":[{"t":"Str","c":"\u00e9\ud83d\ude00\"\\\/<"}]}]}'
grep -q '<p>é😀&quot;\\/&lt;</p>' "$t/out.html" || bad "escapes: output $(cat "$t/out.html")"
case_ "BOM" 0 '^$' "$(printf '\357\273\277')$H"'[]}'
case_ "empty input" 3 "^$F:1:1: error: invalid JSON" ''
case_ "truncated" 3 "^$F:1:[0-9]+: error: invalid JSON: premature end of input" "$H"'[{"t":"Para","c":[{"t":"Str","c":"cut'
case_ "truncated on line 3" 3 "^$F:3:[0-9]+: error: invalid JSON" "$H
[{\"t\":\"Para\",
\"c\":[}]}"
case_ "trailing garbage" 3 "^$F:1:[0-9]+: error: invalid JSON" "$H"'[]} x'
case_ "invalid UTF-8" 3 "^$F:1:[0-9]+: error: invalid JSON" "$H"'[{"t":"Para","c":[{"t":"Str","c":"'"$(printf '\377')"'"}]}]}'
case_ "lone surrogate" 3 "^$F:1:[0-9]+: error: invalid JSON: invalid \\\\u escape: a lone surrogate" "$H"'[{"t":"Para","c":[{"t":"Str","c":"\ud83dx"}]}]}'
case_ "NUL escape" 3 "^$F:1:[0-9]+: error: invalid JSON: .u0000 in a string is not supported" "$H"'[{"t":"Para","c":[{"t":"Str","c":"a\u0000"}]}]}'
case_ "raw newline in a string" 3 "^$F:1:[0-9]+: error: invalid JSON: a control character in a string" "$H"'[{"t":"Para","c":[{"t":"Str","c":"a
b"}]}]}'
case_ "bad literal" 3 "^$F:1:[0-9]+: error: invalid JSON: invalid literal" "$H"'[tru]}'
case_ "bad number" 3 "^$F:1:[0-9]+: error: invalid JSON: invalid number" "$H"'[{"t":"Header","c":[1.,["",[],[]],[]]}]}'
case_ "not an object" 3 "^$F:[0-9]+:[0-9]+: error: not pandoc JSON: expected an object" '[{"unMeta":{}},[]]'
case_ "no version" 3 "^$F:[0-9]+:[0-9]+: error: not pandoc JSON: no \"pandoc-api-version\"" '{"meta":{},"blocks":[]}'
case_ "version 1.17" 3 "^$F:[0-9]+:[0-9]+: error: pandoc-api-version 1.17 is not supported: noteconv reads 1.22" '{"pandoc-api-version":[1,17,5],"meta":{},"blocks":[]}'
case_ "version 2.0" 3 "^$F:[0-9]+:[0-9]+: error: pandoc-api-version 2.0 is not supported" '{"pandoc-api-version":[2,0],"meta":{},"blocks":[]}'
case_ "version not numbers" 3 "^$F:[0-9]+:[0-9]+: error: \"pandoc-api-version\" should be a list" '{"pandoc-api-version":"1.22","meta":{},"blocks":[]}'
case_ "unknown block kind" 3 "^$F:[0-9]+:[0-9]+: error: pandoc JSON at \\\$\\.blocks\\[1\\] \\(Paragraph\\): unknown Block kind \"Paragraph\"" "$H"'[{"t":"HorizontalRule"},{"t":"Paragraph","c":[]}]}'
case_ "unknown inline kind" 3 "^$F:[0-9]+:[0-9]+: error: pandoc JSON at \\\$\\.blocks\\[0\\]\\.c\\[0\\]\\.c\\[1\\] \\(Bold\\): unknown Inline kind \"Bold\"" "$H"'[{"t":"Para","c":[{"t":"Emph","c":[{"t":"Str","c":"a"},{"t":"Bold","c":[]}]}]}]}'
case_ "unknown meta kind" 3 "^$F:[0-9]+:[0-9]+: error: pandoc JSON at \\\$\\.meta\\.x \\(MetaNumber\\): unknown MetaValue kind" '{"pandoc-api-version":[1,22],"meta":{"x":{"t":"MetaNumber","c":1}},"blocks":[]}'
case_ "no t" 3 "^$F:[0-9]+:[0-9]+: error: pandoc JSON at \\\$\\.blocks\\[0\\]: Block: expected an object with a string \"t\"" "$H"'[{"c":[]}]}'
case_ "block is a string" 3 "^$F:[0-9]+:[0-9]+: error: pandoc JSON at \\\$\\.blocks\\[0\\]: Block: expected an object with \"t\", found a string" "$H"'["Para"]}'
case_ "blocks missing" 3 "^$F:[0-9]+:[0-9]+: error: pandoc JSON at \\\$: \\[Block\\]: expected an array, found null" '{"pandoc-api-version":[1,22],"meta":{}}'
case_ "header level a string" 3 "^$F:[0-9]+:[0-9]+: error: .*Header level: expected a number, found a string" "$H"'[{"t":"Header","c":["1",["",[],[]],[]]}]}'
case_ "header level past long's range" 3 "^$F:[0-9]+:[0-9]+: error: .*Header level: expected a whole number from 1 to 6" "$H"'[{"t":"Header","c":[1e55,["",[],[]],[]]}]}'
case_ "header level not a number" 3 "^$F:[0-9]+:[0-9]+: error: .*Header level: expected a whole number from 1 to 6" "$H"'[{"t":"Header","c":[-1e400,["",[],[]],[]]}]}'
case_ "column width past long's range" 3 "^$F:[0-9]+:[0-9]+: error: .*ColWidth: expected a fraction from 0 to 1" "$H"'[{"t":"Table","c":[["",[],[]],[null,[]],[[{"t":"AlignDefault"},{"t":"ColWidth","c":1e300}]],[["",[],[]],[]],[],[["",[],[]],[]]]}]}'
case_ "header level 7" 3 "^$F:[0-9]+:[0-9]+: error: .*Header level: expected a whole number from 1 to 6" "$H"'[{"t":"Header","c":[7,["",[],[]],[]]}]}'
case_ "header short" 3 "^$F:[0-9]+:[0-9]+: error: pandoc JSON at \\\$\\.blocks\\[0\\]\\.c: Header: expected 3 elements, found 2" "$H"'[{"t":"Header","c":[1,[]]}]}'
case_ "attr wrong" 3 "^$F:[0-9]+:[0-9]+: error: .*Attr classes: expected an array, found a string" "$H"'[{"t":"Div","c":[["id","cls",[]],[]]}]}'
case_ "Str not a string" 3 "^$F:[0-9]+:[0-9]+: error: .*Str: expected a string, found a number" "$H"'[{"t":"Plain","c":[{"t":"Str","c":3}]}]}'
case_ "MetaBool not a boolean" 3 "^$F:[0-9]+:[0-9]+: error: .*\\.meta\\.draft .*MetaBool: expected a boolean" '{"pandoc-api-version":[1,22],"meta":{"draft":{"t":"MetaBool","c":"yes"}},"blocks":[]}'
case_ "cell spans" 3 "^$F:[0-9]+:[0-9]+: error: .*ColSpan: expected a whole number from 1" "$H"'[{"t":"Table","c":[["",[],[]],[null,[]],[[{"t":"AlignDefault"},{"t":"ColWidthDefault"}]],[["",[],[]],[]],[[["",[],[]],0,[],[[["",[],[]],[[["",[],[]],{"t":"AlignDefault"},1,0,[]]]]]]],[["",[],[]],[]]]}]}'
case_ "bad alignment" 3 "^$F:[0-9]+:[0-9]+: error: .*Alignment: unknown value \"AlignMiddle\"" "$H"'[{"t":"Table","c":[["",[],[]],[null,[]],[[{"t":"AlignMiddle"},{"t":"ColWidthDefault"}]],[["",[],[]],[]],[],[["",[],[]],[]]]}]}'

# 100000 nested arrays: the parser (which does not recurse) stops at 4 * max-depth + 64 levels
deep=$(python3 -c 'print("[" * 100000 + "]" * 100000)')
case_ "100000-deep arrays" 3 "^$F:1:[0-9]+: error: invalid JSON: nesting deeper than 4064 levels" "$H$deep}"
case_ "100000-deep arrays, --max-depth=1000000" 3 "^$F:1:[0-9]+: error: invalid JSON: nesting deeper than 4096 levels" "$H$deep}" --max-depth=1000000
# nesting that JSON allows but --max-depth does not
quotes=$(python3 -c 'n=60; print("{\"t\":\"BlockQuote\",\"c\":[" * n + "]}" * n)')
case_ "60 block quotes, --max-depth=50" 3 "^$F:[0-9]+:[0-9]+: error: .*nesting deeper than 50 levels" "$H[$quotes]}" --max-depth=50
case_ "60 block quotes" 0 '^$' "$H[$quotes]}"
[ "$(grep -c '<blockquote>' "$t/out.html")" -eq 60 ] || bad "60 block quotes: not 60 in the output"
emphs=$(python3 -c 'n=900; print("{\"t\":\"Emph\",\"c\":[" * n + "]}" * n)')
case_ "900 nested Emph (1800 JSON levels)" 0 '^$' "$H"'[{"t":"Para","c":['"$emphs"']}]}'

# the command line: .json names the format both ways; --pandoc-api takes two values
printf '# T\n\nx\n' >"$t/n.md"
"$NC" "$t/n.md" -o "$t/n.json" && "$NC" "$t/n.json" -o "$t/n2.html" && grep -q '<h1 id="t">T</h1>' "$t/n2.html" &&
    grep -q '"pandoc-api-version"' "$t/n.json" && ok || bad ".json extension does not select -t/-f json"
"$NC" --pandoc-api=1.21 -t json "$t/n.md" >/dev/null 2>"$t/stderr"
[ $? -eq 2 ] && grep -q "1.22 or 1.23" "$t/stderr" && ok || bad "--pandoc-api=1.21 is not a usage error"
"$NC" --pandoc-api=1.23 -t json "$t/n.md" | grep -q '"pandoc-api-version":\[1,23' && ok || bad "--pandoc-api=1.23"
"$NC" --pandoc-api=1.22 -t json "$t/n.md" | grep -q '"pandoc-api-version":\[1,22' && ok || bad "--pandoc-api=1.22"

# every node kind, in the canonical form our writer gives: read and written again it is the
# same bytes, directly (1.23) and through 1.22 (where the figure becomes a marked Div)
ek=$NC_SOURCE_DIR/tests/json/every-kind.json
"$NC" -f json -t json --pandoc-api=1.23 "$ek" | cmp -s - "$ek" && ok ||
    bad "every-kind.json does not come back the same through -f json -t json"
"$NC" -f json -t json --pandoc-api=1.22 "$ek" >"$t/ek22.json" &&
    "$NC" -f json -t json --pandoc-api=1.23 "$t/ek22.json" | cmp -s - "$ek" && ok ||
    bad "every-kind.json does not come back the same through pandoc-api 1.22"
if command -v pandoc >/dev/null; then
    pandoc -f json -t native "$t/ek22.json" >/dev/null 2>"$t/stderr" && ok ||
        { bad "pandoc rejects every-kind.json written as 1.22:"; cat "$t/stderr"; }
fi

echo "json_bad: $pass passed, $fail failed"
[ $fail -eq 0 ]
