#!/usr/bin/env bash
# The Linux installers, from the PyInstaller bundle (`make package` runs this after PyInstaller):
#   dist/calendly-console_<version>_<arch>.deb
#       /opt/calendly-console (the bundle), /usr/bin/calendly-console, the desktop entry, hicolor
#       icons and AppStream metainfo. Depends: what dpkg-shlibdeps finds that the bundle's ELF
#       files link but the bundle does not ship (the spec ships no library of the distribution's).
#   dist/calendly-console-<version>-linux-<machine>.tar.gz
#       the bundle itself (run calendly-console/calendly-console; the same libraries must be there).
# Usage: build-deb.sh [BUNDLE_DIR]   (default dist/calendly-console)
set -euo pipefail
cd "$(dirname "$0")/../.."
here=packaging/linux
bundle=${1:-dist/calendly-console}
python=${PYTHON:-.venv/bin/python}
name=calendly-console
app_id=io.github.calendlyconsole.CalendlyConsole

[ -x "$bundle/$name" ] || { echo "build-deb: no bundle at $bundle (run PyInstaller first)" >&2; exit 1; }
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' desktop/__init__.py)
arch=$(dpkg --print-architecture)
out=$(dirname "$bundle")
work=$PWD/build/deb
root=$work/${name}_${version}_${arch}
deb=$out/${name}_${version}_${arch}.deb
tarball=$out/${name}-${version}-linux-$(uname -m).tar.gz

rm -rf "$work"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/metainfo" "$root/usr/share/icons" "$root/usr/share/doc/$name"

# The bundle, hard-linked where the file system allows (it is only read from here on).
cp -al "$bundle" "$root/opt/$name" 2>/dev/null || cp -a "$bundle" "$root/opt/$name"
chmod -R u+rwX,go+rX,go-w "$root/opt/$name"

# A launcher on PATH: the bundle finds its files from its own location, so exec it there.
cat > "$root/usr/bin/$name" <<EOF
#!/bin/sh
exec /opt/$name/$name "\$@"
EOF
chmod 755 "$root/usr/bin/$name"

install -m 644 "$here/$name.desktop" "$root/usr/share/applications/$name.desktop"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(date -u +%Y-%m-%d)/" \
  "$here/$app_id.metainfo.xml" > "$root/usr/share/metainfo/$app_id.metainfo.xml"
chmod 644 "$root/usr/share/metainfo/$app_id.metainfo.xml"

[ -d build/icons/hicolor ] || "$python" packaging/icons.py build/icons
cp -r build/icons/hicolor "$root/usr/share/icons/hicolor"
find "$root/usr/share/icons" -type d -exec chmod 755 {} + -o -type f -exec chmod 644 {} +

cat > "$root/usr/share/doc/$name/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Calendly Console

Files: *
Copyright: The Calendly Console developers
License: MIT

Files: opt/$name/_internal/*
Comment: Python, Qt (PySide6, QtWebEngine/Chromium) and the Python packages the app uses,
 each under its own licence; the app's Help > About lists them with their versions.
License: various
EOF
chmod 644 "$root/usr/share/doc/$name/copyright"

# Validate what software centres and menus read, where the validators are installed.
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$root/usr/share/applications/$name.desktop"
fi
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net "$root/usr/share/metainfo/$app_id.metainfo.xml"
fi

# Depends: every ELF file of the bundle, its private libraries found in the bundle's folders.
elf_files=()
while IFS= read -r -d '' file; do
  [ "$(head -c 4 "$file" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] && elf_files+=("-e$file")
done < <(find "$root/opt/$name" -type f \( -name '*.so*' -o -perm -u+x \) -print0)
mapfile -t lib_dirs < <(find "$root/opt/$name" -name '*.so*' -printf '-l%h\n' | sort -u)
mkdir -p "$work/shlibdeps/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$name" "$name" \
  > "$work/shlibdeps/debian/control"
depends=$(cd "$work/shlibdeps" && dpkg-shlibdeps -O --ignore-missing-info "${lib_dirs[@]}" \
  "${elf_files[@]}" 2> shlibdeps.log | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { cat "$work/shlibdeps/shlibdeps.log" >&2; exit 1; }
rm -rf "$work/shlibdeps/debian"

cat > "$root/DEBIAN/control" <<EOF
Package: $name
Version: $version
Architecture: $arch
Maintainer: The Calendly Console developers <calendly-console@users.noreply.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Section: utils
Priority: optional
Depends: $depends
Description: desktop admin console for Calendly organizations
 Members, invitations, event types, scheduled events and webhook
 subscriptions of a Calendly organization in one window, and booking on
 behalf of colleagues. A built-in local sandbox with a demo organization
 lets anyone try it without an account.
EOF

dpkg-deb --root-owner-group -Zzstd --build "$root" "$deb" >/dev/null
tar -C "$(dirname "$bundle")" --owner=0 --group=0 -czf "$tarball" "$(basename "$bundle")"
rm -rf "$root"
echo "build-deb: $deb ($(du -h "$deb" | cut -f1)), $tarball ($(du -h "$tarball" | cut -f1))"
echo "build-deb: Depends: $depends"
