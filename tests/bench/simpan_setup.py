#!/usr/bin/python3
"""Prepares the SIMPAN benchmark: logs in N employees whose required
data-form fields are filled, and prints one "cookie|body|versi|flip" line
per employee for simpan.lua (the body holds every field but No. Telp and
the version, which the script varies; flip says which of the script's two
numbers differs from the stored one, so that the first post is a change
too: a post that changes nothing keeps the version).

usage: simpan_setup.py BASE_URL sqlite3 DBFILE N
       simpan_setup.py BASE_URL pgsql CONNINFO N
"""
import re
import sqlite3
import subprocess
import sys
import urllib.parse

import requests

FIELDS = ["agama", "jenis_kelamin", "no_taspen", "nik", "no_kk",
          "no_rek_bank_dki", "npwp", "gol_darah", "no_hp",
          "pendidikan_cpns", "no_karpeg", "no_bpjs", "no_karis_karsu",
          "email"]
FIRST_TELP = "02123456789"
REQUIRED = ["agama", "jenis_kelamin", "nik", "no_kk", "no_rek_bank_dki",
            "npwp", "gol_darah", "no_hp", "pendidikan_cpns"]
QUERY = ("SELECT nrk, COALESCE(no_telp, ''), %s FROM pegawai WHERE %s AND nrk NOT IN "
         "('181678', '181679') ORDER BY nrk LIMIT %%d"
         % (", ".join("COALESCE(%s, '')" % f for f in FIELDS),
            " AND ".join("%s IS NOT NULL" % f for f in REQUIRED)))


def rows(driver, target, n):
    if driver == "sqlite3":
        with sqlite3.connect(target) as db:
            return db.execute(QUERY % n).fetchall()
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t",
                          target, "-c", QUERY % n], check=True,
                         capture_output=True, text=True).stdout
    return [tuple(l.split("\t")) for l in out.splitlines() if l]


def main():
    base, driver, target, n = sys.argv[1], sys.argv[2], sys.argv[3], \
        int(sys.argv[4])
    for row in rows(driver, target, n):
        s = requests.Session()
        page = s.get(base + "/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        r = s.post(base + "/login", allow_redirects=False,
                   data={"nrk": row[0], "password": "rahasia-demo",
                         "csrf_token": token})
        assert r.status_code == 303, r.status_code
        form = s.get(base + "/profile/data").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)[1]
        versi = re.search(r'name="versi" value="(\d+)"', form)[1]
        body = urllib.parse.urlencode(
            list(zip(FIELDS, row[2:])) + [("csrf_token", csrf)])
        cookie = "; ".join("%s=%s" % (c.name, c.value) for c in s.cookies
                           if c.name == "pgw_sesi")
        # simpan.lua posts FIRST_TELP first unless it is stored already.
        flip = 1 if row[1] == FIRST_TELP else 0
        print("%s|%s|%s|%d" % (cookie, body, versi, flip))


if __name__ == "__main__":
    main()
