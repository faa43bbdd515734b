#!/usr/bin/env bash
# Install the system tools the test suite uses, when they are missing and we can (root + apt).
# PostgreSQL server binaries: the pg harness also installs them on demand; poppler-utils (pdftoppm)
# renders PDFs to PNG in the report tests; LibreOffice Calc (headless, no GUI) opens and resaves every
# Excel export in the export tests; EGL/xkb/fontconfig libraries let Qt run offscreen.
set -u
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
for pair in libEGL.so.1:libegl1 libxkbcommon.so.0:libxkbcommon0 libfontconfig.so.1:libfontconfig1 \
            libdbus-1.so.3:libdbus-1-3 libGL.so.1:libgl1 libglib-2.0.so.0:libglib2.0-0; do
  ldconfig -p 2>/dev/null | grep -q "${pair%%:*}" || need+=("${pair##*:}")
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages for the tests: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}") >/tmp/evaluator-apt.log 2>&1 \
    || echo "warning: could not install ${need[*]} (see /tmp/evaluator-apt.log); the tests that need them will say so"
else
  echo "note: missing system packages (${need[*]}); not root, so the tests that need them will skip with a reason"
fi
exit 0
