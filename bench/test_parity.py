#!/usr/bin/python3
"""Self-test of bench/parity.py and bench/findings_report.py on hand-made reports.

Run: python3 bench/test_parity.py   (no loadlint, bandit or ast-grep needed)
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from findings_report import is_test_path  # noqa: E402

SOURCE = """import pickle
from pickle import loads
x = pickle.loads(data)
y = pickle.loads(
    data)
z = pickle.loads(data)  # loadlint: ignore[LL101]
w = thing.loads(data)
v = other.loads(data)
u = pickle.load(f)
"""


def read(path):
    with open(path) as f:
        return f.read()


def read_tsv(path):
    return [line.split("\t") for line in read(path).splitlines() if not line.startswith("#")]


def finding(path, line, end, suppressed=False, **extra):
    r = {"rule_id": "LL101", "severity": "warning", "message": "m", "path": path,
         "start": {"line": line, "column": 5}, "end": {"line": end, "column": 9},
         "callee": "pickle.loads", "provenance": "unknown", "suppressed": suppressed}
    r.update(extra)
    return r


class ParityTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        t = self.tmp.name
        self.root = os.path.join(t, "corpus")
        self.raw = os.path.join(t, "raw")
        os.makedirs(os.path.join(self.root, "pkg", "tests"))
        os.makedirs(self.raw)
        a = os.path.join(self.root, "pkg", "a.py")
        with open(a, "w") as f:
            f.write(SOURCE)
        with open(os.path.join(self.root, "pkg", "tests", "test_b.py"), "w") as f:
            f.write("import pickle\npickle.loads(pickle.dumps(1))\n")
        # loadlint: relative paths (as when run from the root), one suppressed with a reason
        ll = {"results": [finding("pkg/a.py", 3, 3), finding("pkg/a.py", 4, 5),
                          finding("pkg/a.py", 6, 6, True, suppression_reason="round trip"),
                          finding("pkg/a.py", 9, 9),
                          finding("pkg/tests/test_b.py", 2, 2)],
              "errors": [], "summary": {}}
        with open(os.path.join(self.raw, "loadlint.json"), "w") as f:
            json.dump(ll, f)
        # bandit: absolute paths; line 2 is an import line
        bandit = {"results": [{"filename": a, "line_number": 3, "test_id": "B301", "issue_text": ""},
                              {"filename": a, "line_number": 2, "test_id": "B403", "issue_text": ""}],
                  "errors": []}
        with open(os.path.join(self.raw, "bandit.json"), "w") as f:
            json.dump(bandit, f)
        with open(os.path.join(self.raw, "ast-grep.jsonl"), "w") as f:
            for line in (3, 4, 6, 7, 8):  # 1-based; ast-grep reports 0-based
                f.write(json.dumps({"file": "./pkg/a.py", "ruleId": "LL101-pickle-load", "text": "",
                                    "range": {"start": {"line": line - 1}}}) + "\n")
        self.verdicts = os.path.join(t, "verdicts.tsv")
        with open(self.verdicts, "w") as f:
            f.write("# comment\nc\tpkg/a.py\tw=thing.loads(data)\tpeer-fp\tnot pickle\tthing is a json codec\n")

    def tearDown(self):
        self.tmp.cleanup()

    def run_parity(self, *extra):
        out = os.path.join(self.tmp.name, "out")
        os.makedirs(out, exist_ok=True)
        p = subprocess.run([sys.executable, os.path.join(HERE, "parity.py"), "--verdicts", self.verdicts,
                            "--md", f"{out}/p.md", "--misses", f"{out}/m.tsv", "--loadlint-only", f"{out}/o.tsv",
                            *extra, f"c={self.root}={self.raw}"], capture_output=True, text=True)
        return p, read_tsv(f"{out}/m.tsv"), read_tsv(f"{out}/o.tsv"), read(f"{out}/p.md")

    def test_counts(self):
        p, rows, only, md = self.run_parity()
        self.assertEqual(p.returncode, 0, p.stderr)
        # peer lines 3, 4, 6, 7, 8 (line 2 is an import); seen: 3 and 4 (4-5 span), 6 withheld
        self.assertIn("c: parity 60.0 % (3 of 5 peer lines; 1 withheld)", p.stdout)
        self.assertIn("bandit 100.0 %", p.stdout)
        self.assertIn("misses: 1 peer-fp, 0 loadlint-miss, 1 unreviewed", p.stdout)
        got = {(r[1], int(r[6])): r[3] for r in rows}
        self.assertEqual(got, {("pkg/a.py", 7): "peer-fp", ("pkg/a.py", 8): "unreviewed"})
        self.assertIn("round trip (1)", md)  # the withheld line's reason
        # loadlint-only: line 9 and the test file's finding
        self.assertEqual(sorted((r[1], r[2], r[7]) for r in only),
                         [("pkg/a.py", "9", "lib"), ("pkg/tests/test_b.py", "2", "test")])

    def test_check_fails_with_unexplained_miss(self):
        p, *_ = self.run_parity("--check", "c", "--target", "50")
        self.assertEqual(p.returncode, 1)
        self.assertIn("NOT met", p.stdout)

    def test_check_passes_when_explained(self):
        with open(self.verdicts, "a") as f:
            f.write("c\tpkg/*.py\tv=other.loads(data)\tpeer-fp\tnot pickle\tglob verdict\n")
        p, rows, *_ = self.run_parity("--check", "c", "--target", "60")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(sorted(r[3] for r in rows), ["peer-fp", "peer-fp"])

    def test_bad_verdict_is_an_error(self):
        with open(self.verdicts, "a") as f:
            f.write("c\tpkg/a.py\tx\tmaybe\tc\tr\n")
        p = subprocess.run([sys.executable, os.path.join(HERE, "parity.py"), "--verdicts", self.verdicts,
                            "--md", "/dev/null", "--misses", "/dev/null", "--loadlint-only", "/dev/null",
                            f"c={self.root}={self.raw}"], capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("verdict must be one of", p.stderr)

    def test_findings_report(self):
        spec = f"c={self.root}={self.raw}/loadlint.json"
        p = subprocess.run([sys.executable, os.path.join(HERE, "findings_report.py"), spec],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("| c | library | 1 | 0 | 3 | 0 | 3 | 1 |", p.stdout)
        self.assertIn("| c | test | 1 | 0 | 1 | 0 | 1 | 0 |", p.stdout)
        runs = [subprocess.run([sys.executable, os.path.join(HERE, "findings_report.py"), "--sample", "2",
                                "--seed", "5", spec], capture_output=True, text=True).stdout for _ in range(2)]
        self.assertEqual(runs[0], runs[1])
        self.assertEqual(runs[0].count("\n["), 2)
        self.assertIn(">", runs[0])


class TestPathTest(unittest.TestCase):
    def test_rule(self):
        for p in ("a/tests/x.py", "test/x.py", "a/test_x.py", "a/x_test.py", "conftest.py"):
            self.assertTrue(is_test_path(p), p)
        for p in ("a/testing/x.py", "a/mytests/x.py", "a/x.py", "tests.py", "a/attest.py"):
            self.assertFalse(is_test_path(p), p)


if __name__ == "__main__":
    unittest.main()
