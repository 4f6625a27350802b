#!/usr/bin/python3
"""bench/noise.py - which loadlint findings are likely noise (a heuristic census for triage).

Usage:
  noise.py [--tsv OUT.tsv] NAME=ROOT=REPORT.json ...

REPORT.json: `loadlint -f json` (e.g. $LOADLINT_CACHE_DIR/parity/<corpus>/loadlint.json
left by bench/parity.sh) for the corpus NAME whose files are under ROOT.
Suppressed findings are left out. Each finding is put, by Python's own parser
(the file is parsed, never imported), in the first matching class:

  round trip, inline     the loaded argument holds a serializing call:
                         pickle.loads(pickle.dumps(x)), pickle.loads(a.dumps())
  round trip, variable   the loaded argument is a name assigned from a serializing
                         call earlier in the same function (s = pickle.dumps(x) ... loads(s))
  round trip, file       a serializing call (dump, dumps, save, to_pickle, ...) earlier
                         in the same function, not in another branch of an if/try, and not
                         under a condition the load is not under, shares a name, attribute or
                         string with the load's argument, or with the open(...) of the `with`
                         the load reads from (dump to a temporary file or buffer, then load it)
  cache, same function   the same, but the dump is conditional (if not exists: ... dump) and
                         the load is not: on later runs the load reads a file from disk
  API pass-through       the loaded value is a parameter of the enclosing function
                         (the library's own load API: def load(f): return pickle.load(f))
  other

and as a test file or library code (bench/findings_report.py's definition).
Prints markdown tables; --tsv writes one row per finding with its class.
"""
import argparse
import ast
import collections
import os
import sys

from findings_report import is_test_path, relpath

SERIALIZERS = {"dump", "dumps", "save", "to_pickle", "dump_session", "savez", "savez_compressed",
               "safe_dump", "dump_all", "save_model", "_dumps", "_dump", "pickle_dumps"}
COMMON = {"os", "io", "sys", "pickle", "np", "numpy", "tempfile", "pathlib", "Path", "open", "str",
          "joblib", "dill", "cloudpickle", "torch", "pd", "pandas", "yaml", "marshal", "shelve",
          "self", "cls", "BytesIO", "len", "bytes", "path", "join", "rb", "wb", "r", "w", "protocol",
          "encoding", "latin1", "bytes", "True", "False", "None"}


def last_name(func):
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def is_serializing_call(node):
    if not isinstance(node, ast.Call):
        return False
    name = last_name(node.func) or ""
    return name in SERIALIZERS or name.endswith(("dumps", "_dump"))  # cp_dumps = cloudpickle.dumps


def idents(node):
    out = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and n.id not in COMMON:
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            try:
                t = ast.unparse(n)
            except Exception:
                continue
            if t.split(".")[0] in ("self", "cls") and t.count(".") >= 1:
                out.add(t)
        elif isinstance(n, ast.Constant) and isinstance(n.value, str) and len(n.value) > 2 \
                and n.value not in COMMON:
            out.add("'" + n.value)
    return out


class FileIndex:
    def __init__(self, root, rel):
        self.ok = False
        try:
            with open(os.path.join(root, rel), "rb") as f:
                self.tree = ast.parse(f.read())
            self.ok = True
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            return
        self.parent = {}
        for n in ast.walk(self.tree):
            for c in ast.iter_child_nodes(n):
                self.parent[c] = n
        self.calls_by_line = collections.defaultdict(list)
        for n in ast.walk(self.tree):
            if isinstance(n, ast.Call):
                self.calls_by_line[n.lineno].append(n)

    def function_of(self, node):
        n = self.parent.get(node)
        while n is not None and not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            n = self.parent.get(n)
        return n if n is not None else self.tree

    def with_sources(self, node, name):
        """open(...) expressions of `with ... as name` around node."""
        out = []
        n = self.parent.get(node)
        while n is not None:
            if isinstance(n, (ast.With, ast.AsyncWith)):
                for it in n.items:
                    if isinstance(it.optional_vars, ast.Name) and it.optional_vars.id == name:
                        out.append(it.context_expr)
            n = self.parent.get(n)
        return out

    def call_at(self, line, callee):
        want = callee.rsplit(".", 1)[-1] if callee else None
        cands = [c for c in self.calls_by_line.get(line, ()) if want is None or last_name(c.func) == want]
        if not cands:
            cands = self.calls_by_line.get(line, [])
        # the outermost one
        return min(cands, key=lambda c: (c.col_offset, -(c.end_col_offset or 0))) if cands else None


