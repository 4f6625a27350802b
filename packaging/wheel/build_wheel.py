#!/usr/bin/env python3
"""Build a wheel that carries the loadlint binary (as Ruff ships its own).

    build_wheel.py --binary PATH --version V --out-dir DIR --readme README.md
                   --license LICENSE [--third-party FILE]... [--static-archive A.a]...
                   [--strip STRIP] [--readelf READELF] [--plat-tag TAG]
                   [--man F] [--bash-completion F] [--zsh-completion F]
                   [--fish-completion F]

Writes DIR/loadlint-V-py3-none-TAG.whl (and removes other loadlint-*.whl from DIR, so
that `pip install DIR/loadlint-*.whl` names one file). Standard library only; the
binary is inspected with binutils' readelf and never run.

What pip installs (the binary is a "script" of the wheel, so it lands on PATH):
  loadlint-V.data/scripts/loadlint              -> <prefix>/bin/loadlint
  loadlint-V.data/data/lib/loadlint/<lib>.so.N  -> <prefix>/lib/loadlint/ (only
        libraries the binary needs that are not part of glibc, when the binary looks
        for them there: RUNPATH $ORIGIN/../lib/loadlint, see cmake/install.cmake)
  loadlint-V.data/data/share/...                -> the man page and completions
  loadlint/__init__.py, __main__.py             -> `python -m loadlint` runs the binary

The platform tag says what the binary needs. manylinux_2_X_ARCH (PEP 600) only when
it really complies: every shared library it (or a bundled library) needs is one of
glibc's, and X is the newest GLIBC_2.X symbol version any of them requires.
Otherwise linux_ARCH: the wheel then runs only where the listed libraries are
installed (e.g. Debian 12 with libtree-sitter0, libpcre2-8-0, libcjson1), and the
builder says so. --plat-tag overrides the computed tag.

Licence notices: LICENSE, each --third-party file, and for each --static-archive and
bundled library the Debian copyright file of the package that ships it (dpkg -S), in
loadlint-V.dist-info/licenses/.
"""

import argparse
import base64
import hashlib
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import time
import zipfile

NAME = "loadlint"
BUNDLE_DIR = "lib/loadlint"
BUNDLE_RUNPATH = "$ORIGIN/../" + BUNDLE_DIR
# glibc's libraries: what every manylinux system provides (PEP 600 / auditwheel policy)
GLIBC_LIBS = {
    "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0",
    "libresolv.so.2", "libutil.so.1", "libnsl.so.1",
    "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "ld-linux.so.2",
    "ld-linux-armhf.so.3", "ld64.so.2", "ld64.so.1", "ld-linux-riscv64-lp64d.so.1",
}
ELF_MACHINES = {3: "i686", 40: "armv7l", 62: "x86_64", 183: "aarch64", 22: "s390x",
                243: "riscv64"}

INIT_PY = '''"""loadlint: finds unsafe deserialization and unsafe ML-model loading in Python code.

The wheel installs the loadlint binary as a script (on PATH); this package only
finds it, for `python -m loadlint`.
"""
import os
import sys
import sysconfig

__version__ = "@VERSION@"


def find_loadlint_bin():
    """The path of the installed loadlint binary."""
    exe = "loadlint" + (sysconfig.get_config_var("EXE") or "")
    dirs = [sysconfig.get_path("scripts")]
    user = "nt_user" if os.name == "nt" else "posix_user"
    try:
        dirs.append(sysconfig.get_path("scripts", scheme=user))
    except KeyError:
        pass
    prefix = os.path.abspath(__file__)   # <prefix>/lib/pythonX.Y/site-packages/loadlint/
    for _ in range(5):
        prefix = os.path.dirname(prefix)
    dirs.append(os.path.join(prefix, "bin"))
    for d in dirs:
        p = os.path.join(d, exe)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    raise FileNotFoundError("the loadlint binary is not installed next to this package")
'''

MAIN_PY = '''import os
import sys

from loadlint import find_loadlint_bin


def main():
    binary = find_loadlint_bin()
    os.execv(binary, [binary] + sys.argv[1:])


if __name__ == "__main__":
    main()
'''


class BuildError(Exception):
    pass


def die(msg):
    print("build_wheel.py: error: %s" % msg, file=sys.stderr)
    sys.exit(1)


def note(msg):
    print("build_wheel.py: %s" % msg, file=sys.stderr)


# ---------------------------------------------------------------- ELF inspection

def elf_arch(path):
    with open(path, "rb") as f:
        ident = f.read(20)
    if len(ident) < 20 or ident[:4] != b"\x7fELF":
        raise BuildError("%s is not an ELF file" % path)
    endian = "<" if ident[5] == 1 else ">"
    machine = struct.unpack(endian + "H", ident[18:20])[0]
    if machine == 21:
        return "ppc64le" if endian == "<" else "ppc64"
    if machine not in ELF_MACHINES:
        raise BuildError("%s: unknown ELF machine %d" % (path, machine))
    return ELF_MACHINES[machine]


