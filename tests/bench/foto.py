#!/usr/bin/python3
"""Upload Foto under load of one: the time to validate and re-encode a
12-megapixel JPEG and a 12-megapixel PNG, and the peak resident memory
of the Apache child meanwhile (sampled from /proc every 10 ms).

usage: foto.py BASE_URL COOKIE_HEADER APACHE_PARENT_PID WORKDIR
"""
import os
import random
import re
import statistics
import sys
import threading
import time

import requests
from PIL import Image, ImageFilter


def children(parent):
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                out.append(int(pid))
        except OSError:
            pass
    return out


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    def __init__(self, parent):
        super().__init__(daemon=True)
        self.parent, self.peak, self.stop = parent, 0, False

    def run(self):
        while not self.stop:
            for pid in children(self.parent):
                self.peak = max(self.peak, rss_kib(pid))
            time.sleep(0.01)


def photo():
    """A deterministic 3000x4000 stand-in for a phone's portrait: the
    Mandelbrot set's fine detail in one channel, smooth gradients in the
    others, and seeded sensor noise over all, softened a little as a lens
    would, so that JPEG and PNG compress it about as they compress a
    photo (some 2 MB as JPEG, 18 MB as PNG)."""
    w, h = 3000, 4000
    detail = Image.effect_mandelbrot((w, h), (-2.2, -1.6, 1.0, 1.6), 60)
    across = Image.linear_gradient("L").rotate(90).resize((w, h))
    round_ = Image.radial_gradient("L").resize((w, h))
    img = Image.merge("RGB", (detail, across, round_))
    noise = Image.frombytes("RGB", (w, h),
                            random.Random(7).randbytes(w * h * 3))
    img = Image.blend(img, noise, 0.15)
    return img.filter(ImageFilter.GaussianBlur(0.7))


def make_files(work):
    jpg = os.path.join(work, "foto-12mp.jpg")
    png = os.path.join(work, "foto-12mp.png")
    if not (os.path.exists(jpg) and os.path.exists(png)):
        img = photo()
        img.save(jpg, "JPEG", quality=90)
        img.save(png, "PNG")
    return jpg, png


def upload(base, cookie, path, ctype):
    s = requests.Session()
    s.headers["Cookie"] = cookie
    page = s.get(base + "/akun/foto").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    with open(path, "rb") as f:
        body = f.read()
    t0 = time.perf_counter()
    r = s.post(base + "/akun/foto", allow_redirects=False,
               files={"foto": (os.path.basename(path), body, ctype)},
               data={"csrf_token": token})
    elapsed = time.perf_counter() - t0
    if r.status_code != 303:
        sys.exit("bench: upload of %s answered %d: %s"
                 % (path, r.status_code,
                    re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r.text))[:300]))
    return elapsed, len(body)


def main():
    base, cookie, parent, work = sys.argv[1], sys.argv[2], \
        int(sys.argv[3]), sys.argv[4]
    jpg, png = make_files(work)
    for path, ctype in ((jpg, "image/jpeg"), (png, "image/png")):
        base_rss = max([rss_kib(p) for p in children(parent)] or [0])
        sampler = Sampler(parent)
        sampler.start()
        times = []
        for _ in range(5):
            t, size = upload(base, cookie, path, ctype)
            times.append(t)
        sampler.stop = True
        sampler.join()
        print("  photo %-4s  12 MP, %5.1f MB: median %4.0f ms per upload "
              "(validate, decode, re-encode, store); child RSS %d MB idle, "
              "%d MB peak"
              % (path.rsplit(".", 1)[1].upper(), size / 1048576.0,
                 statistics.median(times) * 1000, base_rss // 1024,
                 sampler.peak // 1024))


if __name__ == "__main__":
    main()
