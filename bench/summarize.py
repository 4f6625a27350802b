#!/usr/bin/python3
"""bench/summarize.py MEASURE.tsv EXACT.tsv MACHINE.txt HAVE_NOPREFILTER

Turns bench/run.sh's raw data into one markdown table and a verdict per
target of the performance issue; prints markdown on standard output.

MEASURE.tsv rows (tab-separated): corpus, tool, then
  size      -                 floor's stderr ("files N bytes B")
  TOOL      hyperfine.json    /usr/bin/time log ('%e %U %S %M' per run, warm-up first)
  TOOL      -                 /usr/bin/time log of a single run (bandit)
  TOOL      findings          the tool's report (JSON, or JSON lines for ast-grep)
EXACT.tsv rows: corpus, what, report A, report B (loadlint JSON reports).
"""
import json
import os
import re
import statistics
import sys

TOOLS = [  # table order and labels
    ("loadlint", "loadlint"),
    ("loadlint-noprefilter", "loadlint --no-prefilter"),
    ("loadlint-1000rules", "loadlint + 1,000 rules"),
    ("floor", "parse-only floor"),
    ("ast-grep", "ast-grep"),
    ("bandit", "bandit"),
]
TARGET_ASTGREP = 0.5
TARGET_FLOOR = 1.15
TARGET_RSS_MB = 40.0
TARGET_RSS_FLAT = 1.10   # peak RSS on x8 at most 10 % above x1: "does not grow"
TARGET_GROWTH = 8.5
TARGET_RULES = 1.20
TARGET_BANDIT = 50.0


def time_lines(path):
    """(wall, user, sys, maxrss_kb) per run; skips GNU time's
    'Command exited with non-zero status' lines."""
    out = []
    with open(path) as f:
        for line in f:
            m = re.fullmatch(r"\s*([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*", line)
            if m:
                out.append((float(m[1]), float(m[2]), float(m[3]), int(m[4])))
    return out


def other_load(time_path, runs):
    """Share (%) of the machine's CPU time used by other processes while a
    measurement ran: /proc/stat's 'cpu' line before and after it (the .stat
    file next to the time log), minus the measured command's own user +
    system time over all its runs."""
    try:
        with open(time_path[: -len(".time")] + ".stat") as f:
            a, b = [[int(x) for x in line.split()[1:9]] for line in f if line.startswith("cpu ")][:2]
    except (OSError, ValueError):
        return None
    hz = os.sysconf("SC_CLK_TCK")
    total = sum(b) - sum(a)
    busy = total - ((b[3] + b[4]) - (a[3] + a[4]))
    own = sum(u + s for _, u, s, _ in runs) * hz
    return max(0.0, 100.0 * (busy - own) / total) if total > 0 else None


def count_findings(tool, path):
    try:
        if tool == "ast-grep":
            with open(path) as f:
                return sum(1 for line in f if line.strip())
        with open(path) as f:
            return len(json.load(f)["results"])
    except (OSError, ValueError, KeyError):
        return None


def results_key(path):
    with open(path) as f:
        return sorted(json.dumps(r, sort_keys=True) for r in json.load(f)["results"])