def chain(ix, node, stop):
    out = []
    n = node
    while n is not None and n is not stop:
        out.append(n)
        n = ix.parent.get(n)
    return out


def relation(ix, dump, load, fn):
    """'exclusive' when dump and load sit in different arms of one if/try,
    'conditional' when the dump is under a condition or loop the load is not
    under, else 'sequential'."""
    da = chain(ix, dump, fn)
    la = chain(ix, load, fn)
    lset = set(map(id, la))
    lca = next((n for n in da if id(n) in lset), fn)
    dside = da[:da.index(lca)] if lca in da else da
    lside = la[:la.index(lca)] if lca in la else la
    if isinstance(lca, (ast.If, ast.Try)) and dside and lside:
        def field(child):
            for name, val in ast.iter_fields(lca):
                if val is child or (isinstance(val, list) and any(v is child for v in val)):
                    return name
            return None
        if field(dside[-1]) != field(lside[-1]):
            return "exclusive"
    if any(isinstance(n, (ast.If, ast.For, ast.While, ast.Try, ast.AsyncFor)) for n in dside[1:]):
        return "conditional"
    return "sequential"


def texts(node):
    out = set()
    for n in ast.walk(node):
        if isinstance(n, (ast.Name, ast.Attribute)):
            try:
                out.add(ast.unparse(n))
            except Exception:
                pass
    return out


def rebound(fn, names, assign):
    """Whether NAMES are bound in FN other than by serializing assignments
    (another assignment, a for / with target, a parameter)."""
    if params_of(fn) & names:
        return True
    for n in ast.walk(fn):
        if n is assign:
            continue
        targets = []
        if isinstance(n, ast.Assign):
            if any(is_serializing_call(x) for x in ast.walk(n.value)):
                continue
            targets = n.targets
        elif isinstance(n, (ast.AnnAssign, ast.AugAssign)) and getattr(n, "value", None) is not None:
            if any(is_serializing_call(x) for x in ast.walk(n.value)):
                continue
            targets = [n.target]
        elif isinstance(n, (ast.For, ast.AsyncFor, ast.comprehension)):
            targets = [n.target]
        elif isinstance(n, ast.withitem) and n.optional_vars is not None:
            targets = [n.optional_vars]
        elif isinstance(n, ast.NamedExpr):
            targets = [n.target]
        for t in targets:
            if {ast.unparse(e) for e in ast.walk(t) if isinstance(e, (ast.Name, ast.Attribute))} & names:
                return True
    return False


def params_of(fn):
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return set()
    a = fn.args
    names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    if a.vararg:
        names.append(a.vararg.arg)
    if a.kwarg:
        names.append(a.kwarg.arg)
    return set(names) - {"self", "cls"}


