#!/usr/bin/python3
"""bench/parity.py - how many of the lines its peers flag loadlint reports.

Usage (bench/parity.sh runs it):
  parity.py --verdicts FILE --md OUT.md --misses OUT.tsv --loadlint-only OUT.tsv
            [--commit TEXT] [--command TEXT] [--check CORPUS] [--target PCT]
            NAME=ROOT=DIR ...

For each corpus NAME (files under ROOT; reports in DIR: loadlint.json from
`loadlint -q --exit-zero -f json --show-suppressed`, bandit.json from
`bandit -r -f json -t B301,B302,B506`, ast-grep.jsonl from
`ast-grep scan --json=stream` with bench/astgrep/sgconfig.yml):

- peer lines: the (file, line) pairs bandit or ast-grep flag (bandit: the issue's
  line_number; ast-grep: the first line of the match), minus import lines (a line
  inside an `import` / `from ... import` statement, by Python's own parser, or by a
  regular expression when the file does not parse);
- a peer line is *seen* when a loadlint finding's span (start line .. end line)
  covers it: *reported*, or *withheld* when the finding is suppressed and listed
  under --show-suppressed (with its reason, when the JSON carries one);
- parity = seen / peer lines, per corpus and per peer;
- every peer line not seen is listed with its text, the peers and rules that
  flagged it, and the reviewed verdict from the verdict file, or "unreviewed";
- the reverse list: loadlint findings whose span holds no peer line.

Verdict file (TSV, '#' starts a comment line), one reviewed miss per row:
  corpus  path  key  verdict  class  reason
path is relative to the corpus root (a glob is allowed: fnmatch), key is the
line's text with all whitespace removed, verdict is `peer-fp` (the peer is
wrong: loadlint is right to stay silent; the line is explained) or
`loadlint-miss` (loadlint should report it; class names the cause).
The first six columns of the misses TSV have the same layout, so a reviewed row
can be copied into the verdict file as it is.

--check CORPUS: exit 1 unless CORPUS's parity is >= --target (default 98) and
every line it misses has a peer-fp verdict.
"""
import argparse
import ast
import collections
import fnmatch
import json
import os
import re
import sys

from findings_report import is_test_path  # one definition of "test file"

IMPORT_RE = re.compile(r"^\s*(import\s|from\s+\S+\s+import\b)")
LINE_SPLIT = re.compile(r"\r\n|\r|\n")
WS = re.compile(r"\s+")
VERDICTS = ("peer-fp", "loadlint-miss")


def norm_text(s):
    return WS.sub("", s)


