#!/bin/sh
# setup.sh — on a fresh Debian 12 (as root): installs the packages noteconv needs to build and
# to run its tests, builds it into build/ with warnings as errors, and converts samples/ into
# build/samples/ as HTML pages and PDFs, and one EPUB book. Safe to run again.
set -eu
cd "$(dirname "$0")"

packages="build-essential cmake pkg-config python3
  libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libutf8proc-dev
  libxml2-dev libhpdf-dev libunibreak-dev libfontconfig-dev
  libharfbuzz-dev libpng-dev libjpeg-dev libdeflate-dev fonts-ipaexfont fonts-dejavu
  python3-jsonschema
  cmark-gfm pandoc qpdf poppler-utils libxml2-utils python3-pandocfilters npm
  epubcheck clang libclang-rt-14-dev"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
# node/npm may come from elsewhere than Debian's npm package: do not fight over it
if command -v npm >/dev/null 2>&1; then missing=$(echo "$missing" | sed 's/ npm//'); fi
if [ -n "$missing" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi
command -v html-validate >/dev/null 2>&1 || npm install -g --no-fund --no-audit html-validate@10 >/dev/null

cmake -S . -B build -DNC_WERROR="${NC_WERROR:-ON}" >/dev/null
cmake --build build -j"$(nproc)"

mkdir -p build/samples
for md in samples/*.md; do
    name=$(basename "$md" .md)
    ./build/noteconv -s "$md" -o "build/samples/$name.html"
    ./build/noteconv "$md" -o "build/samples/$name.pdf"
    echo "converted $md -> build/samples/$name.html, build/samples/$name.pdf"
done
# one book of all the samples, a chapter each
./build/noteconv -M title="noteconv samples" samples/*.md -o build/samples/samples.epub
echo "converted samples/*.md -> build/samples/samples.epub"
