#!/usr/bin/env bash
# Render the Word report of each reference plan (with generated observations), convert it
# to PDF with LibreOffice headless and rasterise the pages, so that a person (or a
# reviewer's image viewer) can check that tables fit, Chinese renders and charts show.
#
# Usage: scripts/check-report-pdf.sh [OUT_DIR]
# Needs: libreoffice (libreoffice-writer-nogui), pdftoppm (poppler-utils), a CJK font
# (fonts-noto-cjk). Exits non-zero when a conversion fails or a PDF has no pages.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-$(mktemp -d -t guihua-report-XXXXXX)}"
mkdir -p "$out"
for tool in libreoffice pdftoppm pdfinfo; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y libreoffice-writer-nogui poppler-utils fonts-noto-cjk)" >&2; exit 2; }
done
cargo run -q -p guihua-report --example render_seeds -- "$out" docx >/dev/null
# A private LibreOffice profile, so a running instance or a stale lock cannot interfere.
profile="$out/lo-profile"
fail=0
for docx in "$out"/*.docx; do
  timeout 300 libreoffice -env:UserInstallation=file://"$profile" --headless \
    --convert-to pdf --outdir "$out" "$docx" >/dev/null 2>&1 || true
  pdf="${docx%.docx}.pdf"
  if [[ ! -s "$pdf" ]]; then
    echo "FAIL $docx: no PDF" >&2; fail=1; continue
  fi
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  if [[ "${pages:-0}" -lt 1 ]]; then
    echo "FAIL $pdf: no pages" >&2; fail=1; continue
  fi
  pdftoppm -png -r 60 "$pdf" "${pdf%.pdf}-page"
  fonts=$(pdffonts "$pdf" 2>/dev/null | tail -n +3 | awk '{print $1}' | sort -u | tr '\n' ' ')
  echo "ok $pdf: $pages pages; fonts: $fonts"
done
echo "pages in $out (*-page-*.png)"
exit $fail