def main():
    tsv, exact_tsv, machine_txt, have_nopre = sys.argv[1:5]
    busy_tsv = sys.argv[5] if len(sys.argv) > 5 else None
    have_nopre = have_nopre == "1"
    corpora = []      # in run order
    size = {}         # corpus -> (files, bytes)
    m = {}            # (corpus, tool) -> dict
    for row in open(tsv):
        corpus, tool, a, b = row.rstrip("\n").split("\t")
        if corpus not in corpora:
            corpora.append(corpus)
        if tool == "size":
            text = open(b).read()
            mm = re.findall(r"files (\d+) bytes (\d+)", text)
            size[corpus] = (int(mm[-1][0]), int(mm[-1][1])) if mm else (None, None)
            continue
        d = m.setdefault((corpus, tool), {})
        if a == "findings":
            d["findings"] = count_findings(tool, b)
        elif a == "-":
            runs = time_lines(b)
            if runs:
                w, u, s, rss = runs[-1]
                d.update(wall=w, cpu=u + s, rss_kb=rss, runs=1, other=other_load(b, runs))
        else:
            hf = json.load(open(a))["results"][0]
            n = len(hf["times"])
            all_runs = time_lines(b)
            runs = all_runs[-n:]
            d["other"] = other_load(b, all_runs)
            d.update(wall=hf["median"], runs=n,
                     cpu=statistics.median(u + s for _, u, s, _ in runs) if runs else None,
                     rss_kb=max(r for *_, r in runs) if runs else None)

    # a run whose report is unreadable failed: its timings mean nothing
    failed = []
    for (c, t), d in m.items():
        if t != "floor" and "wall" in d and d.get("findings") is None:
            failed.append(f"{c} {t}")
            d.update(wall=None, cpu=None, rss_kb=None)

    def get(c, t, k):
        return m.get((c, t), {}).get(k)

    def cpu_ratio(c, a, b):
        x, y = get(c, a, "cpu"), get(c, b, "cpu")
        return f" (CPU {x / y:.2f}×)" if x and y else ""

    out = []
    machine = open(machine_txt).read().strip().splitlines()
    out.append("## Benchmark results\n")
    out.append("Machine and versions:\n")
    out += ["- " + line for line in machine]
    if busy_tsv:
        busy = [line.rstrip("\n").split("\t") for line in open(busy_tsv) if line.strip()]
        noisy = [f"{c} {t} ({b} %)" for c, t, b in busy if int(b) > 10]
        out.append("- other work on the CPUs when a measurement started: "
                   + ("none above 10 % (" if not noisy else "above 10 % for " + ", ".join(noisy) + " (")
                   + f"{len(busy)} measurements; idle = at most 10 % busy over 2 s)")
    out.append("")
    out.append("Wall: hyperfine median; CPU: median user + system; peak RSS: largest of the runs "
               "(GNU time, MiB); MB = 10^6 bytes of *.py/*.pyi; x loadlint = wall / loadlint's wall; "
               "other load = share of the machine's CPU time taken by other processes while the "
               "measurement ran (0 % on a quiet machine; above a few % the wall times are inflated).\n")
    out.append("| Corpus | Files | MB | Tool | Wall (s) | CPU (s) | MB/s | Peak RSS (MB) | Findings | x loadlint | Other load |")
    out.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")

    def fmt(v, spec):
        return "n/a" if v is None else format(v, spec)

    for c in corpora:
        files, nbytes = size.get(c, (None, None))
        mb = nbytes / 1e6 if nbytes else None
        base = get(c, "loadlint", "wall")
        for t, label in TOOLS:
            if (c, t) not in m:
                if t == "loadlint-noprefilter" and not have_nopre:
                    out.append(f"| {c} | {fmt(files, ',')} | {fmt(mb, '.1f')} | {label} | n/a | n/a | n/a | n/a | n/a | n/a | n/a |")
                continue
            d = m[(c, t)]
            w = d.get("wall")
            rss = d.get("rss_kb")
            f = d.get("findings")
            runs = d.get("runs")
            wall_s = fmt(w, ".3f") + (" (1 run)" if runs == 1 else "")
            out.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                c, fmt(files, ","), fmt(mb, ".1f"), label, wall_s, fmt(d.get("cpu"), ".2f"),
                fmt(mb / w if (mb and w) else None, ".1f"),
                fmt(rss / 1024 if rss else None, ".1f"),
                "—" if t == "floor" else fmt(f, ","),
                fmt(w / base if (w and base) else None, ".2f"),
                fmt(d.get("other"), ".0f") + (" %" if d.get("other") is not None else "")))
    out.append("")

    # ------------------------------------------------------------ verdicts
    verdicts = []

    def verdict(ok, text):
        tag = "n/a" if ok is None else ("met" if ok else "NOT met")
        verdicts.append(f"- **{tag}**: {text}")

    ratios = [(c, get(c, "loadlint", "wall") / get(c, "ast-grep", "wall")) for c in corpora
              if get(c, "loadlint", "wall") and get(c, "ast-grep", "wall")]
    verdict(all(r <= TARGET_ASTGREP for _, r in ratios) if ratios else None,
            f"loadlint wall ≤ {TARGET_ASTGREP}× ast-grep on every corpus: "
            + ", ".join(f"{c} {r:.2f}×{cpu_ratio(c, 'loadlint', 'ast-grep')}" for c, r in ratios))

    if have_nopre:
        fr = [(c, get(c, "loadlint-noprefilter", "wall") / get(c, "floor", "wall")) for c in corpora
              if get(c, "loadlint-noprefilter", "wall") and get(c, "floor", "wall")]
        verdict(all(r <= TARGET_FLOOR for _, r in fr) if fr else None,
                f"loadlint --no-prefilter ≤ {TARGET_FLOOR}× the parse-only floor: "
                + ", ".join(f"{c} {r:.2f}×{cpu_ratio(c, 'loadlint-noprefilter', 'floor')}" for c, r in fr))
    else:
        verdict(None, f"loadlint --no-prefilter ≤ {TARGET_FLOOR}× the parse-only floor: "
                "this loadlint has no --no-prefilter flag")
    fd = [(c, get(c, "loadlint", "wall") / get(c, "floor", "wall")) for c in corpora
          if get(c, "loadlint", "wall") and get(c, "floor", "wall")]
    verdicts.append("- (for information) loadlint with its defaults vs the floor: "
                    + ", ".join(f"{c} {r:.2f}×{cpu_ratio(c, 'loadlint', 'floor')}" for c, r in fd))

    sized = [c for c in corpora if size.get(c, (None, None))[1]]
    if sized:
        big = max(sized, key=lambda c: size[c][1])
        rs = [(t, get(big, t, "rss_kb")) for t in ("loadlint", "loadlint-noprefilter") if get(big, t, "rss_kb")]
        verdict(all(r / 1024 <= TARGET_RSS_MB for _, r in rs) if rs else None,
                f"peak RSS ≤ {TARGET_RSS_MB:.0f} MB on the largest corpus ({big}, {size[big][1] / 1e6:.0f} MB): "
                + ", ".join(f"{t} {r / 1024:.1f} MB" for t, r in rs))
        small = "stdlib" if "stdlib" in sized else None
        if small and big != small:
            fl = [(t, get(small, t, "rss_kb"), get(big, t, "rss_kb")) for t in ("loadlint", "loadlint-noprefilter")
                  if get(small, t, "rss_kb") and get(big, t, "rss_kb")]
            verdict(all(b <= a * TARGET_RSS_FLAT for _, a, b in fl) if fl else None,
                    f"peak RSS flat in the number of files ({big} at most {TARGET_RSS_FLAT:.2f}× {small}, "
                    f"{size[big][0]:,} vs {size[small][0]:,} files): "
                    + ", ".join(f"{t} {a / 1024:.1f} → {b / 1024:.1f} MB ({b / a:.2f}×)" for t, a, b in fl))

    if get("stdlib", "loadlint", "wall") and get("stdlib-x8", "loadlint", "wall"):
        g = [(t, get("stdlib-x8", t, "wall") / get("stdlib", t, "wall"))
             for t in ("loadlint", "loadlint-noprefilter")
             if get("stdlib", t, "wall") and get("stdlib-x8", t, "wall")]
        verdict(all(r <= TARGET_GROWTH for _, r in g),
                f"8× the input in ≤ {TARGET_GROWTH}× the time (stdlib-x8 / stdlib): "
                + ", ".join(f"{t} {r:.2f}×" for t, r in g)
                + f" (floor {get('stdlib-x8', 'floor', 'wall') / get('stdlib', 'floor', 'wall'):.2f}×)")

    if get("stdlib", "loadlint-1000rules", "wall") and get("stdlib", "loadlint", "wall"):
        r = get("stdlib", "loadlint-1000rules", "wall") / get("stdlib", "loadlint", "wall")
        same = get("stdlib", "loadlint-1000rules", "findings") == get("stdlib", "loadlint", "findings")
        verdict(r <= TARGET_RULES,
                f"1,000 extra rules cost ≤ {(TARGET_RULES - 1) * 100:.0f} % more time (stdlib): "
                f"{r:.2f}× ({get('stdlib', 'loadlint', 'wall'):.3f} s → {get('stdlib', 'loadlint-1000rules', 'wall'):.3f} s); "
                f"findings {'unchanged' if same else 'CHANGED'}")

    br = [(c, get(c, "bandit", "wall") / get(c, "loadlint", "wall")) for c in corpora
          if get(c, "bandit", "wall") and get(c, "loadlint", "wall")]
    verdict(all(r >= TARGET_BANDIT for _, r in br) if br else None,
            f"≥ {TARGET_BANDIT:.0f}× faster than bandit: " + ", ".join(f"{c} {r:.0f}×" for c, r in br))

    rows = [line.rstrip("\n").split("\t") for line in open(exact_tsv) if line.strip()]
    bad, checked = [], []
    for c, what, a, b in rows:
        try:
            ka, kb = results_key(a), results_key(b)
        except (OSError, ValueError, KeyError) as e:
            bad.append(f"{c} {what}: unreadable report ({e})")
            continue
        if ka == kb:
            checked.append(f"{c} {what} ({len(ka):,})")
        else:
            sa, sb = set(ka), set(kb)
            bad.append(f"{c} {what}: {len(ka):,} vs {len(kb):,} findings, {len(sa - sb)} only in the first, "
                       f"{len(sb - sa)} only in the second")
    verdict(not bad if rows else None,
            "findings identical (JSON results, sorted) with -j1 and -j2"
            + (" and with the pre-filter on and off" if have_nopre else "")
            + ": " + ("; ".join(bad) if bad else "identical on " + ", ".join(checked)))
    if not have_nopre:
        verdict(None, "findings identical with the pre-filter on and off: this loadlint has no --no-prefilter flag")

    if failed:
        verdicts.insert(0, "- **failed runs** (unreadable report; their timings are left out): " + ", ".join(failed))
    out.append("### Verdicts\n")
    out += verdicts
    print("\n".join(out))


if __name__ == "__main__":
    main()