def classify(ix, f):
    if not ix.ok:
        return "other (file does not parse)"
    call = ix.call_at(f["line"], f.get("callee"))
    if call is None:
        return "other"
    args = list(call.args) + [k.value for k in call.keywords if k.arg not in ("encoding", "protocol")]
    if isinstance(call.func, ast.Attribute) and not args:
        args = [call.func.value]  # obj.load() style: the object is the input
    # inline
    for a in args:
        if any(is_serializing_call(n) for n in ast.walk(a)):
            return "round trip, inline"
    fn = ix.function_of(call)
    body_nodes = [n for n in ast.walk(fn)]
    before = [n for n in body_nodes if getattr(n, "lineno", 10**9) < call.lineno
              or (getattr(n, "lineno", 0) == call.lineno and getattr(n, "col_offset", 0) < call.col_offset)]
    # variable (or self.attribute) assigned from a serializing call
    arg_names = {n.id for a in args for n in ast.walk(a) if isinstance(n, ast.Name)}
    arg_texts = set().union(*(texts(a) for a in args)) if args else set()
    cls_fn = ix.parent.get(fn)
    scopes = [fn]
    if isinstance(cls_fn, ast.ClassDef):
        scopes.append(cls_fn)  # self.x = dumps(...) in another method of the class
    for scope in scopes:
        for n in ast.walk(scope):
            if isinstance(n, (ast.Assign, ast.AnnAssign)) and n.value is not None and \
                    any(is_serializing_call(x) for x in ast.walk(n.value)):
                targets = n.targets if isinstance(n, ast.Assign) else [n.target]
                tt = set()
                for t in targets:
                    tt |= {ast.unparse(e) for e in (t.elts if isinstance(t, ast.Tuple) else [t])}
                tt -= {"self", "cls"}
                same_scope = scope is fn
                # every other binding of the name must be a serializing call too
                if same_scope and tt & arg_texts and rebound(fn, tt & arg_texts, n):
                    continue
                if tt & arg_texts and (not same_scope or n in before):
                    if not same_scope and not any(t.startswith("self.") for t in tt & arg_texts):
                        continue
                    if same_scope and relation(ix, n, call, fn) == "exclusive":
                        continue
                    return "round trip, variable"
    # dump to a file/buffer, then load it
    load_ids = set()
    for a in args:
        load_ids |= idents(a)
        if isinstance(a, ast.Name):
            for src in ix.with_sources(call, a.id):
                load_ids |= idents(src)
    found_cache = False
    if load_ids:
        for n in before:
            if is_serializing_call(n):
                dump_ids = set()
                dargs = list(n.args) + [k.value for k in n.keywords]
                if isinstance(n.func, ast.Attribute):
                    dargs.append(n.func.value)
                for a in dargs:
                    dump_ids |= idents(a)
                    if isinstance(a, ast.Name):
                        for src in ix.with_sources(n, a.id):
                            dump_ids |= idents(src)
                if dump_ids & load_ids:
                    rel = relation(ix, n, call, fn)
                    if rel == "sequential":
                        return "round trip, file"
                    if rel == "conditional":
                        found_cache = True
        if found_cache:
            return "cache, same function"
    params = params_of(fn)
    if params and arg_names & params:
        return "API pass-through"
    return "other"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tsv")
    ap.add_argument("reports", nargs="+")
    a = ap.parse_args()
    import json
    rows = []
    for spec in a.reports:
        name, root, report = spec.split("=", 2)
        with open(report) as fh:
            doc = json.load(fh)
        cache = {}
        for r in doc["results"]:
            if r.get("suppressed"):
                continue
            rel = relpath(root, r["path"])
            if rel not in cache:
                cache[rel] = FileIndex(root, rel)
            f = {"line": r["start"]["line"], "callee": r.get("callee", "")}
            cls = classify(cache[rel], f) if r["rule_id"] != "LL601" else "other (class defines __reduce__)"
            rows.append({"corpus": name, "path": rel, "line": f["line"], "rule": r["rule_id"],
                         "severity": r["severity"], "test": is_test_path(rel), "class": cls,
                         "snippet": r.get("snippet", "")})
    if a.tsv:
        with open(a.tsv, "w") as fh:
            fh.write("# corpus\tpath\tline\trule\tseverity\tcontext\tclass\tsnippet\n")
            for r in rows:
                fh.write("\t".join(str(x).replace("\t", " ") for x in (
                    r["corpus"], r["path"], r["line"], r["rule"], r["severity"],
                    "test" if r["test"] else "library", r["class"], r["snippet"])) + "\n")
    classes = ["round trip, inline", "round trip, variable", "round trip, file", "cache, same function",
               "API pass-through",
               "other (class defines __reduce__)", "other", "other (file does not parse)"]
    print("| Corpus | Context | Findings | " + " | ".join(classes) + " |")
    print("|---|---|---:|" + "---:|" * len(classes))
    for name in dict.fromkeys(r["corpus"] for r in rows):
        for ctx in ("library", "test", "all"):
            sel = [r for r in rows if r["corpus"] == name and (ctx == "all" or r["test"] == (ctx == "test"))]
            c = collections.Counter(r["class"] for r in sel)
            print(f"| {name} | {ctx} | {len(sel):,} | " + " | ".join(f"{c[k]:,}" for k in classes) + " |")
    print()
    print("| Corpus | Context | Severity | Findings | round trips |")
    print("|---|---|---|---:|---:|")
    for name in dict.fromkeys(r["corpus"] for r in rows):
        for ctx in ("library", "test"):
            for sev in ("error", "warning", "note"):
                sel = [r for r in rows if r["corpus"] == name and r["test"] == (ctx == "test") and r["severity"] == sev]
                if sel:
                    rt = sum(r["class"].startswith("round trip") for r in sel)
                    print(f"| {name} | {ctx} | {sev} | {len(sel):,} | {rt:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
