#!/usr/bin/env bash
# macOS: put "dist/Calendly Console.app" (from packaging/calendly-console.spec) in a .dmg with a
# link to /Applications; sign the .dmg, notarize it and staple the ticket when the secrets are set.
#   packaging/macos/build-dmg.sh        -> dist/calendly-console-<version>-macos-<arch>.dmg
# Environment (all optional; the release workflow fills them from its secrets):
#   MACOS_SIGN_IDENTITY   "Developer ID Application: ..." in an unlocked keychain (the spec signs
#                         the .app with it; this script signs the .dmg)
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD   notarize with notarytool, then staple
# Not run on the development machine (no macOS there); written from Apple's hdiutil, codesign,
# notarytool and stapler manuals.
set -euo pipefail
cd "$(dirname "$0")/../.."
app="dist/Calendly Console.app"
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' desktop/__init__.py)
dmg="dist/calendly-console-$version-macos-$(uname -m).dmg"

[ -d "$app" ] || { echo "build-dmg: no $app (run PyInstaller first)" >&2; exit 1; }
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --verify --deep --strict --verbose=2 "$app"
fi

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
ditto "$app" "$staging/Calendly Console.app"   # ditto keeps the bundle's symbolic links
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "Calendly Console" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
  if [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
      --password "$APPLE_APP_PASSWORD" --wait
    xcrun stapler staple "$dmg"
    xcrun stapler validate "$dmg"
  else
    echo "build-dmg: signed, not notarized (APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD unset)"
  fi
else
  echo "build-dmg: unsigned (MACOS_SIGN_IDENTITY unset): Gatekeeper will refuse it on other Macs"
fi
echo "build-dmg: $dmg ($(du -h "$dmg" | cut -f1))"
