#!/usr/bin/env bash
# Install the system libraries Qt's xcb (X11) platform plugin needs, when missing and we can
# (root + apt).  Used by `make run`; an office can run it once on a Debian/Ubuntu laptop.
set -u
need=()
for pair in libxcb-cursor.so.0:libxcb-cursor0 libxkbcommon-x11.so.0:libxkbcommon-x11-0 \
            libxcb-icccm.so.4:libxcb-icccm4 libxcb-image.so.0:libxcb-image0 libxcb-keysyms.so.1:libxcb-keysyms1 \
            libxcb-randr.so.0:libxcb-randr0 libxcb-render-util.so.0:libxcb-render-util0 \
            libxcb-shape.so.0:libxcb-shape0 libxcb-xinerama.so.0:libxcb-xinerama0 libxcb-xkb.so.1:libxcb-xkb1 \
            libEGL.so.1:libegl1 libGL.so.1:libgl1 libfontconfig.so.1:libfontconfig1 libdbus-1.so.3:libdbus-1-3 \
            libxkbcommon.so.0:libxkbcommon0 libglib-2.0.so.0:libglib2.0-0; do
  ldconfig -p 2>/dev/null | grep -q "${pair%%:*}" || need+=("${pair##*:}")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system libraries for the desktop app: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}") >/tmp/evaluator-apt-gui.log 2>&1 \
    || echo "warning: could not install ${need[*]} (see /tmp/evaluator-apt-gui.log)"
else
  echo "note: the desktop app may need these system packages: ${need[*]} (install them with your package manager)"
fi
exit 0
