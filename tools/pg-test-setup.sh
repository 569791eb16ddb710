#!/bin/bash
# tools/pg-test-setup.sh: start the local PostgreSQL cluster and create the
# role the integration tests use. Run as root; idempotent.
#
# Prints the line to put the tests' connection string in the environment:
#   export PEGAWAI_PG_DSN='host=127.0.0.1 port=5432 user=pegawai ...'
# (tests/integration uses that same string when PEGAWAI_PG_DSN is unset).
#
# The role may create databases and nothing more: each test session makes
# its own database pegawai_test_<pid> and drops it at the end. Its
# password is not a secret: the role exists for tests on this machine.
set -euo pipefail

# Only the export line goes to standard output, since callers eval it:
# everything the PostgreSQL tools print (pg_ctlcluster says "Removed stale
# pid file." after an unclean shutdown) goes to standard error. The server
# is started with descriptor 3 closed: it would hold the caller's $(...)
# open for as long as it runs.
exec 3>&1 1>&2

ROLE=pegawai
PASSWORD=pegawai-test

die()
{
    echo "pg-test-setup.sh: $*" >&2
    exit 1
}

[ "$(id -u)" -eq 0 ] || die "run as root (it starts the cluster)"
command -v pg_lsclusters >/dev/null \
    || die "PostgreSQL is not installed: run tools/deps.sh test"

# The first cluster Debian's postgresql-common knows of; a fresh install
# normally has 15/main, but a machine may have had it dropped.
cluster=$(pg_lsclusters -h | awk 'NR == 1 { print $1, $2, $3 }')
if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
    [ -n "$version" ] || die "no PostgreSQL server version installed"
    echo "pg-test-setup.sh: creating cluster $version/main" >&2
    pg_createcluster "$version" main >/dev/null 3>&-
    cluster=$(pg_lsclusters -h | awk 'NR == 1 { print $1, $2, $3 }')
fi
read -r version name port <<<"$cluster"

if ! pg_ctlcluster "$version" "$name" status >/dev/null 2>&1; then
    pg_ctlcluster "$version" "$name" start 3>&-
fi
for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" \
    || die "PostgreSQL $version/$name does not answer on port $port"

# As the postgres superuser over the local socket (peer authentication).
runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" \
    -d postgres >/dev/null <<EOF
SELECT 'CREATE ROLE $ROLE LOGIN'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE')
\gexec
ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
EOF

dsn="host=127.0.0.1 port=$port user=$ROLE password=$PASSWORD dbname=postgres"
PGCONNECT_TIMEOUT=5 psql -X -q -t -A "$dsn" -c "SELECT 1" >/dev/null \
    || die "cannot log in as $ROLE over TCP (check pg_hba.conf)"
echo "export PEGAWAI_PG_DSN='$dsn'" >&3
