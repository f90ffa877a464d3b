#!/usr/bin/env bash
# System tools the test suite drives for real: ripgrep (grep tool), tmux (TUI end-to-end tests),
# bubblewrap + prlimit (OS sandbox; perl drives its fork-bomb and CPU tests), git, kubectl (manifest validation). Installs only what is missing,
# from Debian/Ubuntu packages; uses sudo when not root. Safe to re-run.
set -euo pipefail
declare -A pkg_for=( [rg]=ripgrep [tmux]=tmux [bwrap]=bubblewrap [prlimit]=util-linux [perl]=perl-base [git]=git [kubectl]=kubernetes-client )
missing=()
for cmd in "${!pkg_for[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${pkg_for[$cmd]}")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system tools present: ${!pkg_for[*]}"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
