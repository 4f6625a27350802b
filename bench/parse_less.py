#!/usr/bin/env python3
"""bench/parse_less.py CORPUS... - how much parsing a split into top-level blocks could save.

Issue 14 asked for "parse less, exactly": parse a file's imports and
module-level statements, and only the top-level `def`/`class` blocks that can
matter. This measures the most such a split could save, before building it.
Of the files the pre-filter keeps (every segment of some rule name is
one of their identifiers; the project's aliases aside), it counts the bytes of top-level `def`/`class` blocks
(decorators included) in which no identifier is the last segment of a name a
rule or a source mentions (rules/*.json, rules/sources/*.json). Such a block is
the most a block-level split could leave unparsed: the real split would have to
keep more (callers of kept functions, callees whose summaries matter, names
bound at module level). Files are read with Python's `ast` module, which parses
and never runs them. Prints one line per corpus: files, bytes, skippable bytes
and their share.
"""
import ast
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAME = re.compile(r"[A-Za-z_][\w.]*\Z")
SKIP_KEYS = {"docs", "message", "summary", "peers", "fixes", "fix", "provenance", "tags", "cwe"}


def names(obj, out):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k not in SKIP_KEYS:
                names(v, out)
    elif isinstance(obj, list):
        for v in obj:
            names(v, out)
    elif isinstance(obj, str) and "." in obj and NAME.match(obj):
        out.add(obj)


def rule_names():
    """The dotted names of the rules (what the pre-filter tests) and of
    rules and sources together (what a kept block may hold)."""
    rules, both = set(), set()
    for d in ("rules", os.path.join("rules", "sources")):
        for f in sorted(os.listdir(os.path.join(ROOT, d))):
            if f.endswith(".json"):
                with open(os.path.join(ROOT, d, f), encoding="utf-8") as fh:
                    found = set()
                    names(json.load(fh), found)
                both |= found
                if d == "rules":
                    rules |= found
    return rules, both


IDENT = re.compile(rb"[A-Za-z_]\w*")


def parsed(ids, rules):
    """The pre-filter, as loadlint applies it (without the project's
    aliases): every segment of some rule name is an identifier."""
    return any(all(seg in ids for seg in name) for name in rules)


def scan(corpus, segs, rules):
    files = total = skippable = 0
    for dp, dn, fn in os.walk(corpus):
        dn.sort()
        for f in sorted(fn):
            if not f.endswith(".py"):
                continue
            try:
                with open(os.path.join(dp, f), "rb") as fh:
                    src = fh.read()
                tree = ast.parse(src)
            except (OSError, SyntaxError, ValueError):
                continue
            ids = set(IDENT.findall(src))
            if not parsed(ids, rules):
                continue
            files += 1
            total += len(src)
            lines = src.split(b"\n")
            for st in tree.body:
                if not isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    continue
                first = min([st.lineno] + [d.lineno for d in st.decorator_list]) - 1
                block = b"\n".join(lines[first:st.end_lineno])
                if not segs.intersection(IDENT.findall(block)):
                    skippable += len(block)
    return files, total, skippable


def main():
    rules, both = rule_names()
    rules = [tuple(s.encode() for s in n.split(".")) for n in sorted(rules)]
    segs = {n.rsplit(".", 1)[1].encode() for n in both}
    for corpus in sys.argv[1:]:
        files, total, skippable = scan(corpus, segs, rules)
        share = 100.0 * skippable / total if total else 0.0
        print(f"{os.path.basename(corpus.rstrip('/'))}: {files} files the pre-filter keeps, "
              f"{total} bytes; top-level def/class blocks holding no rule or source name's "
              f"last segment: {skippable} bytes ({share:.1f} %)")


if __name__ == "__main__":
    main()
