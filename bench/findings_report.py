#!/usr/bin/python3
"""bench/findings_report.py - loadlint findings by severity and context (bench/findings-report.sh runs it).

Usage:
  findings_report.py [--sample N --seed S [--severity SEV]] NAME=ROOT=REPORT.json ...

REPORT.json is `loadlint -f json --show-suppressed` output for the corpus NAME,
whose files are under ROOT (relative paths in the report are relative to ROOT).
Without --sample: markdown tables of the findings per corpus, by context and
severity, and by context and rule. A file is a *test* file when its path has a
`tests` or `test` directory component, or its name is test_*.py, *_test.py or
conftest.py; everything else is *library* code.
With --sample N --seed S: N findings of severity SEV (default warning) drawn at
random (Python's random.Random(S) over the findings sorted by corpus, path,
line, column, rule), each with path:line, rule, message and two lines of
context either side; the same N, S and reports give the same sample.
"""
import argparse
import collections
import json
import os
import random
import re
import sys

SEVERITIES = ("error", "warning", "note")
# a message placeholder of the rule format that was not filled in
PLACEHOLDER = re.compile(r"\{(callee|class|method|arg:[A-Za-z_][A-Za-z0-9_]*|subject|detail|format)\}")


def is_test_path(rel):
    parts = rel.replace("\\", "/").split("/")
    name = parts[-1]
    return (any(p in ("tests", "test") for p in parts[:-1]) or
            (name.startswith("test_") and name.endswith(".py")) or name.endswith("_test.py") or
            name == "conftest.py")


def relpath(root, p):
    if not os.path.isabs(p):
        p = os.path.join(root, p)
    return os.path.relpath(os.path.normpath(p), root)


def load(spec):
    name, root, report = spec.split("=", 2)
    with open(report) as f:
        doc = json.load(f)
    out = []
    for r in doc["results"]:
        rel = relpath(root, r["path"])
        # loadlint's own context when it reports one (test-paths), else the path
        ctx = r.get("context")
        test = ctx == "test" if ctx else is_test_path(rel)
        texts = [r.get("message", "")] + [s.get("message", "") for s in r.get("flow", [])]
        out.append({"corpus": name, "root": root, "path": rel, "line": r["start"]["line"],
                    "col": r["start"].get("column", 0), "end": r["end"]["line"], "rule": r["rule_id"],
                    "severity": r["severity"], "message": r.get("message", ""),
                    "suppressed": bool(r.get("suppressed")), "test": test,
                    "why": r.get("suppression") or ("comment" if r.get("suppressed") else None),
                    "template": any(PLACEHOLDER.search(t) for t in texts),
                    "provenance": r.get("provenance", "")})
    return name, out, doc.get("summary", {})


def context(root, rel, line, before=2, after=2):
    try:
        with open(os.path.join(root, rel), "rb") as f:
            lines = re.split(r"\r\n|\r|\n", f.read().decode("utf-8", errors="replace"))
    except OSError as e:
        return [f"    (cannot read: {e})"]
    lo, hi = max(1, line - before), min(len(lines), line + after)
    return [f"{'>' if n == line else ' '} {n:6d} | {lines[n - 1]}" for n in range(lo, hi + 1)]


def tables(corpora):
    out = ["| Corpus | Context | Files with findings | error | warning | note | Total | Suppressed |",
           "|---|---|---:|---:|---:|---:|---:|---:|"]
    for name, fs, _ in corpora:
        for ctx in ("library", "test", "all"):
            sel = [f for f in fs if ctx == "all" or f["test"] == (ctx == "test")]
            shown = [f for f in sel if not f["suppressed"]]
            c = collections.Counter(f["severity"] for f in shown)
            files = len({f["path"] for f in shown})
            label = f"**{ctx}**" if ctx == "all" else ctx
            out.append(f"| {name} | {label} | {files:,} | {c['error']:,} | {c['warning']:,} | {c['note']:,} | "
                       f"{len(shown):,} | {sum(f['suppressed'] for f in sel):,} |")
    out.append("")
    out.append("Suppressed findings by reason (round-trip: the input is data the code produced; duplicate: "
               "another rule's finding on the same call is shown; comment: an inline suppression):\n")
    out.append("| Corpus | round-trip | duplicate | comment | test-code | Messages with template text |")
    out.append("|---|---:|---:|---:|---:|---:|")
    for name, fs, _ in corpora:
        why = collections.Counter(f["why"] for f in fs if f["suppressed"])
        out.append(f"| {name} | {why['round-trip']:,} | {why['duplicate']:,} | {why['comment']:,} | "
                   f"{why['test-code']:,} | {sum(f['template'] for f in fs):,} |")
    out.append("")
    out.append("Findings by rule (not suppressed), library / test:\n")
    out.append("| Corpus | Rule | library | test | of which warning+error in library |")
    out.append("|---|---|---:|---:|---:|")
    for name, fs, _ in corpora:
        by = collections.defaultdict(lambda: [0, 0, 0])
        for f in fs:
            if f["suppressed"]:
                continue
            by[f["rule"]][1 if f["test"] else 0] += 1
            if not f["test"] and f["severity"] != "note":
                by[f["rule"]][2] += 1
        for rule in sorted(by):
            lib, test, lw = by[rule]
            out.append(f"| {name} | {rule} | {lib:,} | {test:,} | {lw:,} |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--severity", default="warning", choices=SEVERITIES + ("any",))
    ap.add_argument("reports", nargs="+")
    a = ap.parse_args()
    corpora = [load(s) for s in a.reports]
    if a.sample is None:
        print(tables(corpora))
        return 0
    pool = [f for _, fs, _ in corpora for f in fs
            if not f["suppressed"] and (a.severity == "any" or f["severity"] == a.severity)]
    pool.sort(key=lambda f: (f["corpus"], f["path"], f["line"], f["col"], f["rule"]))
    n = min(a.sample, len(pool))
    picked = random.Random(a.seed).sample(pool, n)
    print(f"# {n} of {len(pool)} {a.severity} findings (seed {a.seed})\n")
    for i, f in enumerate(picked, 1):
        print(f"[{i}] {f['corpus']}: {f['path']}:{f['line']}:{f['col']}: {f['severity']} [{f['rule']}] "
              f"({'test' if f['test'] else 'library'}, provenance {f['provenance'] or '?'})")
        print(f"    {f['message']}")
        print("\n".join(context(f["root"], f["path"], f["line"])))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
