#!/bin/sh
# extfilter.sh — external filters end to end: python3-pandocfilters' examples give in our chain
# the JSON they give under pandoc; failing filters (exit status, signal, bad JSON, timeout,
# missing program) stop with exit 5, their stderr and no output; -F and --filter run in
# command-line order; noteconv-filter works under the real pandoc.
set -u
: "${NOTECONV:?}" "${NC_SOURCE_DIR:?}" "${NC_BUILD_DIR:?}"
NC=$NOTECONV
if ! "$NC" --list-formats | grep -q '^  json '; then
    echo "SKIP: this noteconv has no pandoc JSON reader and writer"
    exit 77
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# a python3 with pandocfilters first in PATH, for pandoc and for us alike
mkdir "$t/bin"
PY=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import pandocfilters' 2>/dev/null; then
        PY=$(command -v "$p")
        break
    fi
done
if [ -z "$PY" ]; then
    PY=$(command -v python3 || true)
fi
[ -n "$PY" ] && ln -s "$PY" "$t/bin/python3"
PATH="$t/bin:$NC_BUILD_DIR:$PATH"
export PATH
HAVE_PANDOC=
command -v pandoc >/dev/null 2>&1 && HAVE_PANDOC=1
EX=/usr/share/doc/python3-pandocfilters/examples

# expect NAME EXIT STDERR-REGEX OUTFILE -- COMMAND...
expect() {
    name=$1 code=$2 re=$3 out=$4
    shift 5
    "$@" >"$t/stdout" 2>"$t/stderr"
    rc=$?
    if [ "$rc" -ne "$code" ]; then bad "$name: exit $rc, want $code"; cat "$t/stderr"; return; fi
    if ! grep -Eq -- "$re" "$t/stderr"; then bad "$name: stderr does not match /$re/:"; cat "$t/stderr"; return; fi
    if [ "$out" != - ] && [ -e "$out" ]; then bad "$name: left an output file $out"; return; fi
    if ls -a "$(dirname "$out")" 2>/dev/null | grep -q '\.tmp'; then bad "$name: left a temporary file"; return; fi
    ok
}

# ---- 1. pandocfilters' examples: the same document as under pandoc ----
# Compared as parsed JSON after one normalisation: runs of adjacent Str are joined, because
# noteconv keeps text in one node where pandoc may leave two (Str "a." Str "]" after a filter
# splices a note into a paragraph); the text and its meaning are the same.
if [ -z "$HAVE_PANDOC" ] || [ ! -d "$EX" ] || ! "$PY" -c 'import pandocfilters' 2>/dev/null; then
    echo "note: pandoc, python3-pandocfilters or its examples missing: example filters not compared"
