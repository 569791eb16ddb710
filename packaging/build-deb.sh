#!/bin/bash
# packaging/build-deb.sh: builds libapache2-mod-pegawai_VERSION_ARCH.deb
# from this tree's build (make module tools) with dpkg-deb, into build/.
#
#   packaging/build-deb.sh        (make deb runs it)
#
# The layout is in packaging/debian/README.Debian. The region CSVs come
# from the npm package tools/wilayah.sh fetched (build/wilayah), so that
# a server needs neither npm nor the network to load them.
set -euo pipefail

VERSION=0.1.0

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$REPO/build
DEB=$REPO/packaging/debian
WILAYAH=$BUILD/wilayah/node_modules/idn-area-data/data
arch=$(dpkg --print-architecture)
stage=$BUILD/deb/libapache2-mod-pegawai
out=$BUILD/libapache2-mod-pegawai_${VERSION}_${arch}.deb

die()
{
    echo "build-deb.sh: $*" >&2
    exit 1
}

[ -f "$REPO/mod_pegawai/.libs/mod_pegawai.so" ] \
    || die "the module is not built: run 'make module tools'"
[ -x "$BUILD/pgw_temppass" ] || die "build/pgw_temppass is missing"
if [ ! -r "$WILAYAH/villages.csv" ]; then
    # wilayah.sh fetches the pinned package when it loads a database; a
    # throwaway one serves here.
    tmpdb=$(mktemp -d)
    "$REPO/sql/migrate.sh" sqlite3 "$tmpdb/w.sqlite" >/dev/null
    "$REPO/tools/wilayah.sh" sqlite3 "$tmpdb/w.sqlite" >/dev/null
    rm -rf "$tmpdb"
fi

rm -rf "$stage"
share=$stage/usr/share/mod_pegawai
doc=$stage/usr/share/doc/libapache2-mod-pegawai
install -d "$stage/DEBIAN" "$stage/usr/lib/apache2/modules" \
    "$stage/usr/lib/mod_pegawai" "$stage/etc/apache2/mods-available" \
    "$stage/etc/apache2/conf-available" "$share/sql/migrations" \
    "$share/tools/wilayah" "$share/wilayah" "$doc"

install -m 0644 "$REPO/mod_pegawai/.libs/mod_pegawai.so" \
    "$stage/usr/lib/apache2/modules/"
strip --strip-unneeded "$stage/usr/lib/apache2/modules/mod_pegawai.so"
install -m 0755 "$BUILD/pgw_temppass" "$stage/usr/lib/mod_pegawai/"
strip --strip-unneeded "$stage/usr/lib/mod_pegawai/pgw_temppass"

install -m 0644 "$DEB/pegawai.load" "$stage/etc/apache2/mods-available/"
# The module is loaded by pegawai.load (a2enmod pegawai).
grep -v '^LoadModule pegawai_module' "$REPO/conf/pegawai.conf" \
    >"$stage/etc/apache2/conf-available/pegawai.conf"
chmod 0644 "$stage/etc/apache2/conf-available/pegawai.conf"

cp -r "$REPO/htdocs/templates" "$REPO/htdocs/static" "$share/"
install -m 0644 "$REPO/conf/common-passwords.txt" "$share/"
install -m 0755 "$REPO/sql/migrate.sh" "$share/sql/"
install -m 0644 "$REPO"/sql/migrations/*.sql "$share/sql/migrations/"
install -m 0755 "$REPO/tools/wilayah.sh" "$REPO/tools/reset-password.sh" \
    "$share/tools/"
install -m 0644 "$REPO"/tools/wilayah/* "$share/tools/wilayah/"
install -m 0644 "$WILAYAH"/provinces.csv "$WILAYAH"/regencies.csv \
    "$WILAYAH"/districts.csv "$WILAYAH"/villages.csv \
    "$WILAYAH"/LICENSE.md "$share/wilayah/"
install -m 0644 "$DEB/README.Debian" "$REPO/README.md" \
    "$REPO/docs/WILAYAH.md" "$doc/"
find "$share" -type d -exec chmod 0755 {} +
find "$share/templates" "$share/static" -type f -exec chmod 0644 {} +

install -m 0644 "$DEB/conffiles" "$stage/DEBIAN/"
install -m 0755 "$DEB/postinst" "$DEB/postrm" "$stage/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
    "$DEB/control.in" >"$stage/DEBIAN/control"

dpkg-deb --root-owner-group -Zxz --build "$stage" "$out" >/dev/null
echo "$out"
