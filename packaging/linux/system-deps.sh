#!/usr/bin/env bash
# Install (as root) or name (otherwise) the Debian packages Calendly Console needs.
#   system-deps.sh run   - Qt widgets + QtWebEngine, to start the app
#   system-deps.sh test  - plus D-Bus and gnome-keyring, for the tests' real keyring
#   system-deps.sh package - plus what building the installers takes (make package)
set -euo pipefail
purpose=${1:-run}

run_packages=(
  # Qt widgets, offscreen or on screen; fonts, or Qt draws boxes
  libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
  fonts-dejavu-core
  # QtWebEngine (the embedded booking page)
  libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxkbfile1 libasound2 libgbm1
  libxcb-dri3-0
  # on-screen X11 windows
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0
  libxcb-xkb1 libxkbcommon-x11-0
)
# nodejs runs the sandbox's widget.js in its tests.
test_packages=(dbus-daemon gnome-keyring make nodejs)
# PyInstaller reads binaries with binutils; dpkg-shlibdeps (dpkg-dev) computes the .deb's
# Depends; the desktop entry and the AppStream metainfo are validated before packaging.
package_packages=(binutils dpkg-dev desktop-file-utils appstream)

packages=("${run_packages[@]}")
[ "$purpose" = test ] && packages+=("${test_packages[@]}")
[ "$purpose" = package ] && packages+=("${package_packages[@]}")

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian-based system; install Qt 6's runtime libraries yourself." >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$package")
done
# A Debian python3 needs its venv module as a package of its own.
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: missing Debian packages; run: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
