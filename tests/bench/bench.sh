#!/bin/bash
# make bench: the portal's speed measured against the same Apache serving
# a static file of the same size, so that the ratio holds on a noisy
# machine. For each database (SQLite, and PostgreSQL when reachable):
#
#   1. a server root with BENCH_COUNT generated employees (default 70000);
#   2. a logged-in session of demo employee 181679;
#   3. /profile and a static copy of its bytes, each warmed up, then
#      measured with wrk on loopback with the same connections;
#   4. the login rate (argon2id verification at the configured cost).
#
# Environment: BENCH_COUNT, BENCH_SECONDS (default 10), BENCH_CONNECTIONS
# (default 64), PEGAWAI_PG_DSN (admin conninfo, as for the tests),
# BENCH_DB (sqlite3, pgsql or both; default both).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
COUNT=${BENCH_COUNT:-70000}
SECONDS_EACH=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
PG_ADMIN=${PEGAWAI_PG_DSN:-"host=127.0.0.1 port=5432 user=pegawai password=pegawai-test dbname=postgres"}
WHICH=${BENCH_DB:-both}
WORK=${BENCH_DIR:-/var/tmp/pegawai-bench}
LUA=$REPO/tests/bench

mkdir -p "$WORK"
chmod 755 "$WORK"

free_port()
{
    /usr/bin/python3 -c 'import socket; s=socket.socket(); \
s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wrk's summary as "rps p99_ms"; latency percentiles need --latency.
measure()
{
    local url=$1 cookie=$2 out
    out=$(wrk -t2 -c"$CONNS" -d"${SECONDS_EACH}s" --latency \
          -H "Cookie: $cookie" "$url")
    local rps p99
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    local non2xx
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    if [ -n "$non2xx" ]; then
        echo "bench: $url answered $non2xx non-2xx responses" >&2
        echo "$out" >&2
        exit 1
    fi
    echo "$rps $(to_ms "$p99")"
}

to_ms()
{
    case "$1" in
        *us) awk -v v="${1%us}" 'BEGIN {printf "%.2f", v / 1000}' ;;
        *ms) awk -v v="${1%ms}" 'BEGIN {printf "%.2f", v}' ;;
        *s)  awk -v v="${1%s}" 'BEGIN {printf "%.2f", v * 1000}' ;;
        *)   echo "?" ;;
    esac
}

warm()
{
    wrk -t1 -c8 -d3s -H "Cookie: $2" "$1" >/dev/null
}

