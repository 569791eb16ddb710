#!/bin/bash
# tools/serverroot.sh: generate a self-contained Apache server root for the
# portal, prepare its database, and run Apache on it.
#
#   tools/serverroot.sh --data DIR --port N --driver sqlite3|pgsql
#       [--pg-dsn CONNINFO] [--extra-conf FILE] [--loglevel LEVEL]
#       [--demo-count N]
#       (--foreground | --start | --prepare-only)
#   tools/serverroot.sh --data DIR --stop
#
# Everything the server writes lives under DIR: conf/httpd.conf, run/ (pid
# file, mutexes), logs/, db/pegawai.sqlite (SQLite only), docroot/ (empty).
# The module, templates and static files are used from the source tree.
#
# --foreground  exec apache2 in the foreground, error log on stderr; Ctrl-C
#               (SIGINT) or SIGTERM stops it.
# --start       start apache2 in the background; return once the port
#               answers.
# --prepare-only  write the configuration and prepare the database only.
# --stop        stop the apache2 started on DIR and wait until it is gone.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APACHE_MODULES=/usr/lib/apache2/modules
APACHE2=${APACHE2:-/usr/sbin/apache2}
RUN_USER=www-data

data="" port="" driver="" pg_dsn="" extra_conf="" loglevel=warn
demo_count=300 mode=""

die()
{
    echo "serverroot.sh: $*" >&2
    exit 1
}

usage()
{
    sed -n '2,21s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

parse_args()
{
    while [ $# -gt 0 ]; do
        case "$1" in
            --data)         data=$2; shift 2 ;;
            --port)         port=$2; shift 2 ;;
            --driver)       driver=$2; shift 2 ;;
            --pg-dsn)       pg_dsn=$2; shift 2 ;;
            --extra-conf)   extra_conf=$2; shift 2 ;;
            --loglevel)     loglevel=$2; shift 2 ;;
            --demo-count)   demo_count=$2; shift 2 ;;
            --foreground|--start|--prepare-only|--stop)
                [ -z "$mode" ] || die "only one of --foreground, --start," \
                                      "--prepare-only, --stop"
                mode=${1#--}; shift ;;
            -h|--help)      usage ;;
            *)              echo "unknown argument: $1" >&2; usage ;;
        esac
    done

    [ -n "$data" ] || die "--data DIR is required"
    [ -n "$mode" ] || die "one of --foreground, --start, --prepare-only," \
                          "--stop is required"
    mkdir -p "$data"
    data=$(cd "$data" && pwd)
    [ "$mode" = stop ] && return

    case "$port" in
        ''|*[!0-9]*) die "--port N is required (a number)" ;;
    esac
    case "$driver" in
        sqlite3) ;;
        pgsql)   [ -n "$pg_dsn" ] || die "--driver pgsql needs --pg-dsn" ;;
        *)       die "--driver must be sqlite3 or pgsql" ;;
    esac
    case "$demo_count" in
        ''|*[!0-9]*) die "--demo-count must be a number" ;;
    esac
    if [ -n "$extra_conf" ]; then
        [ -r "$extra_conf" ] || die "cannot read --extra-conf $extra_conf"
        extra_conf=$(cd "$(dirname "$extra_conf")" && pwd)/$(basename \
                     "$extra_conf")
    fi
}

# ------------------------------------------------------------ file layout

is_root()
{
    [ "$(id -u)" -eq 0 ]
}

# As root, Apache's children run as www-data and must be able to reach the
# database, the templates and the static files.
run_user_can()
{
    runuser -u "$RUN_USER" -- test "$@" 2>/dev/null
}

make_layout()
{
    mkdir -p "$data/conf" "$data/run" "$data/logs" "$data/db" \
             "$data/docroot"
    templates=$REPO/htdocs/templates
    static=$REPO/htdocs/static
    is_root || return 0

    run_user_can -x "$data/docroot" \
        || die "user $RUN_USER cannot reach $data; choose a data" \
               "directory it can reach (e.g. PEGAWAI_DATA=/var/tmp/pegawai)"

    # A source tree under a private home directory cannot be read by the
    # children: serve a copy of htdocs from the data directory instead.
    if ! run_user_can -r "$REPO/htdocs/." -a -x "$REPO/htdocs"; then
        local d
        rm -rf "$data/htdocs"
        mkdir -p "$data/htdocs/templates" "$data/htdocs/static"
        for d in templates static; do
            if [ -d "$REPO/htdocs/$d" ]; then
                cp -R "$REPO/htdocs/$d/." "$data/htdocs/$d/"
            fi
        done
        chmod -R a+rX "$data/htdocs"
        templates=$data/htdocs/templates
        static=$data/htdocs/static
    fi
}

