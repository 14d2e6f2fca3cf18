#!/usr/bin/env bash
# Install the .deb with apt, run the installed `calendly-console --self-test` offscreen, remove it.
#   smoke-test.sh [PACKAGE.deb] [--allow-no-keyring]
# (default: dist/calendly-console_<version>_<arch>.deb, as packaging/linux/build-deb.sh names it)
# Needs root, and a session D-Bus with an unlocked Secret Service (as .ci/run and the release
# workflow provide): a keyring line other than "ok" fails, since it means the bundle lost its
# keyring backends; --allow-no-keyring accepts "warn" where no keyring runs.
# Fails when the self-test exits non-zero or prints a FAIL line.
set -euo pipefail
name=calendly-console
deb=
require_keyring=true
for argument in "$@"; do
  case $argument in
    --allow-no-keyring) require_keyring=false ;;
    *) deb=$(realpath "$argument") ;;
  esac
done
if [ -z "$deb" ]; then
  cd "$(dirname "$0")/../.."
  version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' desktop/__init__.py)
  deb=$PWD/dist/${name}_${version}_$(dpkg --print-architecture).deb
fi
export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" -ne 0 ]; then
  echo "smoke-test: run as root (it installs and removes $deb with apt)" >&2
  exit 1
fi
# The package's Depends may name libraries this machine lacks (GTK, Wayland, ...): apt fetches
# them, after refreshing its lists if they are stale.
if ! apt-get install -y -qq --no-install-recommends "$deb" >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
fi
trap 'apt-get remove -y -qq "$name" >/dev/null && echo "smoke-test: $name removed"' EXIT
echo "smoke-test: installed $(dpkg-query -W -f='${Package} ${Version}' "$name")"

out=$(mktemp) err=$(mktemp)
status=0
start=$SECONDS
QT_QPA_PLATFORM=offscreen timeout 300 "/usr/bin/$name" --self-test >"$out" 2>"$err" || status=$?
seconds=$((SECONDS - start))
cat "$out"
failed=false
if [ "$status" -ne 0 ] || grep -q '^FAIL' "$out"; then
  failed=true
elif $require_keyring && ! grep -q '^ok *keyring' "$out"; then
  echo "smoke-test: the keyring check did not pass (is a Secret Service running?)"
  failed=true
fi
if $failed; then
  echo "smoke-test: FAILED (exit status $status); the app's stderr ends with:" >&2
  tail -n 40 "$err" >&2
  rm -f "$out" "$err"
  exit 1
fi
rm -f "$out" "$err"
echo "smoke-test: the installed app passed its self-test in ${seconds} s"
