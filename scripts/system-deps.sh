#!/usr/bin/env bash
# Install the Debian packages the tests need, only those that are missing.
# One list, so every feature that needs a system package adds it here.
set -euo pipefail
PACKAGES=(
  poppler-utils          # pdftotext: fallback PDF reader
  fonts-wqy-zenhei       # a CJK TrueType font, to make real Chinese PDFs in tests
  libreoffice-writer-nogui  # soffice --headless: converts old .doc/.wps to .docx
  libreoffice-calc-nogui # soffice renders the decomposition .xlsx to PDF in the rendering test
  postgresql             # initdb/pg_ctl: the ledger tests start a throwaway server on loopback
  chromium               # /usr/bin/chromium: the browser tests drive it with Playwright (no browser download)
  chromium-l10n          # its Chinese UI: screenshots show file pickers and date inputs as offices see them
  fonts-noto-cjk         # Chinese glyphs in browser screenshots and rendered exports
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "安装系统依赖: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
