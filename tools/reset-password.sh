#!/bin/bash
# tools/reset-password.sh: give an employee a temporary password, as the
# helpdesk (Suku Badan Kepegawaian, UPT Pusdatin BKD) does for someone
# who cannot log in.
#
#   tools/reset-password.sh sqlite3 /var/lib/mod_pegawai/pegawai.sqlite NRK
#   tools/reset-password.sh pgsql "host=... dbname=pegawai user=..." NRK
#
# Creates the portal account when the employee has none. In one
# transaction: the new argon2id hash with must_change_password set (the
# portal sends the employee to Ubah Password before any other page), every
# session of the account ended, the account's login throttle cleared, and
# an audit row (who reset it, never the password). Prints the temporary
# password once, for the operator to hand over; it is stored nowhere else.
#
# Environment: PGW_TEMPPASS (default build/pgw_temppass of the source
# tree, else the package's /usr/lib/mod_pegawai/pgw_temppass),
# PEGAWAI_PASSWORD_COST ("T KIB", default "2 19456": the
# PegawaiPasswordCost of the servers).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The source tree's build, or where the Debian package puts it.
temppass=${PGW_TEMPPASS:-$here/../build/pgw_temppass}
if [ -z "${PGW_TEMPPASS:-}" ] && [ ! -x "$temppass" ]; then
    temppass=/usr/lib/mod_pegawai/pgw_temppass
fi

die()
{
    echo "reset-password.sh: $*" >&2
    exit 1
}

[ $# -eq 3 ] || {
    echo "usage: $0 sqlite3 DBFILE NRK | pgsql CONNINFO NRK" >&2
    exit 2
}
driver=$1 target=$2 nrk=$3

# The NRK and the operator's name go into SQL text: both are checked to
# be plain before they do.
[[ $nrk =~ ^[0-9]{1,18}$ ]] || die "NRK must be 1 to 18 digits"
actor="admin:${SUDO_USER:-$(id -un)}"
[[ $actor =~ ^admin:[A-Za-z0-9._-]{1,64}$ ]] || die "odd user name"
[ -x "$temppass" ] || die "$temppass is missing: run 'make tools'"

read -r ops kib <<<"${PEGAWAI_PASSWORD_COST:-2 19456}"
read -r password hash < <("$temppass" --ops "$ops" --mem-kib "$kib")
[[ $hash =~ ^\$argon2id\$[A-Za-z0-9\$=,+/]+$ ]] || die "no hash made"
now=$(date +%s)
throttle_key="a:$(printf '%s' "$nrk" | sha256sum | cut -d' ' -f1)"

script="BEGIN;
INSERT INTO account (nrk, password_hash, must_change_password, created_at,
                     password_changed_at)
SELECT nrk, '$hash', 1, $now, $now FROM pegawai
 WHERE nrk = '$nrk'
   AND NOT EXISTS (SELECT 1 FROM account WHERE nrk = '$nrk');
UPDATE account SET password_hash = '$hash', must_change_password = 1,
       password_changed_at = $now
 WHERE nrk = '$nrk';
DELETE FROM session WHERE nrk = '$nrk';
DELETE FROM login_throttle WHERE throttle_key = '$throttle_key';
INSERT INTO audit_log (at, actor, subject_nrk, action, table_name,
                       column_name, old_value, new_value, client_ip)
SELECT $now, '$actor', nrk, 'password_reset', 'account', 'password_hash',
       NULL, NULL, NULL FROM pegawai WHERE nrk = '$nrk';
SELECT count(*) FROM account WHERE nrk = '$nrk' AND password_hash = '$hash';
COMMIT;"

case $driver in
sqlite3)
    [ -f "$target" ] || die "no database at $target"
    run=(sqlite3 -batch -bail -noheader -cmd ".timeout 5000" "$target")
    # SQLite's WAL files must stay the Apache user's: run as the owner.
    owner=$(stat -c %U "$target")
    if [ "$(id -u)" -eq 0 ] && [ "$owner" != root ]; then
        run=(runuser -u "$owner" -- "${run[@]}")
    fi
    ;;
pgsql)
    run=(psql -X -q -t -A -v ON_ERROR_STOP=1 "$target")
    ;;
*)
    die "driver must be sqlite3 or pgsql"
    ;;
esac

done=$("${run[@]}" <<<"$script") || die "the database refused the change"
[ "$(tail -n 1 <<<"$done")" = 1 ] || die "no employee with NRK $nrk"

cat <<EOF
Password sementara NRK $nrk: $password
Berikan langsung kepada pegawai yang bersangkutan. Password ini harus
diganti saat masuk pertama kali; semua sesi lama akun ini sudah diakhiri.
EOF