def readelf(readelf_bin, *args):
    env = dict(os.environ, LC_ALL="C")
    p = subprocess.run([readelf_bin, "--wide"] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env, check=False)
    if p.returncode != 0:
        raise BuildError("%s %s failed: %s" % (readelf_bin, " ".join(args),
                                               p.stderr.decode(errors="replace").strip()))
    return p.stdout.decode(errors="replace")


def elf_needs(readelf_bin, path):
    """(NEEDED sonames, RUNPATH/RPATH entries, newest GLIBC_2.x minor required)."""
    dyn = readelf(readelf_bin, "-d", path)
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dyn)
    runpath = []
    for m in re.finditer(r"\((?:RUNPATH|RPATH)\)\s+Library (?:runpath|rpath): \[([^\]]*)\]", dyn):
        runpath += m.group(1).split(":")
    ver = readelf(readelf_bin, "-V", path)
    minors = [int(m) for m in re.findall(r"Name: GLIBC_2\.(\d+)", ver)]
    return needed, runpath, max(minors) if minors else 0


def find_shared(soname):
    """The file the dynamic loader would use for soname (ldconfig's cache)."""
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    p = subprocess.run([ldconfig, "-p"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       env=dict(os.environ, LC_ALL="C"), check=False)
    for line in p.stdout.decode(errors="replace").splitlines():
        m = re.match(r"^\s*(\S+) \(([^)]*)\) => (\S+)$", line)
        if m and m.group(1) == soname:
            return os.path.realpath(m.group(3))
    raise BuildError("cannot find %s (ldconfig -p)" % soname)


def debian_copyright(path):
    """(package, its /usr/share/doc/<package>/copyright) for a file dpkg knows."""
    if not shutil.which("dpkg"):
        raise BuildError("dpkg is needed to find the licence of %s" % path)
    for candidate in (path, os.path.realpath(path)):
        p = subprocess.run(["dpkg", "-S", candidate], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, check=False)
        if p.returncode == 0:
            pkg = p.stdout.decode().split(":", 1)[0].strip()
            doc = "/usr/share/doc/%s/copyright" % pkg
            if not os.path.isfile(doc):
                raise BuildError("%s (from %s) has no %s" % (path, pkg, doc))
            return pkg, doc
        # /lib/x86_64-linux-gnu vs /usr/lib/x86_64-linux-gnu (merged /usr)
        if candidate.startswith("/usr/lib/"):
            alt = candidate[4:]
        elif candidate.startswith("/lib/"):
            alt = "/usr" + candidate
        else:
            continue
        p = subprocess.run(["dpkg", "-S", alt], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, check=False)
        if p.returncode == 0:
            pkg = p.stdout.decode().split(":", 1)[0].strip()
            return pkg, "/usr/share/doc/%s/copyright" % pkg
    raise BuildError("no Debian package owns %s (dpkg -S); cannot ship its licence" % path)


# ---------------------------------------------------------------- wheel writing

def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()) \
        .rstrip(b"=").decode()


class WheelWriter:
    def __init__(self, path, date_time):
        self.zf = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
        self.date_time = date_time
        self.records = []

    def add(self, arcname, data, mode=0o644):
        if isinstance(data, str):
            data = data.encode("utf-8")
        zi = zipfile.ZipInfo(arcname, date_time=self.date_time)
        zi.external_attr = (stat.S_IFREG | mode) << 16
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.create_system = 3  # Unix: pip honours the mode bits
        self.zf.writestr(zi, data)
        self.records.append("%s,%s,%d" % (arcname, record_hash(data), len(data)))

    def close(self, record_name):
        body = "\n".join(self.records + ["%s,," % record_name]) + "\n"
        zi = zipfile.ZipInfo(record_name, date_time=self.date_time)
        zi.external_attr = (stat.S_IFREG | 0o644) << 16
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.create_system = 3
        self.zf.writestr(zi, body.encode())
        self.zf.close()


def metadata(version, readme_text):
    return "\n".join([
        "Metadata-Version: 2.1",
        "Name: %s" % NAME,
        "Version: %s" % version,
        "Summary: Finds unsafe deserialization and unsafe ML-model loading in Python code",
        "Author: loadlint authors",
        "License: Apache-2.0",
        "Keywords: linter,security,pickle,deserialization,static-analysis,sarif",
        "Classifier: Development Status :: 4 - Beta",
        "Classifier: Environment :: Console",
        "Classifier: Intended Audience :: Developers",
        "Classifier: License :: OSI Approved :: Apache Software License",
        "Classifier: Operating System :: POSIX :: Linux",
        "Classifier: Programming Language :: C",
        "Classifier: Programming Language :: Python",
        "Classifier: Topic :: Security",
        "Classifier: Topic :: Software Development :: Quality Assurance",
        "Description-Content-Type: text/markdown",
        "",
        readme_text,
    ])


