#!/usr/bin/env bash
# Remove Maeul Evaluator installed by install.sh (--user, the default, or --system).
# Evaluations, keys and settings in the user data directory (~/.local/share/MaeulEvaluator) are kept.
set -euo pipefail
mode=user
case "${1:-}" in ""|--user) ;; --system) mode=system ;; *) echo "uninstall.sh: use --user or --system" >&2; exit 2 ;; esac
if [ "$mode" = system ]; then
  prefix=/opt/maeul-evaluator; bindir=/usr/local/bin; share=/usr/share
else
  share="${XDG_DATA_HOME:-$HOME/.local/share}"; prefix="$HOME/.local/opt/maeul-evaluator"; bindir="$HOME/.local/bin"
fi
for exe in evaluator evaluator-gui; do
  # only our own links
  if [ -L "$bindir/$exe" ] && [ "$(readlink "$bindir/$exe")" = "$prefix/$exe" ]; then rm -f "$bindir/$exe"; fi
done
rm -f "$share/applications/maeul-evaluator.desktop" "$share/mime/packages/maeul-evaluator.xml" \
      "$share/icons/hicolor/256x256/apps/maeul-evaluator.png" "$share/icons/hicolor/scalable/apps/maeul-evaluator.svg"
rm -rf "$prefix"
command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$share/mime" 2>/dev/null || true
echo "Removed Maeul Evaluator from $prefix (your data in ~/.local/share/MaeulEvaluator is kept)."
