"""The database as sql/ makes it: every migration recorded once, a second
run of migrate.sh a no-op, SQLite in WAL mode, and the reference tables
holding exactly the codes of PRODUCT.md."""

import re
import sqlite3
import subprocess

from harness import REPO, RUN_USER, is_root

MIGRATIONS = REPO / "sql" / "migrations"

# PRODUCT.md, "Reference tables".
AGAMA = {"1": "ISLAM", "2": "KRISTEN", "3": "KATHOLIK", "4": "HINDU",
         "5": "BUDHA", "6": "KHONGHUCU", "7": "KEPERCAYAAN/LAINNYA"}
GOLONGAN = {"11": ("I/a", "Juru Muda"), "12": ("I/b", "Juru Muda Tk. I"),
            "13": ("I/c", "Juru"), "14": ("I/d", "Juru Tk. I"),
            "21": ("II/a", "Pengatur Muda"),
            "22": ("II/b", "Pengatur Muda Tk. I"),
            "23": ("II/c", "Pengatur"), "24": ("II/d", "Pengatur Tk. I"),
            "31": ("III/a", "Penata Muda"),
            "32": ("III/b", "Penata Muda Tk. I"),
            "33": ("III/c", "Penata"), "34": ("III/d", "Penata Tk. I"),
            "41": ("IV/a", "Pembina"), "42": ("IV/b", "Pembina Tk. I"),
            "43": ("IV/c", "Pembina Utama Muda"),
            "44": ("IV/d", "Pembina Utama Madya"),
            "45": ("IV/e", "Pembina Utama")}
ESELON = {"11": "I.a", "12": "I.b", "21": "II.a", "22": "II.b",
          "31": "III.a", "32": "III.b", "41": "IV.a", "42": "IV.b",
          "51": "V.a", "52": "V.b"}
TINGKAT = ["05", "10", "12", "15", "17", "18", "20", "25", "30", "35",
           "40", "45", "50"]


def migration_numbers():
    return sorted({int(p.name[:4]) for p in MIGRATIONS.glob("[0-9]*.sql")})


def test_every_migration_is_recorded_once(portal):
    rows = portal.sql("SELECT version, name FROM schema_version "
                      "ORDER BY version")
    assert [int(v) for v, _ in rows] == migration_numbers()
    assert all(name for _, name in rows)


def test_migrate_again_applies_nothing(portal):
    if portal.driver == "pgsql":
        cmd = [str(REPO / "sql" / "migrate.sh"), "pgsql", portal.dsn]
    else:
        cmd = [str(REPO / "sql" / "migrate.sh"), "sqlite3",
               str(portal.sqlite_file)]
        if is_root():
            cmd = ["runuser", "-u", RUN_USER, "--"] + cmd
    before = portal.sql("SELECT version, applied_at FROM schema_version "
                        "ORDER BY version")
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "no migration to apply" in r.stdout + r.stderr
    assert portal.sql("SELECT version, applied_at FROM schema_version "
                      "ORDER BY version") == before


def test_sqlite_runs_in_wal_mode(portal):
    if portal.driver != "sqlite3":
        return
    assert portal.sql("PRAGMA journal_mode") == [("wal",)]


def test_reference_tables_hold_the_products_codes(portal):
    assert dict(portal.sql("SELECT kode, nama FROM ref_agama")) == AGAMA
    golongan = {k: (g, p) for k, g, p in portal.sql(
        "SELECT kode, golongan, pangkat FROM ref_golongan")}
    assert golongan == GOLONGAN
    eselon = dict(portal.sql("SELECT kode, nama FROM ref_eselon"))
    # Non-eselon is 99 in some SIMPEG exports, 00 in the manual's table.
    non = {k for k in eselon if k in ("00", "99")}
    assert non and all(re.search("NON", eselon[k]) for k in non)
    assert {k: v for k, v in eselon.items() if k not in non} == ESELON
    tingkat = [k for k, in portal.sql(
        "SELECT kode FROM ref_tingkat_pendidikan ORDER BY kode")]
    assert tingkat == TINGKAT
    assert {k for k, in portal.sql(
        "SELECT kode FROM ref_status_pegawai")} == {"CPNS", "PNS", "PPPK"}
    jenis = dict(portal.sql("SELECT kode, nama FROM ref_jenis_jabatan"))
    assert set(jenis) == {"S", "F", "U"}
    assert "PELAKSANA" in jenis["U"] and "STRUKTURAL" == jenis["S"]
    # The form's education codes are a level of the table plus a major
    # (5313: level 30, SARMUD/D.III INFORMATIKA).
    pendidikan = portal.sql("SELECT kode, tingkat, nama FROM "
                            "ref_pendidikan")
    assert ("5313", "30", "SARMUD/D.III INFORMATIKA") in pendidikan
    assert all(t in TINGKAT for _, t, _ in pendidikan)


# Tables with a row per employee, per login or per change: at 4.3 million
# employees no statement may read one of them whole. The reference and
# region tables above the kecamatan are small and read whole on purpose.
GROWING = {"pegawai", "account", "account_role", "riwayat_jabatan",
           "riwayat_alamat", "session", "login_throttle", "login_device",
           "audit_log", "form_draft", "foto", "wilayah_kabupaten",
           "wilayah_kecamatan", "wilayah_kelurahan"}


def portal_statements():
    """(label, SQL, number of placeholders) of every statement in
    pgw_sql.c, the placeholders written "?"."""
    src = (REPO / "mod_pegawai" / "pgw_sql.c").read_text()
    src = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    found = []
    for label, literals in re.findall(
            r'\{(PGW_SQL_\w+),\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\}', src):
        sql = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', literals))
        sql, n = re.subn(r"%(?:lld|d|s|pDd)\b", "?", sql)
        found.append((label, sql, n))
    return found


def sqlite_scans(portal, statements):
    """(label, table) for each growing table SQLite's plan reads whole."""
    db = sqlite3.connect("file:%s?mode=ro" % portal.sqlite_file, uri=True)
    try:
        for label, sql, n in statements:
            for row in db.execute("EXPLAIN QUERY PLAN " + sql, [None] * n):
                m = re.match(r"SCAN (\w+)", row[3])
                if m:
                    yield label, m.group(1)
    finally:
        db.close()


def pgsql_scans(portal, statements):
    """The same from PostgreSQL's generic plans, with sequential scans
    priced out: a Seq Scan left in a plan has no index to use."""
    script = ["SET plan_cache_mode = force_generic_plan;",
              "SET enable_seqscan = off;"]
    for i, (label, sql, n) in enumerate(statements):
        numbered = iter(range(1, n + 1))
        sql = re.sub(r"\?", lambda m: "$%d" % next(numbered), sql)
        args = "(%s)" % ", ".join(["NULL"] * n) if n else ""
        script += ["\\echo == %s" % label,
                   "PREPARE s%d AS %s;" % (i, sql),
                   "EXPLAIN EXECUTE s%d%s;" % (i, args)]
    proc = subprocess.run(portal.client_command(), input="\n".join(script),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    label = None
    for line in proc.stdout.splitlines():
        if line.startswith("== "):
            label = line[3:]
        m = re.search(r"Seq Scan on (\w+)", line)
        if m:
            yield label, m.group(1)


def test_no_statement_reads_a_growing_table_whole(portal):
    """Each statement's plan on the migrated schema: every growing table
    is reached through an index."""
    statements = portal_statements()
    assert len(statements) > 50
    scans = (sqlite_scans if portal.driver == "sqlite3" else pgsql_scans)(
        portal, statements)
    assert [s for s in scans if s[1] in GROWING] == []