# ------------------------------------------------------------ the database

sqlite_file()
{
    echo "$data/db/pegawai.sqlite"
}

# Runs SQL from stdin on the portal database.
db_script()
{
    if [ "$driver" = sqlite3 ]; then
        sqlite3 -batch -bail "$(sqlite_file)" >/dev/null
    else
        psql -X -q -v ON_ERROR_STOP=1 "$pg_dsn" >/dev/null
    fi
}

db_count_pegawai()
{
    if [ "$driver" = sqlite3 ]; then
        sqlite3 -batch "$(sqlite_file)" "SELECT count(*) FROM pegawai;"
    else
        psql -X -q -t -A -v ON_ERROR_STOP=1 "$pg_dsn" \
             -c "SELECT count(*) FROM pegawai;"
    fi
}

prepare_database()
{
    local target created=0 demo=$REPO/build/pgw_demo

    [ -x "$REPO/sql/migrate.sh" ] || die "sql/migrate.sh is missing"
    if [ "$driver" = sqlite3 ]; then
        target=$(sqlite_file)
        [ -e "$target" ] || created=1
    else
        target=$pg_dsn
    fi

    # Migrations are idempotent: running them every time applies the ones
    # added since the database was created.
    if ! "$REPO/sql/migrate.sh" "$driver" "$target"; then
        [ $created -eq 0 ] || rm -f "$target"
        die "sql/migrate.sh $driver failed"
    fi

    # The country's regions (docs/WILAYAH.md): loaded into a new database,
    # a count of rows after that; the npm package is fetched into build/
    # once.
    if ! "$REPO/tools/wilayah.sh" "$driver" "$target"; then
        [ $created -eq 0 ] || rm -f "$target"
        die "tools/wilayah.sh $driver failed"
    fi

    if [ "$(db_count_pegawai)" = 0 ]; then
        [ -x "$demo" ] || die "$demo is missing: run 'make tools'"
        echo "serverroot.sh: loading $demo_count demo employees" >&2
        if ! "$demo" --count "$demo_count" --format "$driver" | db_script
        then
            [ $created -eq 0 ] || rm -f "$target"
            die "loading demo data ($demo --format $driver) failed"
        fi
    fi

    # SQLite writes its journal and WAL files beside the database, so the
    # children need the whole directory.
    if [ "$driver" = sqlite3 ] && is_root; then
        chown -R "$RUN_USER:$RUN_USER" "$data/db"
    fi
}

# ------------------------------------------------------------ httpd.conf