# Logs in with curl and prints the Cookie header value of the session.
session_cookie()
{
    local base=$1 jar=$WORK/jar.$$ token
    rm -f "$jar"
    token=$(curl -s -c "$jar" "$base/login" \
            | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' \
            | head -n 1)
    curl -s -b "$jar" -c "$jar" -o /dev/null \
         --data-urlencode nrk=181679 --data-urlencode password=rahasia-demo \
         --data-urlencode "csrf_token=$token" "$base/login"
    awk '$6 == "pgw_sesi" {print "pgw_sesi=" $7}' "$jar"
    rm -f "$jar"
}

# Login rate: each request is a full login (argon2id verify, new
# session, audit row) with a form token that stays valid for the run.
login_rate()
{
    local base=$1 jar=$WORK/jar.$$ token out
    rm -f "$jar"
    token=$(curl -s -c "$jar" "$base/login" \
            | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' \
            | head -n 1)
    local cookie
    cookie=$(awk '$6 == "pgw_masuk" {print "pgw_masuk=" $7}' "$jar")
    rm -f "$jar"
    out=$(BENCH_TOKEN=$token wrk -t2 -c4 -d"${SECONDS_EACH}s" \
          -s "$LUA/login.lua" -H "Cookie: $cookie" "$base/login" 2>&1)
    if grep -q '^login: status' <<<"$out"; then
        echo "bench: a login failed:" >&2
        echo "$out" >&2
        exit 1
    fi
    awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

# Valid SIMPAN posts (issue 3): each wrk thread is one employee posting
# real changes with the version its previous save produced.
SIMPAN_CONNS=${BENCH_SIMPAN_CONNECTIONS:-4}
simpan_rate()
{
    local base=$1 driver=$2 data=$3 dsn=$4 target entries out
    target=$data/db/pegawai.sqlite
    [ "$driver" = pgsql ] && target=$dsn
    entries=$(/usr/bin/python3 "$LUA/simpan_setup.py" "$base" "$driver" \
              "$target" "$SIMPAN_CONNS")
    out=$(BENCH_SIMPAN=$entries wrk -t"$SIMPAN_CONNS" -c"$SIMPAN_CONNS" \
          -d"${SECONDS_EACH}s" -s "$LUA/simpan.lua" "$base/profile/data" \
          2>&1)
    if grep -q '^simpan: status' <<<"$out"; then
        echo "bench: a SIMPAN post failed:" >&2
        echo "$out" >&2
        exit 1
    fi
    awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

# compare NAME BASE PATH COOKIE MARKER: the page at PATH against a static
# file holding its very bytes, on the same server and connections.
compare()
{
    local name=$1 base=$2 path=$3 cookie=$4 marker=$5 file dyn stat size
    file=$WORK/static/$name.html
    curl -s -H "Cookie: $cookie" "$base$path" >"$file"
    grep -q -- "$marker" "$file" \
        || { echo "bench: $path did not render" >&2; exit 1; }
    chmod 644 "$file"
    size=$(stat -c %s "$file")
    warm "$base$path" "$cookie"
    warm "$base/bench-static/$name.html" "$cookie"
    dyn=$(measure "$base$path" "$cookie")
    stat=$(measure "$base/bench-static/$name.html" "$cookie")
    set -- $dyn $stat
    printf '  %-38s %6d bytes\n' "$path" "$size"
    printf '      portal %9.0f req/s  p99 %7s ms\n' "$1" "$2"
    printf '      static %9.0f req/s  p99 %7s ms   ratio %.2f\n' "$3" "$4" \
        "$(awk -v a="$1" -v b="$3" 'BEGIN {print a / b}')"
}

run_one()
{
    local driver=$1 data=$WORK/$1 port dsn=""
    port=$(free_port)
    local args=(--data "$data" --port "$port" --driver "$driver"
                --demo-count "$COUNT" --extra-conf "$WORK/bench.conf")
    if [ "$driver" = pgsql ]; then
        dsn="$PG_ADMIN dbname=pegawai_bench"
        if ! psql -X -q -t -A "$dsn" -c "SELECT count(*) FROM pegawai" \
             2>/dev/null | grep -qx "$((COUNT + 2))"; then
            psql -X -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS \
pegawai_bench WITH (FORCE)" -c "CREATE DATABASE pegawai_bench" >/dev/null
        fi
        args+=(--pg-dsn "$dsn")
    else
        local have
        have=$(sqlite3 "$data/db/pegawai.sqlite" \
               "SELECT count(*) FROM pegawai" 2>/dev/null || echo 0)
        if [ "$have" != "$((COUNT + 2))" ]; then
            rm -rf "$data/db"
        fi
    fi
    mkdir -p "$WORK/static"
    chmod 755 "$WORK/static"
    cat >"$WORK/bench.conf" <<EOF
Alias /bench-static "$WORK/static"
<Location "/bench-static">
    Pegawai Off
</Location>
<Directory "$WORK/static">
    Require all granted
</Directory>
# Room for the 12-megapixel photos of the upload measurement.
PegawaiPhotoMaxSize 20971520
PegawaiPhotoMaxPixels 24000000
EOF
    "$REPO/tools/serverroot.sh" "${args[@]}" --start >/dev/null
    trap '"$REPO/tools/serverroot.sh" --data "'"$data"'" --stop' EXIT

    local base=http://127.0.0.1:$port cookie
    cookie=$(session_cookie "$base")
    [ -n "$cookie" ] || { echo "bench: login failed" >&2; exit 1; }
    printf '%-8s %7d employees, %d connections, %ds each\n' \
        "$driver" "$COUNT" "$CONNS" "$SECONDS_EACH"

    compare profile "$base" /profile "$cookie" 198307052011011018
    /usr/bin/python3 "$LUA/alamat_setup.py" "$base" "$cookie"
    compare riwayat-alamat "$base" "/riwayat/alamat?tampilkan=1" "$cookie" \
        "Merdeka Selatan"
    compare wilayah-json "$base" "/riwayat/alamat/wilayah?induk=31.71.01" \
        "$cookie" '"kode"'

    local logins
    logins=$(login_rate "$base")
    printf '  logins       %9.1f per second (argon2id t=2 m=19 MiB)\n' \
        "$logins"
    local simpan_static simpan
    simpan=$(simpan_rate "$base" "$driver" "$data" "$dsn")
    simpan_static=$(wrk -t"$SIMPAN_CONNS" -c"$SIMPAN_CONNS" \
                    -d"${SECONDS_EACH}s" "$base/bench-static/profile.html" \
                    | awk '/^Requests\/sec:/ {print $2}')
    printf '  SIMPAN       %9.0f saves/s, %d employees at once; static %.0f' \
        "$simpan" "$SIMPAN_CONNS" "$simpan_static"
    printf ' req/s on as many connections; ratio %.3f\n' \
        "$(awk -v a="$simpan" -v b="$simpan_static" 'BEGIN {print a / b}')"
    if [ "$driver" = sqlite3 ]; then
        /usr/bin/python3 "$LUA/foto.py" "$base" "$cookie" \
            "$(cat "$data/run/httpd.pid")" "$WORK"
    fi

    "$REPO/tools/serverroot.sh" --data "$data" --stop
    trap - EXIT
}

command -v wrk >/dev/null || { echo "bench: wrk is not installed" >&2; exit 1; }
echo "mod_pegawai bench, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
case "$WHICH" in
    sqlite3|both) run_one sqlite3 ;;
esac
case "$WHICH" in
    pgsql|both)
        if psql -X -q "$PG_ADMIN" -c "SELECT 1" >/dev/null 2>&1; then
            run_one pgsql
        else
            echo "pgsql    SKIPPED: PostgreSQL unreachable through" \
                 "PEGAWAI_PG_DSN (run tools/pg-test-setup.sh as root)"
        fi
        ;;
esac
