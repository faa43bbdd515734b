#!/usr/bin/env bash
# Install Maeul Evaluator from this unpacked tarball.
#   ./install.sh            for the current user: ~/.local/opt/maeul-evaluator, menu entry, ~/.local/bin links
#   sudo ./install.sh --system   for everyone: /opt/maeul-evaluator, /usr/share menu entry, /usr/local/bin links
# Installing again (a newer tarball) replaces the program only; evaluations and settings live in the
# user data directory (~/.local/share/MaeulEvaluator) and are never touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode=user
case "${1:-}" in
  ""|--user) ;;
  --system) mode=system ;;
  -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "install.sh: unknown option '$1' (use --user or --system)" >&2; exit 2 ;;
esac

if [ "$mode" = system ]; then
  [ "$(id -u)" = 0 ] || { echo "install.sh --system must run as root (sudo ./install.sh --system)" >&2; exit 1; }
  prefix=/opt/maeul-evaluator
  bindir=/usr/local/bin
  share=/usr/share
else
  share="${XDG_DATA_HOME:-$HOME/.local/share}"
  prefix="$HOME/.local/opt/maeul-evaluator"
  bindir="$HOME/.local/bin"
fi
appdir="$share/applications"
icondir="$share/icons/hicolor"

[ -x "$here/evaluator-gui" ] && [ -x "$here/evaluator" ] || { echo "install.sh: run it from the unpacked tarball (evaluator-gui not found beside it)" >&2; exit 1; }

# copy next to the old one, then swap: a failed copy never leaves a half-installed program
mkdir -p "$(dirname "$prefix")" "$bindir" "$appdir" "$icondir/256x256/apps" "$icondir/scalable/apps"
rm -rf "$prefix.new"
cp -a "$here/." "$prefix.new/"
rm -rf "$prefix.old"
[ -e "$prefix" ] && mv "$prefix" "$prefix.old"
mv "$prefix.new" "$prefix"
rm -rf "$prefix.old"

ln -sfn "$prefix/evaluator" "$bindir/evaluator"
ln -sfn "$prefix/evaluator-gui" "$bindir/evaluator-gui"
install -m 0644 "$here/maeul-evaluator.png" "$icondir/256x256/apps/maeul-evaluator.png"
install -m 0644 "$here/maeul-evaluator.svg" "$icondir/scalable/apps/maeul-evaluator.svg"
sed -e "s|^TryExec=.*|TryExec=$prefix/evaluator-gui|" -e "s|^Exec=.*|Exec=\"$prefix/evaluator-gui\" %f|" \
    "$here/maeul-evaluator.desktop" > "$appdir/maeul-evaluator.desktop"
chmod 0644 "$appdir/maeul-evaluator.desktop"
# field kits (.mekit) and result packages (.mepkg) open with the app from the file manager
mkdir -p "$share/mime/packages"
install -m 0644 "$here/maeul-evaluator-mime.xml" "$share/mime/packages/maeul-evaluator.xml"
command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$share/mime" 2>/dev/null || true
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$appdir" 2>/dev/null || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icondir" 2>/dev/null || true

# Qt's X11 plugin needs a few system libraries most desktops already have; installs them when root + apt
bash "$prefix/system-deps.sh" || true

version="$("$prefix/evaluator" --version 2>/dev/null || true)"
echo "Installed ${version:-Maeul Evaluator} in $prefix"
echo "  menu entry: $appdir/maeul-evaluator.desktop"
echo "  commands:   $bindir/evaluator-gui, $bindir/evaluator"
case ":$PATH:" in *":$bindir:"*) ;; *) echo "  note: $bindir is not on your PATH; start the app from the menu or with $prefix/evaluator-gui" ;; esac
