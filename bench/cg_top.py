#!/usr/bin/python3
"""bench/cg_top.py LOADLINT.incl.txt FLOOR.incl.txt [LABEL] - used by bench/profile.sh.

Reads two `callgrind_annotate --inclusive=yes` outputs (loadlint and
loadlint-parse-only over the same files) and prints the instruction counts
and loadlint's top 15 functions by inclusive cost outside tree-sitter's
parser, with their share of loadlint's total."""
import re
import sys


def parse(path):
    """function name -> inclusive Ir (the largest entry: callgrind_annotate may
    list a function once per source file of its inlined parts), and the total."""
    cost, total, table = {}, None, False
    for line in open(path):
        if "file:function" in line:
            table = True
            continue
        if table and not line.strip():
            break  # the function table ends; source annotations follow
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S.*?)\s*$", line)
        if not m:
            continue
        ir, name = int(m[1].replace(",", "")), m[2]
        if "PROGRAM TOTALS" in name:
            total = ir
            continue
        if not table:
            continue
        fn = name.split(" [")[0].split(":")[-1]
        if re.search(r"'\d+$", fn):  # a recursive activation, already counted
            continue
        cost[fn] = max(cost.get(fn, 0), ir)
    return cost, total


# the parser proper: the parse call and what only it uses
PARSER = re.compile(r"^(ts_parser_|ts_lexer_|ts_subtree_|ts_stack_|ts_language_|ts_tree_delete|"
                    r"ts_tree_new|ts_reduce_action|ts_range_|ts_external_scanner|tree_sitter_python|"
                    r"ts_lex|lex_|serialize$|deserialize$|scan$|advance$|skip$|stack_|array__|"
                    r"reusable_node|ts_current_)")
# whole-program frames (analyze = read + parse + analysis of one file)
FRAME = re.compile(r"^(\?\?\?|main|__libc_start.*|_start|start_thread|clone3?|\(below main\)|_dl_.*|"
                   r"0x.*|worker_main|ll_run|run_pass|analyze)$")


def main():
    ll, ll_total = parse(sys.argv[1])
    fl, fl_total = parse(sys.argv[2])
    label = sys.argv[3] if len(sys.argv) > 3 else "loadlint"
    print(f"instructions: {label}: {ll_total:,}; parse-only floor: {fl_total:,}; "
          f"ratio {ll_total / fl_total:.2f}")
    pp = ll.get("ts_parser_parse_string", 0)
    print(f"ts_parser_parse_string in loadlint: {pp:,} ({100 * pp / ll_total:.1f} % of its instructions); "
          f"in the floor: {fl.get('ts_parser_parse_string', 0):,}")
    print("\nloadlint's top 15 functions by inclusive cost outside tree-sitter's parser")
    print("(share of loadlint's total; 'floor' = the same function's inclusive cost in")
    print("loadlint-parse-only: for malloc/free the difference is what analysis adds)")
    n = 0
    for fn, ir in sorted(ll.items(), key=lambda kv: -kv[1]):
        if PARSER.search(fn) or FRAME.search(fn):
            continue
        f = fl.get(fn)
        print(f"{100 * ir / ll_total:6.1f} %  {ir:>15,}  {fn}" + (f"   (floor {f:,})" if f else ""))
        n += 1
        if n == 15:
            break


if __name__ == "__main__":
    main()
