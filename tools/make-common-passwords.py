#!/usr/bin/python3
"""Writes conf/common-passwords.txt, the list of passwords that Ubah
Password refuses as too common (ASVS 5.0 V6.2.4, V6.2.11; issue 5).

    /usr/bin/python3 tools/make-common-passwords.py \\
        /tmp/zx/usr/lib/python3/dist-packages/zxcvbn/frequency_lists.py

The argument is frequency_lists.py of Debian's python3-zxcvbn, extracted
by hand (the package is a source of data, never a dependency):

    apt-get download python3-zxcvbn
    dpkg-deb -x python3-zxcvbn_*.deb /tmp/zx

The list is two parts, lower-cased, one password a line:

1. the 10,000 most frequent entries of zxcvbn's 'passwords' list (it
   holds 30,000, most frequent first; MIT licence, whose notice the
   output repeats as that licence requires);
2. our own words: what a Jakarta civil servant is likely to pick (the
   office, the city, the nation, faith, affection, the word "secret"),
   each with the digit and symbol endings people add to reach a length
   rule. Only those of 8 characters or more are written: shorter ones
   are refused by the length rule before the list is consulted.

The file is read as Python source with ast, never executed. The script
fails when the demo password would be listed (the demo could not log in
after a password change test, and README.md promises it) or when an
entry could not be told from a comment or blank line by the loader.
"""
import ast
import gzip
import os
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                   'conf', 'common-passwords.txt')
ZXCVBN_TAKEN = 10000
DEMO_PASSWORD = 'rahasia-demo'
MIN_OWN_LENGTH = 8

# Words an employee of the Jakarta provincial government might choose,
# grouped by why.
OWN_WORDS = [
    # the word "secret" and what a login page asks for
    'rahasia', 'rahasiaku', 'katasandi', 'sandi', 'kunci', 'masuk',
    'masukaja', 'gantipassword',
    # the employer: civil service, the agency, the province
    'pegawai', 'asn', 'pns', 'cpns', 'pppk', 'bkd', 'bkddki', 'dki',
    'dkijakarta', 'pemprov', 'pemprovdki', 'pemda', 'simpeg', 'kantor',
    'kepegawaian', 'operator',
    # the city and the nation
    'jakarta', 'jakartaku', 'betawi', 'monas', 'persija', 'jakmania',
    'indonesia', 'indonesiaraya', 'merdeka', 'garuda', 'pancasila',
    'nusantara',
    # faith: phrases said every day
    'bismillah', 'alhamdulillah', 'insyaallah', 'subhanallah',
    'mashaallah', 'allahuakbar', 'assalamualaikum', 'astagfirullah',
    # affection and family
    'sayang', 'sayangku', 'cinta', 'cintaku', 'kasih', 'anakku',
    'keluarga',
]

# What people append to satisfy "at least 8 characters" or "a digit and
# a symbol": counting runs, the years around the portal's launch, the
# year of independence.
SUFFIXES = ['', '1', '12', '123', '1234', '12345', '123456', '01', '2024',
            '2025', '2026', '45', '1945', '!', '123!', '@123']

# Dates and phrases every Indonesian knows: independence day
# (17 Agustus 1945) and Jakarta's anniversary (22 Juni 1527).
OWN_EXTRA = ['17081945', '17agustus1945', '17agustus', 'hutri1945',
             '22061527', 'hutdki', 'hutjakarta', 'dirgahayuri']


def zxcvbn_passwords(path):
    """The 'passwords' list of FREQUENCY_LISTS, read without running the
    file: a dict literal whose values are "a,b,c".split(",") calls."""
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read(), path)
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], 'id', '') == 'FREQUENCY_LISTS'
                and isinstance(node.value, ast.Dict)):
            for key, value in zip(node.value.keys, node.value.values):
                if ast.literal_eval(key) == 'passwords':
                    return split_call(path, value)
    sys.exit(f'{path}: no FREQUENCY_LISTS["passwords"]')


