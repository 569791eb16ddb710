#!/bin/sh
# tools/deps.sh [build|test|bench|ci]
#
# Checks that the Debian packages needed for one purpose are installed.
# As root it installs what is missing; otherwise it prints the apt-get line
# to run and fails. The Makefile calls it on every run, so the common case
# (everything present) is a single dpkg-query call.
set -eu

purpose=${1:-build}

# make, gcc and libc6-dev are only recommended by apache2-dev's
# dependencies, so --no-install-recommends would leave them out.
build_pkgs="make gcc libc6-dev apache2 apache2-dev libaprutil1-dbd-sqlite3
libaprutil1-dbd-pgsql libsqlite3-dev libsodium-dev libxml2-dev libjpeg-dev
libpng-dev check pkg-config sqlite3 clang libclang-rt-14-dev clang-format"
test_pkgs="postgresql postgresql-client python3-pytest python3-requests
python3-pil python3-selenium chromium chromium-driver"
bench_pkgs="wrk curl python3-requests python3-pil"

case "$purpose" in
    build) wanted="$build_pkgs" ;;
    test)  wanted="$build_pkgs $test_pkgs" ;;
    bench) wanted="$build_pkgs $bench_pkgs" ;;
    ci)    wanted="$build_pkgs $test_pkgs $bench_pkgs" ;;
    *)
        echo "usage: $0 [build|test|bench|ci]" >&2
        exit 2
        ;;
esac

# One dpkg-query for all packages. A package never installed makes
# dpkg-query complain on stderr and print nothing for it; a removed one
# shows a status other than "install ok installed". Either way it is missing.
installed=$(dpkg-query -W -f='${Package} ${Status}\n' $wanted 2>/dev/null \
            | awk '$2 == "install" && $3 == "ok" && $4 == "installed" \
                   { print $1 }') || true

installed=" $(echo $installed) "
missing=""
for p in $wanted; do
    case "$installed" in
        *" $p "*) ;;
        *) missing="$missing $p" ;;
    esac
done

# tools/wilayah.sh fetches the region data with npm. Any npm serves: the
# one NodeSource's nodejs bundles conflicts with Debian's npm package, so
# the command is looked for, not the package.
if ! command -v npm >/dev/null 2>&1; then
    missing="$missing npm"
fi

if [ -z "$missing" ]; then
    exit 0
fi

echo "deps.sh ($purpose): missing Debian packages:$missing" >&2

if [ "$(id -u)" -ne 0 ]; then
    echo "Install them with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing
