"""The module under each of Apache's MPMs: the tests run under event
(Debian's default); here the same server root is started once more under
worker and under prefork, on its own port, and an employee logs in and
reads the profile."""

import re
import subprocess
import time

import pytest

from harness import PortalSession, free_port, login, port_answers


@pytest.mark.parametrize("mpm", ["worker", "prefork"])
def test_login_and_profile_under(portal, mpm):
    portal.sql("DELETE FROM login_throttle")
    conf = portal.conf.read_text()
    port = free_port()
    conf = conf.replace("mod_mpm_event.so", "mod_mpm_%s.so" % mpm)
    conf = conf.replace("mpm_event_module", "mpm_%s_module" % mpm)
    conf = re.sub(r"Listen 127\.0\.0\.1:\d+", "Listen 127.0.0.1:%d" % port,
                  conf)
    conf = re.sub(r"^PidFile .*$", 'PidFile "%s/run/%s.pid"'
                  % (portal.data, mpm), conf, flags=re.M)
    if mpm == "prefork":  # one request per process: more processes
        conf = re.sub(r"^(ThreadsPerChild|MinSpareThreads|MaxSpareThreads|"
                      r"ServerLimit|MaxRequestWorkers) .*$", "", conf,
                      flags=re.M)
        conf += "\nServerLimit 16\nMaxRequestWorkers 16\n"
    path = portal.data / "conf" / ("%s.conf" % mpm)
    path.write_text(conf)
    subprocess.run(["/usr/sbin/apache2", "-f", str(path), "-k", "start"],
                   check=True, capture_output=True)
    try:
        deadline = time.monotonic() + 20
        while not port_answers(port):
            assert time.monotonic() < deadline, "apache2 did not start"
            time.sleep(0.05)
        c = PortalSession("http://127.0.0.1:%d" % port)
        assert login(c, "181679", "rahasia-demo").status_code == 303
        page = c.get("/profile")
        assert page.status_code == 200
        assert "181679 - 198307052011011018" in page.text
    finally:
        subprocess.run(["/usr/sbin/apache2", "-f", str(path), "-k", "stop"],
                       capture_output=True)
        deadline = time.monotonic() + 20
        while port_answers(port) and time.monotonic() < deadline:
            time.sleep(0.05)