def split_call(path, node):
    """The list a '"...".split(",")' expression, or a plain list, makes."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == 'split' and len(node.args) == 1
            and not node.keywords):
        text = ast.literal_eval(node.func.value)
        sep = ast.literal_eval(node.args[0])
        if isinstance(text, str) and isinstance(sep, str):
            return text.split(sep)
    value = ast.literal_eval(node)
    if isinstance(value, list):
        return value
    sys.exit(f'{path}: FREQUENCY_LISTS["passwords"] is not a list')


def own_passwords():
    out = []
    for word in OWN_WORDS:
        out += [word + s for s in SUFFIXES]
    out += OWN_EXTRA
    return [p for p in out if len(p) >= MIN_OWN_LENGTH]


def unique(entries, seen):
    out = []
    for e in entries:
        e = e.lower()
        if e not in seen:
            seen.add(e)
            out.append(e)
    return out


def check(entries):
    """The loader trims lines and skips '#' lines and blank ones."""
    for e in entries:
        if not e or e != e.strip() or e.startswith('#') or '\n' in e:
            sys.exit(f'entry {e!r} would not survive the loader')
    if DEMO_PASSWORD in entries:
        sys.exit(f'the demo password {DEMO_PASSWORD} would be listed')


HEADER = '''\
# Passwords too common to be accepted by Ubah Password (mod_pegawai,
# ASVS 5.0 V6.2.4 and V6.2.11). One password a line, lower-case; the
# module compares the lower-cased new password with each line exactly.
# Lines starting with '#' and blank lines are skipped.
#
# Generated by tools/make-common-passwords.py; do not edit by hand, run
# it again (its docstring says how).
#
# Part 1, {n_zx} lines: the {n_zx} most frequent entries of the
# 'passwords' frequency list of zxcvbn ({n_zx_policy} of them have 8
# characters or more), taken from Debian's python3-zxcvbn {version},
# file zxcvbn/frequency_lists.py. Its licence, as that package states it:
#
#   Copyright: 2012-2013 Dropbox, Inc.
#              2016 Daniel Wolf
#   License: MIT
#
#   Permission is hereby granted, free of charge, to any person obtaining
#   a copy of this software and associated documentation files (the
#   "Software"), to deal in the Software without restriction, including
#   without limitation the rights to use, copy, modify, merge, publish,
#   distribute, sublicense, and/or sell copies of the Software, and to
#   permit persons to whom the Software is furnished to do so, subject to
#   the following conditions:
#
#   The above copyright notice and this permission notice shall be
#   included in all copies or substantial portions of the Software.
#
#   THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
#   EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
#   MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
#   NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
#   LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION
#   OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
#   WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
#
# Part 2, {n_own} lines: passwords common in Indonesia that a civil
# servant of Jakarta might choose (the office, the city, the nation,
# faith, affection, with the usual digit endings), written by the
# mod_pegawai authors in tools/make-common-passwords.py under the
# licence of mod_pegawai itself.
'''


def package_version(path):
    """The version of python3-zxcvbn, from the extracted tree's
    changelog directory when present."""
    root = path.split('/usr/lib/')[0]
    doc = os.path.join(root, 'usr/share/doc/python3-zxcvbn',
                       'changelog.Debian.gz')
    if os.path.exists(doc):
        with gzip.open(doc, 'rt', encoding='utf-8') as f:
            first = f.readline()
        if '(' in first:
            return first.split('(')[1].split(')')[0]
    return '(version unknown)'


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    ranked = zxcvbn_passwords(path)
    if len(ranked) < ZXCVBN_TAKEN:
        sys.exit(f'{path}: only {len(ranked)} passwords')
    seen = set()
    zx = unique(ranked[:ZXCVBN_TAKEN], seen)
    own = unique(own_passwords(), seen)
    check(zx + own)
    header = HEADER.format(n_zx=len(zx), n_own=len(own),
                           n_zx_policy=sum(len(e) >= 8 for e in zx),
                           version=package_version(path))
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write(header)
        f.write('\n'.join(zx + own) + '\n')
    print(f'{os.path.normpath(OUT)}: {len(zx)} from zxcvbn, {len(own)} own')


if __name__ == '__main__':
    main()