else
    printf '#!/bin/sh\nexec python3 "$WRAP_FILTER" "$WRAP_FORMAT"\n' >"$t/bin/as-format"
    chmod +x "$t/bin/as-format"
    cp "$EX"/*.py "$EX"/*-sample.md "$t/"
    printf 'Text with a note.[^1]\n\n[^1]: The note, *emphasised*.\n\n    Second paragraph.\n' >"$t/inlinenotes-sample.md"
    : >"$t/pairs"
    for f in caps comments deemph deflists gitlab_markdown inlinenotes latexdivs metavars myemph theorem; do
        pandoc "$t/$f-sample.md" -t json -o "$t/$f.in.json" || { bad "$f: pandoc cannot read its sample"; continue; }
        # as pandoc -t json runs it (the filter gets "json"), then for the targets it acts on
        pandoc "$t/$f-sample.md" --filter "$t/$f.py" -t json -o "$t/$f.want.json"
        "$NC" -f json --filter "$t/$f.py" -t json "$t/$f.in.json" -o "$t/$f.got.json" || bad "$f: noteconv failed"
        echo "$f json" >>"$t/pairs"
        case $f in
            comments|theorem) fmts="html latex" ;;
            latexdivs|myemph) fmts=latex ;;
            inlinenotes) fmts=markdown ;;
            *) fmts= ;;
        esac
        for fmt in $fmts; do
            WRAP_FILTER="$t/$f.py" WRAP_FORMAT=$fmt pandoc -f json "$t/$f.in.json" --filter as-format -t json -o "$t/$f-$fmt.want.json"
            WRAP_FILTER="$t/$f.py" WRAP_FORMAT=$fmt "$NC" -f json --filter as-format -t json "$t/$f.in.json" -o "$t/$f-$fmt.got.json" || bad "$f for $fmt: noteconv failed"
            echo "$f $fmt" >>"$t/pairs"
        done
    done
    "$PY" - "$t" >"$t/compare" <<'PYEOF' || bad "example filters differ from pandoc:"
import json, sys
d = sys.argv[1]
def norm(v):
    if isinstance(v, list):
        out = []
        for x in map(norm, v):
            if (isinstance(x, dict) and x.get("t") == "Str" and out and isinstance(out[-1], dict)
                    and out[-1].get("t") == "Str"):
                out[-1] = {"t": "Str", "c": out[-1]["c"] + x["c"]}
            else:
                out.append(x)
        return out
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    return v
bad = changed = 0
for line in open(d + "/pairs"):
    f, fmt = line.split()
    base = "%s/%s%s" % (d, f, "" if fmt == "json" else "-" + fmt)
    want, got = (norm(json.load(open(base + x))) for x in (".want.json", ".got.json"))
    if want != got:
        print("%s for %s: not what pandoc gives" % (f, fmt))
        bad += 1
    if want != norm(json.load(open("%s/%s.in.json" % (d, f)))):
        changed += 1
# the filters must have changed something, or the comparison proves nothing
if changed < 10:
    print("only %d example runs changed their document" % changed)
    bad += 1
print("%d example runs compared, %d changed the document, %d differ" % (sum(1 for _ in open(d + "/pairs")), changed, bad))
sys.exit(bad != 0)
PYEOF
    cat "$t/compare"
    grep -q ' 0 differ$' "$t/compare" && ok
    # and a whole run: pandoc's filtered document through our HTML writer
    WRAP_FILTER="$t/theorem.py" WRAP_FORMAT=html pandoc "$t/theorem-sample.md" --filter as-format -t json | "$NC" -f json -t html >"$t/want.html"
    "$NC" -f json --filter "$t/theorem.py" -t html "$t/theorem.in.json" >"$t/got.html"
    grep -q '<dt>Theorem 1</dt>' "$t/got.html" || bad "theorem: no numbered theorem in our HTML"
    cmp -s "$t/want.html" "$t/got.html" && ok || bad "theorem: HTML differs from pandoc's filtered document"
fi

# ---- 2. failures: exit 5, a message naming the filter with its stderr, no output ----
printf '# Title\n\nSome *text*.\n' >"$t/n.md"
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "Line %d of a long note with some text.\n\n", i }' >"$t/big.md"
mk() { printf '#!/bin/sh\n%s\n' "$2" >"$t/$1"; chmod +x "$t/$1"; }
mk exit3 'cat >/dev/null; echo "first line" >&2; echo "boom: the reason" >&2; exit 3'
mk garbage 'cat >/dev/null; echo "this is not JSON"'
mk truncated 'cat >/dev/null; printf "%s" "{\"pandoc-api-version\":[1,22,2,1],\"meta\":{},\"blocks\":[{\"t\":\"Para\",\"c\":["'
mk badkind 'cat >/dev/null; printf "%s" "{\"pandoc-api-version\":[1,22,2,1],\"meta\":{},\"blocks\":[{\"t\":\"Nonsense\",\"c\":[]}]}"'
mk oldapi 'cat >/dev/null; printf "%s" "{\"pandoc-api-version\":[1,17,5,4],\"meta\":{},\"blocks\":[]}"'
mk silent 'exit 0'
mk sleeper 'echo "going to sleep" >&2; sleep 30'
mk killed 'kill -KILL $$'
mk chatty 'echo "a debug line" >&2; cat'
printf 'cat\n' >"$t/notexec"
o="$t/out/o.html"
mkdir "$t/out"
expect "non-zero exit" 5 "filter '.*exit3' failed with exit status 3; its standard error:" "$o" -- "$NC" --filter "$t/exit3" "$t/n.md" -o "$o"
grep -q '^  boom: the reason$' "$t/stderr" || bad "non-zero exit: stderr not shown: $(cat "$t/stderr")"
expect "not JSON" 5 "filter '.*garbage' printed invalid pandoc JSON" "$o" -- "$NC" --filter "$t/garbage" "$t/n.md" -o "$o"
expect "truncated JSON" 5 "filter '.*truncated' printed invalid pandoc JSON" "$o" -- "$NC" --filter "$t/truncated" "$t/n.md" -o "$o"
expect "unknown node kind" 5 "filter '.*badkind' printed invalid pandoc JSON.*Nonsense" "$o" -- "$NC" --filter "$t/badkind" "$t/n.md" -o "$o"
expect "old API version" 5 "filter '.*oldapi' printed invalid pandoc JSON.*1\.17" "$o" -- "$NC" --filter "$t/oldapi" "$t/n.md" -o "$o"
# exits at once without reading 1 MB: a SIGPIPE would end us with 141
expect "exits without reading" 5 "filter '.*silent' printed nothing" "$o" -- "$NC" --filter "$t/silent" "$t/big.md" -o "$o"
start=$(date +%s)
expect "timeout" 5 "filter '.*sleeper' ran longer than 0\.5 s \(--filter-timeout\) and was stopped; its standard error:" "$o" -- "$NC" --filter-timeout 0.5 --filter "$t/sleeper" "$t/n.md" -o "$o"
[ $(($(date +%s) - start)) -lt 10 ] || bad "timeout: took $(($(date +%s) - start)) s"
grep -q 'going to sleep' "$t/stderr" || bad "timeout: stderr not shown"
expect "signal" 5 "filter '.*killed' was killed by signal 9 \(SIGKILL\)" "$o" -- "$NC" --filter "$t/killed" "$t/n.md" -o "$o"
# in a batch, each failure names the note it happened on
cp "$t/n.md" "$t/m.md"
expect "batch names the note" 5 "^$t/n\.md: error: filter '.*killed' was killed by signal 9" - -- "$NC" --filter "$t/killed" -d "$t/batch" "$t/n.md" "$t/m.md"
grep -Eq "^$t/m\.md: error: filter '.*killed' was killed by signal 9" "$t/stderr" || bad "batch: the second note's failure does not name it: $(cat "$t/stderr")"
expect "missing program" 5 "filter 'nc-no-such-filter\.py' not found" "$o" -- "$NC" --filter nc-no-such-filter.py "$t/n.md" -o "$o"
expect "not executable" 5 "filter '.*notexec': .*is not executable" "$o" -- "$NC" --filter "$t/notexec" "$t/n.md" -o "$o"
expect "bad timeout" 2 "--filter-timeout wants seconds" - -- "$NC" --filter-timeout soon "$t/n.md"
expect "empty program" 2 "--filter wants a program" - -- "$NC" --filter "" "$t/n.md"
expect "stderr of a good filter" 0 "note: filter '.*chatty' wrote to standard error:" - -- "$NC" --filter "$t/chatty" "$t/n.md"
grep -q '  a debug line' "$t/stderr" || bad "chatty: its line is not shown"
grep -q '<em>text</em>' "$t/stdout" || bad "chatty: output lost"
"$NC" -q --filter "$t/chatty" "$t/n.md" 2>"$t/stderr" >/dev/null
[ -s "$t/stderr" ] && bad "-q still shows a filter's stderr"
if [ -n "$PY" ]; then
    printf 'import sys\nsys.stdin.read()\nraise ValueError("nope, not today")\n' >"$t/raise.py"
    expect "python traceback" 5 "filter '.*raise\.py' failed with exit status 1" "$o" -- "$NC" --filter "$t/raise.py" "$t/n.md" -o "$o"
    grep -q '^  ValueError: nope, not today$' "$t/stderr" || bad "python traceback: last line not shown"
fi

# ---- 3. order: -F and --filter run as written ----
if [ -n "$PY" ]; then
    # add.py appends a heading without an id; ids.py reports the ids it sees in a paragraph
    cat >"$t/add.py" <<'EOF'
import json, sys
d = json.load(sys.stdin)
d["blocks"].append({"t": "Header", "c": [2, ["", [], []], [{"t": "Str", "c": "Added"}]]})
d["blocks"].append({"t": "Para", "c": [{"t": "Str", "c": "{{< figure src=\"x.png\" >}}"}]})
json.dump(d, sys.stdout)
EOF
    cat >"$t/ids.py" <<'EOF'
import json, sys
d = json.load(sys.stdin)
ids = [b["c"][1][0] or "-" for b in d["blocks"] if b["t"] == "Header"]
d["blocks"].append({"t": "Para", "c": [{"t": "Str", "c": "ids:" + ",".join(ids) + ":" + sys.argv[1]}]})
json.dump(d, sys.stdout)
EOF
    "$NC" --no-filter heading-ids --no-filter hugo-shortcodes --filter "$t/add.py" -F heading-ids --filter "$t/ids.py" -F hugo-shortcodes "$t/n.md" >"$t/order1.html" 2>"$t/stderr" || bad "order 1 failed: $(cat "$t/stderr")"
    grep -q '<p>ids:title,added:html</p>' "$t/order1.html" && ok || bad "order 1: ids.py did not see heading-ids' work: $(cat "$t/order1.html")"
    grep -q '<img src="x.png"' "$t/order1.html" || bad "order 1: hugo-shortcodes did not see add.py's shortcode"
    "$NC" --no-filter heading-ids --no-filter hugo-shortcodes -F hugo-shortcodes --filter "$t/ids.py" -F heading-ids --filter "$t/add.py" "$t/n.md" >"$t/order2.html" 2>"$t/stderr" || bad "order 2 failed: $(cat "$t/stderr")"
    grep -q '<p>ids:-:html</p>' "$t/order2.html" && ok || bad "order 2: ids.py ran after heading-ids: $(cat "$t/order2.html")"
    grep -q '<h2>Added</h2>' "$t/order2.html" || bad "order 2: the added heading got an id"
    grep -q '{{&lt; figure' "$t/order2.html" || bad "order 2: the shortcode should stay text"
fi

# ---- 4. a big document through an identity filter: no deadlock, nothing lost ----
mk ident 'exec cat'
"$NC" "$t/big.md" -o "$t/plain.html" && "$NC" --filter "$t/ident" "$t/big.md" -o "$t/ident.html" ||
    bad "identity filter on a 1 MB note failed"
cmp -s "$t/plain.html" "$t/ident.html" && ok || bad "identity filter changed the HTML of the big note"
ref="$NC_SOURCE_DIR/../shared/corpus/blog/2019/10/04_aws_devday_2.md"
if [ -f "$ref" ]; then
    "$NC" "$ref" -o "$t/ref.html" && "$NC" --filter "$t/ident" "$ref" -o "$t/ref-ident.html" &&
        cmp -s "$t/ref.html" "$t/ref-ident.html" && ok || bad "identity filter changed the reference note's HTML"
else
    echo "note: ../shared absent: the reference note is not run through a filter"
fi

# ---- 5. noteconv-filter under the real pandoc ----
NF="$NC_BUILD_DIR/noteconv-filter"
if [ -z "$HAVE_PANDOC" ]; then
    echo "note: no pandoc: noteconv-filter not tried under pandoc"
elif [ ! -x "$NF" ]; then
    bad "noteconv-filter was not built"
else
    cat >"$t/sc.md" <<'EOF'
## 基調講演 の まとめ

{{< figure src="photo.jpg" title="乾杯！" class="center" >}}

Text.
EOF
    pandoc -f gfm "$t/sc.md" -t html -o "$t/sc0.html"
    grep -q '<img' "$t/sc0.html" && bad "pandoc alone already makes an image"
    NOTECONV_FILTERS=hugo-shortcodes pandoc -f gfm "$t/sc.md" --filter noteconv-filter -t html -o "$t/sc1.html" 2>"$t/stderr" || bad "pandoc --filter noteconv-filter failed: $(cat "$t/stderr")"
    grep -q '<img src="photo.jpg"' "$t/sc1.html" && ok || bad "NOTECONV_FILTERS=hugo-shortcodes: no image: $(cat "$t/sc1.html")"
    grep -q '乾杯！' "$t/sc1.html" || bad "the figure's title is lost"
    # metadata chooses (and wins over the environment); heading-ids where pandoc made none
    NOTECONV_FILTERS=nothing-like-this pandoc -f markdown-auto_identifiers-smart -M noteconv-filters=heading-ids,hugo-shortcodes "$t/sc.md" --filter noteconv-filter -t html -o "$t/sc2.html" 2>"$t/stderr" || bad "metadata noteconv-filters failed: $(cat "$t/stderr")"
    grep -q '<h2 id="基調講演-の-まとめ">' "$t/sc2.html" && ok || bad "heading-ids through pandoc: $(cat "$t/sc2.html")"
    grep -q '<img src="photo.jpg"' "$t/sc2.html" || bad "metadata list: no image"
    pandoc -f markdown-auto_identifiers "$t/sc.md" --filter noteconv-filter -t html -o "$t/sc3.html" 2>"$t/stderr" || bad "no filters chosen: failed"
    grep -q 'no filters chosen' "$t/stderr" && ok || bad "no filters chosen: no warning"
    grep -q '<h2>' "$t/sc3.html" || bad "no filters chosen: the document changed"
    # the answer keeps the API version of the question
    pandoc -f gfm "$t/sc.md" -t json -o "$t/sc.json"
    expect "unknown filter in noteconv-filter" 2 "unknown filter 'nope'" - -- env NOTECONV_FILTERS=heading-ids,nope "$NF" html <"$t/sc.json"
    v=$(head -c 40 "$t/sc.json" | sed -n 's/.*"pandoc-api-version":\[\([0-9]*,[0-9]*\).*/\1/p')
    NOTECONV_FILTERS=heading-ids "$NF" html <"$t/sc.json" >"$t/out.json" || bad "noteconv-filter on pandoc's JSON failed"
    head -c 40 "$t/out.json" | grep -q "\"pandoc-api-version\":\[$v[],]" && ok || bad "API version $v not kept: $(head -c 40 "$t/out.json")"
    for api in 22 23; do
        printf '{"pandoc-api-version":[1,%s,1],"meta":{"noteconv-filters":{"t":"MetaInlines","c":[{"t":"Str","c":"heading-ids"}]}},"blocks":[{"t":"Header","c":[1,["",[],[]],[{"t":"Str","c":"見出し"}]]}]}' $api >"$t/v.json"
        "$NF" html <"$t/v.json" >"$t/out.json" || bad "api 1.$api: failed"
        grep -q "^{\"pandoc-api-version\":\[1,$api[],]" "$t/out.json" && grep -q '"見出し",\[\],\[\]' "$t/out.json" && ok ||
            bad "api 1.$api: $(cat "$t/out.json")"
    done
    expect "noteconv-filter: bad JSON" 3 "error" - -- sh -c "echo '{\"blocks\":' | \"$NF\" html"
fi

echo "extfilter: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
