#!/usr/bin/python3
"""Gives demo employee 181679 three addresses (when it has fewer), so that
the Riwayat Alamat list the benchmark reads is a realistic page.

usage: alamat_setup.py BASE_URL COOKIE_HEADER
"""
import re
import sys

import requests


def main():
    base, cookie = sys.argv[1], sys.argv[2]
    s = requests.Session()
    s.headers["Cookie"] = cookie
    page = s.get(base + "/riwayat/alamat?tampilkan=1").text
    have = len(re.findall(r'name="id" value="\d+"', page))
    kota = s.get(base + "/riwayat/alamat/wilayah?induk=31").json()["wilayah"]
    for n in range(have, 3):
        k = kota[1 + n % 5]["kode"]
        kec = s.get(base + "/riwayat/alamat/wilayah?induk=" + k).json()
        kec = kec["wilayah"][0]["kode"]
        kel = s.get(base + "/riwayat/alamat/wilayah?induk=" + kec).json()
        kel = kel["wilayah"][0]["kode"]
        form = s.get(base + "/riwayat/alamat/tambah").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)[1]
        r = s.post(base + "/riwayat/alamat/tambah", allow_redirects=False,
                   data={"tanggal_mulai": "01-0%d-20%d" % (n + 1, 15 + n),
                         "alamat": "Jl. Medan Merdeka Selatan No. %d" % (8 + n),
                         "rt": "00%d" % (n + 1), "rw": "002",
                         "provinsi": "31", "kota": k, "kecamatan": kec,
                         "kelurahan": kel, "kode_pos": "10110",
                         "ktp_sama": "1", "keterangan": "rumah dinas",
                         "csrf_token": token})
        if r.status_code == 200 and "konfirmasi" in r.text:
            konf = re.search(r'name="konfirmasi" value="([^"]+)"', r.text)[1]
            r = s.post(base + "/riwayat/alamat/tambah",
                       allow_redirects=False,
                       data={"tanggal_mulai": "01-0%d-20%d" % (n + 1, 15 + n),
                             "alamat": "Jl. Medan Merdeka Selatan No. %d"
                             % (8 + n),
                             "rt": "00%d" % (n + 1), "rw": "002",
                             "provinsi": "31", "kota": k, "kecamatan": kec,
                             "kelurahan": kel, "kode_pos": "10110",
                             "ktp_sama": "1", "keterangan": "rumah dinas",
                             "csrf_token": token, "konfirmasi": konf})
        assert r.status_code == 303, (r.status_code, r.text[:2000])


if __name__ == "__main__":
    main()