# Quotes a value for httpd.conf: inside double quotes, backslash and the
# double quote itself are escaped.
conf_quote()
{
    local v=${1//\\/\\\\}
    printf '"%s"' "${v//\"/\\\"}"
}

write_dbd_conf()
{
    echo "DBDriver $driver"
    if [ "$driver" = sqlite3 ]; then
        echo "DBDParams $(conf_quote "$(sqlite_file)")"
    else
        echo "DBDParams $(conf_quote "$pg_dsn")"
    fi
    cat <<EOF
DBDPersist On
DBDMin 1
DBDKeep 2
DBDMax 2
DBDExptime 300
EOF
    if [ "$driver" = sqlite3 ]; then
        cat <<'EOF'
DBDInitSQL "PRAGMA busy_timeout = 5000"
DBDInitSQL "PRAGMA foreign_keys = ON"
EOF
    fi
}

write_conf()
{
    local m user_lines=""

    if is_root; then
        user_lines="User $RUN_USER
Group $RUN_USER"
    fi

    {
        cat <<EOF
# Generated by tools/serverroot.sh; rewritten at every start.
ServerRoot "$data"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$data/run/httpd.pid"
DefaultRuntimeDir "$data/run"
Mutex file:$data/run default
$user_lines

EOF
        for m in mpm_event authz_core authz_user authn_core auth_basic \
                 authn_file dbd mime alias; do
            echo "LoadModule ${m}_module $APACHE_MODULES/mod_$m.so"
        done
        cat <<EOF
LoadModule pegawai_module "$REPO/mod_pegawai/.libs/mod_pegawai.so"

# Four children of 16 threads from the start: no child is spawned in the
# middle of a test or a benchmark run.
StartServers 4
ServerLimit 4
ThreadsPerChild 16
MaxRequestWorkers 64
MinSpareThreads 16
MaxSpareThreads 64
Timeout 30
KeepAlive On
ServerTokens Prod
ServerSignature Off
TraceEnable Off

ErrorLog "$data/logs/error.log"
LogLevel $loglevel
LogFormat "%a %l %u %t \"%r\" %>s %b %D" pegawai
CustomLog "$data/logs/access.log" pegawai
TypesConfig /etc/mime.types

DocumentRoot "$data/docroot"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "$data/docroot">
    Require all granted
</Directory>

EOF
        write_dbd_conf
        cat <<EOF

PegawaiTemplateDir "$templates"
PegawaiCommonPasswords "$REPO/conf/common-passwords.txt"
PegawaiSessionIdleTimeout 1800
PegawaiSessionMaxAge 43200
PegawaiCookieSecure Auto

<Location "/">
    Pegawai On
</Location>
<Location "/login">
    PegawaiLoginProviders pegawai
</Location>

Alias /static "$static"
<Directory "$static">
    Options None
    Require all granted
</Directory>
<Location "/static">
    Pegawai Off
</Location>
EOF
        if [ -n "$extra_conf" ]; then
            printf '\nInclude %s\n' "$(conf_quote "$extra_conf")"
        fi
    } >"$data/conf/httpd.conf.new"
    mv "$data/conf/httpd.conf.new" "$data/conf/httpd.conf"
}

check_conf()
{
    local out
    [ -r "$REPO/mod_pegawai/.libs/mod_pegawai.so" ] \
        || die "mod_pegawai/.libs/mod_pegawai.so is missing: run 'make module'"
    if ! out=$("$APACHE2" -t -f "$data/conf/httpd.conf" 2>&1); then
        echo "$out" >&2
        die "configuration test of $data/conf/httpd.conf failed"
    fi
}

# ------------------------------------------------------------ the server

running_pid()
{
    local pid
    pid=$(cat "$data/run/httpd.pid" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

refuse_if_running()
{
    local pid
    if pid=$(running_pid); then
        die "apache2 already runs on $data (pid $pid); stop it with" \
            "tools/serverroot.sh --data $data --stop"
    fi
    # A pid file left by a crash makes apache2 warn at start.
    rm -f "$data/run/httpd.pid"
}

port_answers()
{
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

start_background()
{
    local i

    "$APACHE2" -f "$data/conf/httpd.conf" -k start \
        || die "apache2 -k start failed; see $data/logs/error.log"
    # The port answers as soon as the first configuration pass has bound
    # it; the pid file comes with the second pass, which serves.
    for i in $(seq 1 300); do
        if port_answers && running_pid >/dev/null; then
            return 0
        fi
        if [ "$i" -gt 20 ] && ! running_pid >/dev/null; then
            break
        fi
        sleep 0.1
    done
    tail -n 20 "$data/logs/error.log" >&2 || true
    die "apache2 did not answer on 127.0.0.1:$port"
}

stop_server()
{
    local pid i
    pid=$(running_pid) || return 0
    kill -TERM "$pid"
    for i in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    die "apache2 (pid $pid) did not stop within 30 s"
}

main()
{
    parse_args "$@"
    if [ "$mode" = stop ]; then
        stop_server
        return
    fi

    make_layout
    refuse_if_running
    write_conf
    prepare_database
    check_conf

    case "$mode" in
        prepare-only)
            echo "serverroot.sh: server root ready in $data" >&2
            ;;
        start)
            start_background
            echo "serverroot.sh: portal at http://127.0.0.1:$port/" >&2
            ;;
        foreground)
            echo "serverroot.sh: portal at http://127.0.0.1:$port/" \
                 "(Ctrl-C stops it)" >&2
            exec "$APACHE2" -f "$data/conf/httpd.conf" -DFOREGROUND \
                 -c "ErrorLog /dev/stderr"
            ;;
    esac
}

main "$@"