def md_cell(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def pct(a, b):
    return f"{100.0 * a / b:.1f} %" if b else "n/a"


class SourceCache:
    """Lines and import lines of the corpus files, read once."""

    def __init__(self, root):
        self.root = root
        self.lines = {}
        self.imports = {}
        self.parses = {}

    def _load(self, rel):
        if rel in self.lines:
            return
        try:
            with open(os.path.join(self.root, rel), "rb") as f:
                data = f.read()
        except OSError:
            self.lines[rel] = []
            self.imports[rel] = set()
            self.parses[rel] = False
            return
        text = data.decode("utf-8", errors="replace")
        if text.startswith("\ufeff"):
            text = text[1:]
        self.lines[rel] = LINE_SPLIT.split(text)
        imports = set()
        try:
            tree = ast.parse(data)
            for node in ast.walk(tree):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    imports.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
            self.parses[rel] = True
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            self.parses[rel] = False
            for i, line in enumerate(self.lines[rel], 1):
                if IMPORT_RE.match(line):
                    imports.add(i)
        self.imports[rel] = imports

    def line(self, rel, n):
        self._load(rel)
        ls = self.lines[rel]
        return ls[n - 1] if 0 < n <= len(ls) else ""

    def is_import(self, rel, n):
        self._load(rel)
        return n in self.imports[rel]

    def parses_ok(self, rel):
        self._load(rel)
        return self.parses[rel]


def relpath(root, p):
    if not os.path.isabs(p):
        p = os.path.join(root, p)  # the tools run with the corpus root as working directory
    return os.path.relpath(os.path.normpath(p), root)


def suppression_reason(r):
    """The reason a suppressed finding carries, whatever the field is called."""
    for k, v in r.items():
        kl = k.lower()
        if isinstance(v, str) and v and ("reason" in kl or "justification" in kl):
            return v
        if kl.startswith("suppression"):
            items = v if isinstance(v, list) else [v]
            for it in items:
                if isinstance(it, dict):
                    for kk in ("reason", "justification", "kind", "message"):
                        if isinstance(it.get(kk), str) and it[kk]:
                            return it[kk]
                elif isinstance(it, str) and it:
                    return it
    return ""


def load_loadlint(root, path):
    with open(path) as f:
        doc = json.load(f)
    findings = collections.defaultdict(list)
    for r in doc["results"]:
        rel = relpath(root, r["path"])
        findings[rel].append({
            "start": r["start"]["line"], "end": r["end"]["line"], "rule": r["rule_id"],
            "severity": r.get("severity", ""), "suppressed": bool(r.get("suppressed")),
            "reason": suppression_reason(r) if r.get("suppressed") else "",
            "message": r.get("message", ""), "callee": r.get("callee", ""),
            "provenance": r.get("provenance", ""), "line": r["start"]["line"],
            "col": r["start"].get("column", 0),
        })
    diags = collections.defaultdict(list)
    for e in doc.get("errors", []):
        if e.get("path"):
            diags[relpath(root, e["path"])].append(e)
    return findings, diags, doc.get("summary", {})


def load_peers(root, bandit_path, astgrep_path):
    """{(rel, line): [(peer, rule, detail)]}, and files bandit could not read."""
    peers = collections.defaultdict(list)
    bandit_errors = []
    with open(bandit_path) as f:
        doc = json.load(f)
    for r in doc.get("results", []):
        rel = relpath(root, r["filename"])
        peers[(rel, int(r["line_number"]))].append(("bandit", r["test_id"], r.get("issue_text", "")))
    for e in doc.get("errors", []):
        bandit_errors.append((relpath(root, e.get("filename", "?")), e.get("reason", "")))
    with open(astgrep_path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            m = json.loads(line)
            rel = relpath(root, m["file"])
            peers[(rel, m["range"]["start"]["line"] + 1)].append(
                ("ast-grep", m.get("ruleId", "?"), m.get("text", "")[:120]))
    return peers, bandit_errors


def load_verdicts(path):
    exact, globs = {}, []
    if not path or not os.path.exists(path):
        return exact, globs
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 6:
                sys.exit(f"{path}:{n}: expected 6 tab-separated columns (corpus, path, key, verdict, class, reason)")
            corpus, p, key, verdict, cls, reason = cols[:6]
            if verdict not in VERDICTS:
                sys.exit(f"{path}:{n}: verdict must be one of {', '.join(VERDICTS)}, not '{verdict}'")
            v = {"verdict": verdict, "class": cls, "reason": reason, "used": 0,
                 "where": f"{os.path.basename(path)}:{n}"}
            if any(c in p for c in "*?["):
                globs.append((corpus, p, key, v))
            else:
                exact[(corpus, p, key)] = v
    return exact, globs


def find_verdict(exact, globs, corpus, rel, key):
    v = exact.get((corpus, rel, key))
    if v is None:
        for c, p, k, vv in globs:
            if c == corpus and k == key and fnmatch.fnmatchcase(rel, p):
                v = vv
                break
    if v is not None:
        v["used"] += 1
    return v


def analyse(name, root, rawdir, exact, globs):
    src = SourceCache(root)
    ll, diags, summary = load_loadlint(root, os.path.join(rawdir, "loadlint.json"))
    peers, bandit_errors = load_peers(root, os.path.join(rawdir, "bandit.json"),
                                      os.path.join(rawdir, "ast-grep.jsonl"))
    res = {"name": name, "root": root, "summary": summary, "bandit_errors": bandit_errors}
    imports = 0
    rows = []
    per_peer = collections.Counter()
    per_peer_seen = collections.Counter()
    per_rule = collections.Counter()
    per_rule_seen = collections.Counter()
    per_top = collections.Counter()
    per_top_seen = collections.Counter()
    seen_rep = seen_sup = 0
    sup_reasons = collections.Counter()
    for (rel, line), hits in sorted(peers.items()):
        if src.is_import(rel, line):
            imports += 1
            continue
        cover = [f for f in ll.get(rel, ()) if f["start"] <= line <= f["end"]]
        reported = [f for f in cover if not f["suppressed"]]
        withheld = [f for f in cover if f["suppressed"]]
        seen = bool(cover)
        if reported:
            seen_rep += 1
        elif withheld:
            seen_sup += 1
            sup_reasons[withheld[0]["reason"] or "(no reason in the JSON)"] += 1
        for p in sorted({h[0] for h in hits}):
            per_peer[p] += 1
            per_peer_seen[p] += seen
        for r in sorted({f"{h[0]}:{h[1]}" for h in hits}):
            per_rule[r] += 1
            per_rule_seen[r] += seen
        top = rel.split("/", 1)[0] if "/" in rel else rel
        per_top[top] += 1
        per_top_seen[top] += seen
        if seen:
            continue
        text = src.line(rel, line)
        key = norm_text(text)
        v = find_verdict(exact, globs, name, rel, key)
        hints = []
        if rel in diags:
            hints.append("loadlint: " + "; ".join(sorted({d["message"][:80] for d in diags[rel]})))
        if not src.parses_ok(rel):
            hints.append("python3.11 cannot parse the file")
        rows.append({
            "corpus": name, "path": rel, "line": line, "key": key, "text": text.strip(),
            "peers": ", ".join(sorted({f"{h[0]} {h[1]}" for h in hits})),
            "verdict": v["verdict"] if v else "unreviewed",
            "class": v["class"] if v else "", "reason": v["reason"] if v else "",
            "hints": " | ".join(hints), "test": is_test_path(rel),
        })
    total = sum(1 for (rel, line) in peers if not src.is_import(rel, line))
    seen_total = seen_rep + seen_sup
    # reverse: loadlint findings holding no peer line
    peer_lines = collections.defaultdict(set)
    for rel, line in peers:
        peer_lines[rel].add(line)
    only = []
    nfind = 0
    for rel, fs in sorted(ll.items()):
        for f in fs:
            nfind += 1
            if any(f["start"] <= ln <= f["end"] for ln in peer_lines.get(rel, ())):
                continue
            only.append({"corpus": name, "path": rel, **f, "text": src.line(rel, f["line"]).strip(),
                         "test": is_test_path(rel)})
    res.update(total=total, imports=imports, seen=seen_total, reported=seen_rep, withheld=seen_sup,
               sup_reasons=sup_reasons, per_peer=per_peer, per_peer_seen=per_peer_seen,
               per_rule=per_rule, per_rule_seen=per_rule_seen, per_top=per_top,
               per_top_seen=per_top_seen, misses=rows, only=only, nfind=nfind)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--verdicts")
    ap.add_argument("--md", required=True)
    ap.add_argument("--misses", required=True)
    ap.add_argument("--loadlint-only", required=True)
    ap.add_argument("--commit", default="?")
    ap.add_argument("--command", default="")
    ap.add_argument("--check")
    ap.add_argument("--target", type=float, default=98.0)
    ap.add_argument("corpora", nargs="+")
    a = ap.parse_args()
    exact, globs = load_verdicts(a.verdicts)
    results = []
    for spec in a.corpora:
        name, root, rawdir = spec.split("=", 2)
        results.append(analyse(name, root, rawdir, exact, globs))

    out = ["# Parity: what loadlint reports of the lines its peers flag", ""]
    out.append(f"loadlint: {a.commit}. Command: `{a.command}`. Verdicts: `bench/parity-verdicts.tsv` "
               f"({len(exact) + len(globs)} reviewed keys: path + line text).")
    out.append("")
    out.append("Peer lines: the (file, line) pairs that bandit (B301, B302, B506) or ast-grep "
               "(bench/astgrep rules) flag, minus import lines. Seen: a loadlint finding's span covers "
               "the line (reported), or a suppressed finding listed under --show-suppressed does "
               "(withheld). Explained: seen, or reviewed as a peer false positive.")
    out.append("")
    out.append("| Corpus | Peer lines | Import lines left out | Seen | reported | withheld | Parity | "
               "bandit lines | bandit parity | ast-grep lines | ast-grep parity | Peer FP (reviewed) | "
               "loadlint miss (reviewed) | Unreviewed | Explained |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        vc = collections.Counter(m["verdict"] for m in r["misses"])
        out.append(f"| {r['name']} | {r['total']:,} | {r['imports']:,} | {r['seen']:,} | {r['reported']:,} | "
                   f"{r['withheld']:,} | **{pct(r['seen'], r['total'])}** | {r['per_peer']['bandit']:,} | "
                   f"{pct(r['per_peer_seen']['bandit'], r['per_peer']['bandit'])} | "
                   f"{r['per_peer']['ast-grep']:,} | {pct(r['per_peer_seen']['ast-grep'], r['per_peer']['ast-grep'])} | "
                   f"{vc['peer-fp']:,} | {vc['loadlint-miss']:,} | {vc['unreviewed']:,} | "
                   f"{pct(r['seen'] + vc['peer-fp'], r['total'])} |")
    out.append("")
    for r in results:
        if r["withheld"]:
            out.append(f"- {r['name']}: withheld lines by reason: "
                       + ", ".join(f"{k} ({v})" for k, v in r["sup_reasons"].most_common()))
        if r["bandit_errors"]:
            out.append(f"- {r['name']}: bandit could not read {len(r['bandit_errors'])} files (their lines "
                       "come from ast-grep only): " + ", ".join(p for p, _ in r["bandit_errors"][:10])
                       + (" ..." if len(r["bandit_errors"]) > 10 else ""))
    out.append("")

    out.append("## Parity per top-level folder (the ml corpus: per module)\n")
    out.append("| Corpus | Folder | Peer lines | Seen | Parity |")
    out.append("|---|---|---:|---:|---:|")
    for r in results:
        for k, n in sorted(r["per_top"].items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"| {r['name']} | {md_cell(k)} | {n} | {r['per_top_seen'][k]} | {pct(r['per_top_seen'][k], n)} |")
    out.append("")

    out.append("## Parity per peer rule\n")
    out.append("| Corpus | Peer rule | Lines | Seen | Parity |")
    out.append("|---|---|---:|---:|---:|")
    for r in results:
        for k, n in sorted(r["per_rule"].items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"| {r['name']} | {k} | {n} | {r['per_rule_seen'][k]} | {pct(r['per_rule_seen'][k], n)} |")
    out.append("")

    out.append("## Misses by reviewed class\n")
    out.append("| Corpus | Verdict | Class | Lines |")
    out.append("|---|---|---|---:|")
    for r in results:
        cc = collections.Counter((m["verdict"], m["class"]) for m in r["misses"])
        for (v, c), n in sorted(cc.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
            out.append(f"| {r['name']} | {v} | {md_cell(c) or '—'} | {n} |")
    out.append("")

    out.append("## Every peer line loadlint does not report\n")
    out.append("| Corpus | Where | Peers | Verdict | Class / reason | Line |")
    out.append("|---|---|---|---|---|---|")
    for r in results:
        for m in r["misses"]:
            why = m["class"] + (": " + m["reason"] if m["reason"] else "")
            if m["verdict"] == "unreviewed" and m["hints"]:
                why = "hint: " + m["hints"]
            out.append(f"| {m['corpus']} | `{md_cell(m['path'])}:{m['line']}` | {m['peers']} | {m['verdict']} | "
                       f"{md_cell(why)} | `{md_cell(m['text'][:140])}` |")
    out.append("")

    out.append("## loadlint findings no peer flags (information)\n")
    out.append("| Corpus | loadlint findings | no peer line in the span | of which in test files | "
               "suppressed | by rule |")
    out.append("|---|---:|---:|---:|---:|---|")
    for r in results:
        rc = collections.Counter(f["rule"] for f in r["only"])
        out.append(f"| {r['name']} | {r['nfind']:,} | {len(r['only']):,} | {sum(f['test'] for f in r['only']):,} | "
                   f"{sum(f['suppressed'] for f in r['only']):,} | "
                   + ", ".join(f"{k} {v}" for k, v in rc.most_common()) + " |")
    out.append("")
    out.append("The full list is in `bench/results/parity-loadlint-only.tsv`.")
    ran = {r["name"] for r in results}
    unused = [v["where"] for k, v in exact.items() if not v["used"] and k[0] in ran] + \
             [g[3]["where"] for g in globs if not g[3]["used"] and g[0] in ran]
    if unused:
        out.append("")
        out.append(f"Verdicts that matched no missed line this run ({len(unused)}; the line is now seen, "
                   "or moved to a new text): " + ", ".join(unused[:30]) + (" ..." if len(unused) > 30 else ""))
    with open(a.md, "w") as f:
        f.write("\n".join(out) + "\n")

    with open(a.misses, "w") as f:
        f.write("# corpus\tpath\tkey\tverdict\tclass\treason\tline\tpeers\ttest\thints\ttext\n")
        for r in results:
            for m in r["misses"]:
                f.write("\t".join(str(x).replace("\t", " ") for x in (
                    m["corpus"], m["path"], m["key"], m["verdict"], m["class"], m["reason"], m["line"],
                    m["peers"], "test" if m["test"] else "lib", m["hints"], m["text"])) + "\n")
    with open(a.loadlint_only, "w") as f:
        f.write("# corpus\tpath\tline\trule\tseverity\tprovenance\tsuppressed\ttest\tcallee\ttext\n")
        for r in results:
            for m in r["only"]:
                f.write("\t".join(str(x).replace("\t", " ") for x in (
                    m["corpus"], m["path"], m["line"], m["rule"], m["severity"], m["provenance"],
                    m["reason"] or "suppressed" if m["suppressed"] else "", "test" if m["test"] else "lib",
                    m["callee"], m["text"])) + "\n")

    for r in results:
        vc = collections.Counter(m["verdict"] for m in r["misses"])
        print(f"{r['name']}: parity {pct(r['seen'], r['total'])} ({r['seen']:,} of {r['total']:,} peer lines; "
              f"{r['withheld']} withheld); bandit {pct(r['per_peer_seen']['bandit'], r['per_peer']['bandit'])}, "
              f"ast-grep {pct(r['per_peer_seen']['ast-grep'], r['per_peer']['ast-grep'])}; misses: "
              f"{vc['peer-fp']} peer-fp, {vc['loadlint-miss']} loadlint-miss, {vc['unreviewed']} unreviewed")
    if a.check:
        r = next((x for x in results if x["name"] == a.check), None)
        if r is None:
            sys.exit(f"--check {a.check}: no such corpus in this run")
        bad = [m for m in r["misses"] if m["verdict"] != "peer-fp"]
        p = 100.0 * r["seen"] / r["total"] if r["total"] else 100.0
        if p < a.target or bad:
            print(f"check {a.check}: NOT met (parity {p:.1f} % vs {a.target} %, {len(bad)} misses not "
                  "explained as peer false positives)")
            return 1
        print(f"check {a.check}: met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
