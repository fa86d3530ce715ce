#!/bin/sh
# pdf.sh — the reference note to PDF: noteconv against pandoc with xelatex (a Japanese font
# through xeCJK) and against weasyprint (pandoc's HTML), run side by side; prints each time
# (best of 3 for the peers, of 10 for noteconv), the ratio to the fastest peer, noteconv's
# peak memory and the sizes of the PDFs. Peers that are not installed are skipped.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
NC=${NOTECONV:-$here/build/noteconv}
note=${1:-$here/../shared/corpus/blog/2019/10/04_aws_devday_2.md}
[ -f "$note" ] || { echo "SKIP: $note is absent"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$(dirname "$note")"/. "$tmp/" 2>/dev/null || true
cd "$tmp"
best() { # best wall time in ms of N runs of the command
    n=$1; shift
    b=999999999
    i=0
    while [ $i -lt "$n" ]; do
        s=$(date +%s%N); "$@" >/dev/null 2>&1 || return 1; e=$(date +%s%N)
        t=$(( (e - s) / 1000 )); [ "$t" -lt "$b" ] && b=$t
        i=$((i + 1))
    done
    echo "$b"
}
ms() { awk -v u="$1" 'BEGIN { printf "%.1f ms", u / 1000 }'; }
size() { [ -f "$1" ] && echo "$(( $(wc -c <"$1") / 1024 )) KB" || echo "-"; }

ours=$(best 10 "$NC" -t pdf "$note" -o ours.pdf)
mem=$(/usr/bin/time -f %M "$NC" -t pdf "$note" -o ours.pdf 2>&1 >/dev/null | tail -1)
echo "note: $note"
echo "noteconv -t pdf:          $(ms "$ours")  $(size ours.pdf)  peak $((mem / 1024)) MB"
fastest=0
if command -v pandoc >/dev/null && command -v xelatex >/dev/null; then
    if t=$(best 3 pandoc "$note" --pdf-engine=xelatex -V CJKmainfont=IPAexMincho -o xelatex.pdf); then
        echo "pandoc + xelatex:         $(ms "$t")  $(size xelatex.pdf)"
        fastest=$t
    else
        echo "pandoc + xelatex:         failed (texlive-xetex, texlive-lang-japanese and texlive-lang-chinese for xeCJK)"
    fi
else
    echo "pandoc + xelatex:         not installed"
fi
if command -v pandoc >/dev/null && command -v weasyprint >/dev/null; then
    if t=$(best 3 pandoc "$note" --pdf-engine=weasyprint -o weasyprint.pdf); then
        echo "pandoc + weasyprint:      $(ms "$t")  $(size weasyprint.pdf)"
        if [ "$fastest" -eq 0 ] || [ "$t" -lt "$fastest" ]; then fastest=$t; fi
    else
        echo "pandoc + weasyprint:      failed"
    fi
else
    echo "pandoc + weasyprint:      not installed"
fi
if [ "$fastest" -gt 0 ]; then
    awk -v a="$fastest" -v b="$ours" 'BEGIN { printf "noteconv is %.0fx faster than the fastest peer (goal: >= 100x)\n", a / b }'
fi

# the same with photos: a note that shows JPEGs through Hugo figure shortcodes
photos=$here/../shared/corpus/blog/2019/11/05_golang_tokyo_27.md
if [ -z "${1:-}" ] && [ -f "$photos" ]; then
    cp "$(dirname "$photos")"/* "$tmp/" 2>/dev/null || true
    ours=$(best 10 "$NC" -t pdf "$photos" -o photos.pdf)
    echo "note with photos: $photos"
    echo "noteconv -t pdf:          $(ms "$ours")  $(size photos.pdf)"
    if command -v weasyprint >/dev/null &&
        t=$(best 3 pandoc "$photos" --resource-path="$(dirname "$photos")" --pdf-engine=weasyprint -o w2.pdf); then
        echo "pandoc + weasyprint:      $(ms "$t")  $(size w2.pdf)"
        awk -v a="$t" -v b="$ours" 'BEGIN { printf "noteconv is %.0fx faster than weasyprint here\n", a / b }'
    fi
fi
