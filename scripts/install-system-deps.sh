#!/usr/bin/env bash
# System packages the test suite drives for real: ripgrep (grep tool), tmux (TUI end-to-end tests),
# bubblewrap + util-linux (OS sandbox), git, kubernetes-client (kubectl manifest validation).
# Debian/Ubuntu only; uses sudo when not root. Safe to re-run.
set -euo pipefail
pkgs=(ripgrep tmux bubblewrap util-linux git kubernetes-client)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages present: ${pkgs[*]}"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
