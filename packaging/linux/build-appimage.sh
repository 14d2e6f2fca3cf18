#!/usr/bin/env bash
# An AppImage of the PyInstaller bundle, for the Linux release runner (.github/workflows/release.yml):
#   APPIMAGETOOL=/path/to/appimagetool packaging/linux/build-appimage.sh [BUNDLE_DIR]
# writes dist/calendly-console-<version>-<arch>.AppImage. Like the .deb, it carries Qt and Python
# and takes GTK, NSS, X11/Wayland, OpenGL and fonts from the system (the .deb's Depends name them).
# Not built on the development machine: appimagetool is fetched from GitHub, which it cannot reach.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=packaging/linux
bundle=${1:-dist/calendly-console}
tool=${APPIMAGETOOL:-appimagetool}
python=${PYTHON:-.venv/bin/python}
name=calendly-console
app_id=io.github.calendlyconsole.CalendlyConsole

[ -x "$bundle/$name" ] || { echo "build-appimage: no bundle at $bundle" >&2; exit 1; }
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' desktop/__init__.py)
arch=$(uname -m)
appdir=build/AppDir
image=$(dirname "$bundle")/$name-$version-$arch.AppImage

rm -rf "$appdir"
mkdir -p "$appdir/usr/share/applications" "$appdir/usr/share/metainfo"
cp -a "$bundle" "$appdir/$name"
# The AppImage runtime mounts the image and runs AppRun; the bundle finds its files from its own
# location (and starts itself again, from the mount, as the built-in sandbox).
cat > "$appdir/AppRun" <<EOF
#!/bin/sh
here=\$(dirname "\$(readlink -f "\$0")")
exec "\$here/$name/$name" "\$@"
EOF
chmod 755 "$appdir/AppRun"
cp "$here/$name.desktop" "$appdir/$name.desktop"
cp "$here/$name.desktop" "$appdir/usr/share/applications/$name.desktop"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(date -u +%Y-%m-%d)/" \
  "$here/$app_id.metainfo.xml" > "$appdir/usr/share/metainfo/$app_id.metainfo.xml"
[ -d build/icons/hicolor ] || "$python" packaging/icons.py build/icons
cp build/icons/hicolor/256x256/apps/$name.png "$appdir/$name.png"
ln -s "$name.png" "$appdir/.DirIcon"

ARCH=$arch "$tool" "$appdir" "$image"
rm -rf "$appdir"
echo "build-appimage: $image ($(du -h "$image" | cut -f1))"