def build(a):
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)*([ab]|rc)?[0-9]*(\.post[0-9]+)?(\.dev[0-9]+)?",
                        a.version):
        raise BuildError("%r is not a PEP 440 version" % a.version)
    readelf_bin = a.readelf or shutil.which("readelf")
    if not readelf_bin:
        raise BuildError("readelf (binutils) is needed to inspect the binary")
    work = tempfile.mkdtemp(prefix="ll-wheel-")
    try:
        binary = os.path.join(work, NAME)
        shutil.copyfile(a.binary, binary)
        if a.strip:
            subprocess.run([a.strip, binary], check=True)
        arch = elf_arch(binary)
        needed, runpath, glibc = elf_needs(readelf_bin, binary)
        external = [n for n in needed if n not in GLIBC_LIBS]
        bundled = []            # (soname, path)
        if external and BUNDLE_RUNPATH in runpath:
            todo = list(external)
            while todo:
                so = todo.pop(0)
                if any(so == b for b, _ in bundled):
                    continue
                path = find_shared(so)
                bundled.append((so, path))
                n2, _, g2 = elf_needs(readelf_bin, path)
                glibc = max(glibc, g2)
                todo += [n for n in n2 if n not in GLIBC_LIBS]
            external = []
        if a.plat_tag:
            tag = a.plat_tag
        elif external:
            tag = "linux_%s" % arch
            note("the binary needs %s, which are not part of glibc: tagged %s; the wheel "
                 "runs only where they are installed (configure with "
                 "-DLOADLINT_STATIC_DEPS=ON for a manylinux wheel)" % (", ".join(external), tag))
        else:
            tag = "manylinux_2_%d_%s" % (glibc, arch)
        notices = [("LICENSE", a.license)]
        for f in a.third_party:
            if not os.path.isfile(f):
                raise BuildError("no such file: %s" % f)
            name = os.path.basename(os.path.dirname(os.path.abspath(f))) + "." + \
                os.path.basename(f)
            notices.append((name, f))
        for lib in list(a.static_archive) + [p for _, p in bundled]:
            pkg, doc = debian_copyright(lib)
            if not any(n == pkg + ".copyright" for n, _ in notices):
                notices.append((pkg + ".copyright", doc))

        os.makedirs(a.out_dir, exist_ok=True)
        for old in os.listdir(a.out_dir):
            if old.startswith(NAME + "-") and old.endswith(".whl"):
                os.unlink(os.path.join(a.out_dir, old))
        wheel_name = "%s-%s-py3-none-%s.whl" % (NAME, a.version, tag)
        out = os.path.join(a.out_dir, wheel_name)
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
        date_time = time.gmtime(max(epoch, 315532800))[:6]
        data = "%s-%s.data" % (NAME, a.version)
        info = "%s-%s.dist-info" % (NAME, a.version)
        tmp_out = out + ".part"
        w = WheelWriter(tmp_out, date_time)
        w.add("%s/__init__.py" % NAME, INIT_PY.replace("@VERSION@", a.version))
        w.add("%s/__main__.py" % NAME, MAIN_PY)
        with open(binary, "rb") as f:
            w.add("%s/scripts/%s" % (data, NAME), f.read(), 0o755)
        for so, path in bundled:
            with open(path, "rb") as f:
                w.add("%s/data/%s/%s" % (data, BUNDLE_DIR, so), f.read(), 0o755)
        extras = [(a.man, "share/man/man1/loadlint.1"),
                  (a.bash_completion, "share/bash-completion/completions/loadlint"),
                  (a.zsh_completion, "share/zsh/vendor-completions/_loadlint"),
                  (a.fish_completion, "share/fish/vendor_completions.d/loadlint.fish")]
        for src, dest in extras:
            if src:
                with open(src, "rb") as f:
                    w.add("%s/data/%s" % (data, dest), f.read())
        with open(a.readme, encoding="utf-8") as f:
            w.add("%s/METADATA" % info, metadata(a.version, f.read()))
        w.add("%s/WHEEL" % info, "Wheel-Version: 1.0\nGenerator: loadlint "
              "packaging/wheel/build_wheel.py\nRoot-Is-Purelib: false\nTag: py3-none-%s\n" % tag)
        for name, src in notices:
            with open(src, "rb") as f:
                w.add("%s/licenses/%s" % (info, name), f.read())
        w.close("%s/RECORD" % info)
        os.replace(tmp_out, out)
        print(out)
        if bundled:
            note("bundled %s" % ", ".join(so for so, _ in bundled))
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--readme", required=True)
    ap.add_argument("--license", required=True)
    ap.add_argument("--third-party", action="append", default=[],
                    help="a licence file of a component built into the binary")
    ap.add_argument("--static-archive", action="append", default=[],
                    help="a static library linked into the binary (its Debian copyright is added)")
    ap.add_argument("--strip", help="strip program to run on the binary's copy")
    ap.add_argument("--readelf")
    ap.add_argument("--plat-tag")
    ap.add_argument("--man")
    ap.add_argument("--bash-completion")
    ap.add_argument("--zsh-completion")
    ap.add_argument("--fish-completion")
    a = ap.parse_args(argv)
    try:
        build(a)
    except (BuildError, OSError, subprocess.CalledProcessError) as e:
        die(str(e))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
