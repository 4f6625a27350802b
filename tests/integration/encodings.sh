#!/bin/bash
# Source encodings (engine/frontend.h): every file is decoded as Python
# decodes it, before the pre-filter or anything else looks at it, so code
# that an encoding hides is found; a declaration Python refuses, or bytes
# that do not decode, give a diagnostic naming the file, never a silent pass.
# Each file is written by Python's own codecs and, where it is valid Python,
# compiled by the Debian interpreter first (the test proves it is code
# Python runs).
set -u
. "$(dirname "$0")/lib.sh"

D=$WORK/enc
mkdir -p "$D"
"$PY" - "$D" <<'PYGEN'
import sys, os
d = sys.argv[1]
def write(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
# utf-7: the module and method names spelled with UTF-7 escapes
write("utf7.py", b"# -*- coding: utf-7 -*-\nimport +AHA-ickle as q\n\ndef f(b):\n    return q.+AGw-oads(b)\n")
# koi8-r and big5: non-ASCII text before the call, columns in characters
write("koi8.py", "# coding: koi8-r\nimport pickle\nx = 'привет'; pickle.loads(b'')\n".encode("koi8-r"))
write("big5.py", "# coding: big5\nimport pickle\ny = '中文'; pickle.loads(b'')\n".encode("big5"))
# unicode_escape / raw_unicode_escape: escapes Python turns into letters
write("uesc.py", b"# coding: unicode_escape\nimport \\x70ickle\n\\x70ickle.loads(b'')\n")
write("rawesc.py", b"# coding: raw_unicode_escape\nimport \\u0070ickle\n\\u0070ickle.loads(b'')\n")
# a declaration on line 2 after a comment line 1 counts
write("line2.py", b"#!/usr/bin/env python\n# vim: set fileencoding=utf-7 :\nimport +AHA-ickle\n+AHA-ickle.loads(b'')\n")
# line 1 is code: line 2 is not a declaration (the file is UTF-8)
write("notdecl.py", b"import pickle\n# coding: utf-7\npickle.loads(b'')\n")
# refused by Python
write("unknown.py", b"# coding: x-no-such-codec\nimport pickle\npickle.loads(b'')\n")
write("utf16.py", b"# coding: utf-16\nimport pickle\n")
write("bomlatin.py", b"\xef\xbb\xbf# coding: latin-1\nimport pickle\n")
write("badbytes.py", b"# coding: ascii\nimport pickle\nx = '\xff'\n")
# Python runs it; loadlint has no decoder for it (iconv does not know IDNA)
write("idna.py", b"# coding: idna\nimport pickle\npickle.loads(b'')\n")
PYGEN
for f in utf7 koi8 big5 uesc rawesc line2 notdecl idna; do
    check "$f.py is valid Python (compiled by python3)" \
        "$PY" -c "import sys; compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')" "$D/$f.py"
done
for f in unknown utf16 bomlatin badbytes; do
    check "$f.py is refused by python3" \
        bash -c "! '$PY' -c 'import sys; compile(open(sys.argv[1], \"rb\").read(), sys.argv[1], \"exec\")' '$D/$f.py' 2>/dev/null"
done

for pf in "" --no-prefilter; do
    run_rc "$LOADLINT" $pf "$D/utf7.py" "$D/koi8.py" "$D/big5.py" "$D/uesc.py" "$D/rawesc.py" "$D/line2.py" "$D/notdecl.py"
    tag=${pf:-default}
    check "[$tag] utf-7: the hidden pickle.loads is found at 5:12" grep -q 'utf7.py:5:12: warning: `pickle.loads`' "$WORK/out"
    check "[$tag] koi8-r: found, column in characters (3:15)" grep -q 'koi8.py:3:15: note: `pickle.loads`' "$WORK/out"
    check "[$tag] big5: found, column in characters (3:11)" grep -q 'big5.py:3:11: note: `pickle.loads`' "$WORK/out"
    check "[$tag] unicode_escape: found" grep -q 'uesc.py:3:1: note: `pickle.loads`' "$WORK/out"
    check "[$tag] raw_unicode_escape: found" grep -q 'rawesc.py:3:1: note: `pickle.loads`' "$WORK/out"
    check "[$tag] a declaration on line 2: found" grep -q 'line2.py:4:1: note: `pickle.loads`' "$WORK/out"
    check "[$tag] after a line of code, line 2 declares nothing" grep -q 'notdecl.py:3:1: note: `pickle.loads`' "$WORK/out"
    check "[$tag] exit 1 (findings, no error)" test "$RC" = 1
done

# Python refuses these (it will not run them): a warning naming the file
for f in unknown utf16 bomlatin badbytes; do
    run_rc "$LOADLINT" "$D/$f.py"
    check "$f.py: exit 0 (Python will not run it: a warning)" test "$RC" = 0
done
run_rc "$LOADLINT" "$D/unknown.py"
check "unknown codec: the warning names the file and the codec" \
    grep -q "unknown.py:1:1: warning: the file declares the source encoding 'x-no-such-codec', which Python does not know" "$WORK/err"
run_rc "$LOADLINT" "$D/utf16.py"
check "utf-16: Python refuses it, and loadlint says so" \
    grep -q "utf16.py:1:1: warning: .*'utf-16', which Python refuses" "$WORK/err"
run_rc "$LOADLINT" "$D/bomlatin.py"
check "BOM and latin-1: refused, named" grep -q "bomlatin.py:1:1: warning: .*byte-order mark" "$WORK/err"
run_rc "$LOADLINT" "$D/badbytes.py"
check "bytes that do not decode: the line and column of the first" \
    grep -q "badbytes.py:3:6: warning: the bytes here are not valid ascii" "$WORK/err"
# Python runs it, loadlint cannot read it: an error (code went unread)
run_rc "$LOADLINT" "$D/idna.py"
check "an encoding Python runs and loadlint cannot decode: exit 2" test "$RC" = 2
check "... the error names the file and the encoding" \
    grep -q "idna.py:1:1: error: the file declares the source encoding 'idna', which Python runs but loadlint cannot decode" "$WORK/err"
# a directory walk gives the same diagnostics (no silent skip by the pre-filter)
run_rc "$LOADLINT" "$D"
check "walking: every refused or unreadable file is named" \
    test "$(grep -c -E ': (error|warning): (the file|the bytes)' "$WORK/err")" = 5
finish
