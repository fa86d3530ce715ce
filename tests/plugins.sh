#!/bin/sh
# plugins.sh — filter plugins (-F ./x.so): the sample wordcount plugin runs in command-line
# order among the built-in filters and gets its arguments; a plugin for another ABI version, a
# shared object without the entry point, a file that is not one, a missing file and a failing
# plugin are all refused with exit status 5 and a message that says why.
set -u
: "${NOTECONV:?}" "${NC_BUILD_DIR:?}"
P="$NC_BUILD_DIR/plugins"
[ -f "$P/wordcount.so" ] || { echo "SKIP: $P/wordcount.so not built"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# expect WHAT STATUS PATTERN -- ARGS...: the exit status and a pattern in stdout+stderr
expect() {
    what=$1 want=$2 pat=$3
    shift 4
    "$NOTECONV" "$@" >"$t/out" 2>"$t/err"
    rc=$?
    if [ $rc -ne "$want" ]; then
        bad "$what: exit $rc, wanted $want"; cat "$t/err"
    elif ! cat "$t/out" "$t/err" | grep -q -- "$pat"; then
        bad "$what: no '$pat' in:"; cat "$t/out" "$t/err"
    else
        ok
    fi
}

printf '%s\n' '$wordcount$ words, $reading-time$ min$if(plugin-args)$, args $plugin-args$$endif$' \
    >"$t/t.txt"
cat >"$t/note.md" <<'MD'
---
title: Count
---
Hello brave new world, it's 2026.

日本語の文章です。**太字**も数える。

```
code is not counted
```

![alt text is not counted](x.png) `nor code`
MD
# 6 words (Hello brave new world it's 2026) + 8 + 2 + 4 Japanese characters
expect "wordcount" 0 '^20 words, 1 min$' -- -s --template="$t/t.txt" -F "$P/wordcount.so" "$t/note.md"
expect "wordcount args" 0 '^20 words, 1 min$' -- -s --template="$t/t.txt" \
    -F "$P/wordcount.so=wpm=1000,cpm=1000" "$t/note.md"
expect "wordcount reading time" 0 '^20 words, 3 min$' -- -s --template="$t/t.txt" \
    -F "$P/wordcount.so:wpm=3,cpm=100" "$t/note.md"
(cd "$P" && "$NOTECONV" -s --template="$t/t.txt" -F wordcount.so "$t/note.md") >"$t/out" 2>&1 &&
    grep -q '^20 words' "$t/out" && ok || bad "wordcount.so without ./ is looked for in the current folder"
expect "bad plugin argument" 5 "wordcount: unknown argument 'fast'" -- -F "$P/wordcount.so=fast" "$t/note.md"
printf -- '---\ntitle: Kept\nreading-time: 9\n---\nword\n' >"$t/kept.md"
expect "front matter wins" 0 '^1 words, 9 min$' -- -s --template="$t/t.txt" -F "$P/wordcount.so" "$t/kept.md"

# the chain runs in command-line order: before hugo-shortcodes the shortcode's text is counted,
# after it only the figure's caption is
printf '%s\n' '{{< figure src="a.png" title="写真" >}}' >"$t/fig.md"
expect "order: plugin first" 0 '^7 words' -- -s --template="$t/t.txt" --no-hugo \
    -F "$P/wordcount.so" -F hugo-shortcodes "$t/fig.md"
expect "order: plugin last" 0 '^2 words' -- -s --template="$t/t.txt" --no-hugo \
    -F hugo-shortcodes -F "$P/wordcount.so" "$t/fig.md"

# refusals: exit status 5, never run
expect "wrong ABI" 5 "built for filter ABI version 2, but this noteconv .* has version 1" -- \
    -F "$P/wrong_abi.so" "$t/note.md"
grep -q "ran\|RAN" "$t/out" "$t/err" && bad "the wrong-ABI plugin was run"
expect "no entry point" 5 "has no nc_filter_plugin_entry() entry point" -- -F "$P/no_entry.so" "$t/note.md"
printf 'not a library\n' >"$t/text.so"
expect "not a shared object" 5 "is not a shared object" -- -F "$t/text.so" "$t/note.md"
expect "missing plugin" 5 "plugin '$t/nowhere.so': file not found" -- -F "$t/nowhere.so" "$t/note.md"
expect "a folder" 5 "not a regular file" -- -F "$t/" "$t/note.md"
expect "failing plugin" 5 "plugin 'failing' (.*failing.so) failed" -- -F "$P/failing.so=no" "$t/note.md"
[ -s "$t/out" ] && bad "output written although a plugin failed"
expect "plugin args as written" 0 'args ok:key=val,x$' -- -s --template="$t/t.txt" \
    -F "$P/failing.so=ok:key=val,x" "$t/note.md"
expect "unknown built-in is still a usage error" 2 "unknown filter 'nosuch'" -- -F nosuch "$t/note.md"

echo "plugins: $pass passed, $fail failed"
[ $fail -eq 0 ]
