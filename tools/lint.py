#!/usr/bin/python3
"""House-style checks (STYLE.md): 80 columns and no tabs in C, the
clang-format style, unique PGWnnnnn log tags on every message at warn or
above, and conf/pegawai.conf in step with the directives the code
defines (name, default and context)."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
problems = []


def tracked(*patterns):
    out = subprocess.run(['git', 'ls-files', *patterns], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return [ROOT / p for p in out.split()]


def check_text(files):
    for f in files:
        for n, line in enumerate(f.read_text().splitlines(), 1):
            if len(line) > 80:
                problems.append(f'{f.relative_to(ROOT)}:{n}: '
                                f'{len(line)} columns')
            if '\t' in line:
                problems.append(f'{f.relative_to(ROOT)}:{n}: tab')


def check_format(files):
    if not shutil.which('clang-format'):
        problems.append('clang-format is not installed (tools/deps.sh '
                        'build installs it): the C style was not checked')
        return
    for f in files:
        r = subprocess.run(['clang-format', '--dry-run', '--Werror',
                            str(f)], cwd=ROOT, capture_output=True)
        if r.returncode:
            problems.append(f'{f.relative_to(ROOT)}: not in clang-format '
                            'style (make format)')


LOG = re.compile(r'ap_log_\w*error\(APLOG_MARK,\s*APLOG_(WARNING|ERR|CRIT|'
                 r'ALERT|EMERG)[^"]*"([^"]*)"', re.S)


def check_tags(files):
    seen = {}
    for f in files:
        src = f.read_text()
        for tag in re.findall(r'PGW\d{5}', src):
            seen.setdefault(tag, []).append(f.name)
        for m in LOG.finditer(src):
            if not re.match(r'PGW\d{5}: ', m.group(2)):
                line = src.count('\n', 0, m.start()) + 1
                problems.append(f'{f.relative_to(ROOT)}:{line}: message at '
                                f'{m.group(1)} without a PGWnnnnn tag')
    for tag, where in seen.items():
        if len(where) > 1:
            problems.append(f'log tag {tag} used {len(where)} times: '
                            f'{", ".join(where)}')


def code_directives():
    src = (ROOT / 'mod_pegawai/mod_pegawai_config.c').read_text()
    names = set(re.findall(r'AP_INIT_\w+\("(\w+)"', src))
    names |= set(re.findall(r'\{"(Pegawai\w*)",', src))
    names |= set(re.findall(r'PHOTO_DIRECTIVE\("(\w+)"', src))
    defaults = dict(re.findall(r'#define DEFAULT_(\w+) (.+)', src))
    return names, defaults


def doc_directives():
    text = (ROOT / 'conf/pegawai.conf').read_text()
    docs = {}
    for block in re.split(r'\n#\s*\n(?=# Directive:)', text):
        m = re.search(r'# Directive:\s*(\w+)', block)
        if m:
            d = re.search(r'# Default:\s*(.+)', block)
            docs[m.group(1)] = d.group(1).strip() if d else None
    return docs


# "#define DEFAULT_X value /* PegawaiY */", or the comment on the line
# above; "PegawaiY[n]" is the n-th word of a default of several words.
DEFAULT_DEF = re.compile(r'^(?:/\*\s*(Pegawai\w+(?:\[\d\])?)\s*\*/\n)?'
                         r'#define DEFAULT_\w+[ \t]+(.+?)[ \t]*'
                         r'(?:/\*[ \t]*(Pegawai\w+(?:\[\d\])?)[ \t]*\*/)?$',
                         re.M)


def default_value(text):
    """A default's C value as the configuration would write it."""
    if text.startswith('"'):
        return text.strip('"')
    if re.fullmatch(r'[\d\s()*+]+', text):
        return str(eval(text))  # digits and operators only
    return None


def check_defaults(docs):
    src = (ROOT / 'mod_pegawai/mod_pegawai_config.c').read_text()
    for above, value, beside in DEFAULT_DEF.findall(src):
        name = above or beside
        if not name:
            problems.append(f'mod_pegawai_config.c: DEFAULT_ {value} names '
                            'no directive (/* PegawaiX */)')
            continue
        m = re.fullmatch(r'(\w+)(?:\[(\d)\])?', name)
        directive, word = m.group(1), m.group(2)
        doc = docs.get(directive)
        if doc is None:
            problems.append(f'{directive}: a default in the code, none in '
                            'conf/pegawai.conf')
            continue
        if word:
            words = doc.split()
            doc = words[int(word) - 1] if len(words) >= int(word) else None
        code = default_value(value)
        if code is None or code != doc:
            problems.append(f'{name}: conf/pegawai.conf says {doc!r}, the '
                            f'code {value}')


def check_directives():
    names, _ = code_directives()
    docs = doc_directives()
    check_defaults(docs)
    for n in sorted(names - docs.keys()):
        problems.append(f'directive {n} is not documented in '
                        'conf/pegawai.conf')
    for n in sorted(docs.keys() - names):
        problems.append(f'conf/pegawai.conf documents {n}, which the code '
                        'does not define')


def main():
    csrc = tracked('*.c', '*.h')
    check_text(csrc)
    check_format(csrc)
    check_tags([f for f in csrc if f.suffix == '.c'])
    check_directives()
    for p in problems:
        print(f'lint: {p}')
    print('lint: FAILED' if problems else 'lint: ok')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
