#!/bin/sh
# install.sh — `cmake --install` into a temporary prefix gives the program, the libraries,
# the header, the man page and a pkg-config file with which samples/library/example.c builds
# (against the shared and the static library) and runs.
set -u
: "${NC_SOURCE_DIR:?}" "${NC_BUILD_DIR:?}"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
cmake --install "$NC_BUILD_DIR" --prefix "$t/prefix" >/dev/null || { echo "FAIL: cmake --install"; exit 1; }
for f in bin/noteconv include/noteconv/noteconv.h include/noteconv/filter.h share/man/man1/noteconv.1 \
         share/noteconv/outline.schema.json; do
    [ -e "$t/prefix/$f" ] || bad "not installed: $f"
done
for f in bin/noteconv-filter share/man/man1/noteconv-filter.1; do
    [ -e "$t/prefix/$f" ] || bad "not installed: $f"
done
pc=$(find "$t/prefix" -name noteconv.pc | head -1)
[ -n "$pc" ] || { echo "FAIL: no noteconv.pc"; exit 1; }
export PKG_CONFIG_PATH="$(dirname "$pc")"
# a sanitizer build's libraries need the sanitizer runtimes in the program too
san=""
[ "${NC_SANITIZED:-}" = 1 ] && san="-fsanitize=address,undefined"
libdir=$(pkg-config --variable=libdir noteconv)
ls "$libdir"/libnoteconv.so* "$libdir"/libnoteconv.a >/dev/null 2>&1 || bad "libraries missing in $libdir"
cc $san "$NC_SOURCE_DIR/samples/library/example.c" -o "$t/shared" $(pkg-config --cflags --libs noteconv) \
    -Wl,-rpath,"$libdir" || bad "example does not build against the shared library"
cc $san "$NC_SOURCE_DIR/samples/library/example.c" -o "$t/static" $(pkg-config --cflags noteconv) \
    "$libdir/libnoteconv.a" $(pkg-config --static --libs noteconv | sed 's/-lnoteconv//') ||
    bad "example does not build against the static library"
for prog in shared static; do
    [ -x "$t/$prog" ] || continue
    out=$("$t/$prog") || bad "$prog example failed"
    echo "$out" | grep -q '<h1 id="見出し">見出し</h1>' || bad "$prog example output: $out"
done
# a filter plugin builds out of tree from the installed header alone and runs in the installed
# noteconv
cc $san -shared -fPIC $(pkg-config --cflags noteconv) -o "$t/wordcount.so" \
    "$NC_SOURCE_DIR/samples/plugins/wordcount.c" || bad "the sample plugin does not build out of tree"
if [ -f "$t/wordcount.so" ]; then
    printf '$wordcount$\n' >"$t/t.txt"
    out=$(printf 'two words 日本\n' | "$t/prefix/bin/noteconv" -s --template="$t/t.txt" -F "$t/wordcount.so")
    [ "$out" = 4 ] || bad "the out-of-tree plugin gave '$out', not 4"
fi
echo "install: $((fail == 0)) passed, $fail failed"
[ $fail -eq 0 ]
