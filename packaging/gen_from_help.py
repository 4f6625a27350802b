#!/usr/bin/env python3
"""Generate loadlint's man page and bash/zsh/fish completions from `loadlint --help`.

    gen_from_help.py --binary PATH [--man OUT] [--bash OUT] [--zsh OUT] [--fish OUT]
                     [--dump]

The help text is the one source: the options, their groups, value names and
descriptions are all read from it, so a new option shows up in the man page and
the completions without editing anything here. What the parser expects of the
help text (loadlint's src/cli/options.c):

  usage: loadlint [OPTIONS] [PATH...]      the first line; the synopsis
  <paragraphs>                             the description (first sentence: NAME)
  Heading:                                 a section; a heading may span lines, it is a
                                           paragraph starting in column 0 whose last line
                                           ends with ':'. "Name (more text):" gives the
                                           section "Name" and the paragraph "more text".
    -f, --format FORMAT   description      an option line: indented 1-8 spaces, short and/or
        --color WHEN      description      long names, at most one value name (upper case,
                          continuation     <name>, or a choice list a|b|c / {a,b,c}; also
                                           --opt=VALUE / --opt[=VALUE]), then the
                                           description after one or more spaces;
                                           continuation lines are indented more than 8.
    other indented text                    a paragraph of the current section

How the value of an option is completed follows from its value name:
  FILE, PATH (or ending in FILE/PATH)  files;      DIR  directories;
  CODE, CODES                          rule codes from `loadlint --isolated --list-rules`
                                       at completion time (CODES is a comma-separated
                                       list: its last item is completed);
  a choice list (a|b|c, {a,b,c}), or, for another value name, the first "a, b or c"
  list in the description (parenthesised text left out): those words;
  anything else (N, BYTES, NAME, GLOBS...)   nothing (but a value is expected).
Aliases named in a description ("alias --no-config") are completed as well.
The text of sections named "Exit status", "Examples", "Environment" or "See also"
becomes a man page section of its own (their options stay in OPTIONS); the other
sections are subsections of OPTIONS. Options with no section before them go in an
"Options" subsection.

Standard library only. The binary is run with LC_ALL=C and NO_COLOR=1; it is loadlint
itself (built from this tree), never scanned content. Exits 1 with a message naming
the problem when the help text cannot be parsed (no usage line, no options).
"""

import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile

TOOL = "packaging/gen_from_help.py"

# ---------------------------------------------------------------- parsing

OPT_LINE = re.compile(r"^( {1,8})(-[A-Za-z0-9?]|--[A-Za-z0-9][\w-]*)(.*)$")
FLAG = re.compile(r"^(?:,\s*|\s+or\s+)?(-[A-Za-z0-9?]|--[A-Za-z0-9][\w-]*)")
# a value name: FORMAT, GLOB:CODES, PATH..., <file>, a|b|c, {a,b,c}, [=WHEN]
METAVAR = re.compile(
    r"^(?:\[=|=|\s\[?=?)((?:[A-Z][A-Z0-9_:.-]*(?:\.\.\.)?|<[^>\s]+>|\{[^}\s]+\}|"
    r"[a-z0-9][\w-]*(?:\|[a-z0-9][\w-]*)+))\]?(?=\s|$)")
HEADING_SECTIONS = {"exit status": "EXIT STATUS", "examples": "EXAMPLES",
                    "environment": "ENVIRONMENT", "see also": "SEE ALSO"}
FILE_NAMES = {"FILE", "PATH", "FILENAME", "FILES", "PATHS"}
DIR_NAMES = {"DIR", "DIRECTORY", "DIRS"}
CODE_NAMES = {"CODE", "CODES"}            # CODES: a comma-separated list
FREE_NAMES = {"N", "NUM", "NUMBER", "COUNT", "BYTES", "MS", "SECONDS", "NAME", "GLOB",
              "GLOBS", "PATTERN", "PATTERNS", "TEXT", "STRING", "ID", "URL"}


class HelpError(Exception):
    pass


class Option:
    def __init__(self, flags, metavar, desc):
        self.flags = flags          # ["-f", "--format"], aliases appended later
        self.metavar = metavar      # "FORMAT" or None
        self.desc = desc            # one line of text
        self.aliases = []
        self.kind = "none"          # none | value | file | dir | codes | choices
        self.choices = []

    @property
    def shorts(self):
        return [f for f in self.flags + self.aliases if not f.startswith("--")]

    @property
    def longs(self):
        return [f for f in self.flags + self.aliases if f.startswith("--")]


class Section:
    def __init__(self, title, intro=""):
        self.title = title
        self.items = []             # ("text", str) | ("opt", Option)
        if intro:
            self.items.append(("text", intro))


class Help:
    def __init__(self):
        self.prog = ""
        self.usage = ""             # the part after the program name
        self.description = []       # paragraphs
        self.sections = []

    def options(self):
        return [x for s in self.sections for k, x in s.items if k == "opt"]


def _split_heading(text):
    """'Rules (CODES: ...):' -> ('Rules', 'CODES: ...')."""
    text = text[:-1].strip()
    m = re.match(r"^([^()]+?)\s*\((.*)\)$", text, re.S)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    return text, ""


def _parse_option_line(first, rest):
    flags = [first]
    while True:
        m = FLAG.match(rest)
        if not m or not (rest.startswith(",") or rest.lstrip().startswith("or ")):
            break
        flags.append(m.group(1))
        rest = rest[m.end():]
    metavar = None
    m = METAVAR.match(rest)
    if m:
        metavar = m.group(1)
        rest = rest[m.end():]
    return flags, metavar, rest.strip()


def _choices_from(metavar, desc):
    if metavar:
        if "|" in metavar:
            return [c for c in metavar.split("|") if c]
        if metavar.startswith("{") and metavar.endswith("}"):
            return [c for c in metavar[1:-1].split(",") if c]
    m = re.search(r"\{([a-z0-9][\w-]*(?:,[a-z0-9][\w-]*)+)\}", desc)
    if m:
        return m.group(1).split(",")
    plain = desc
    while True:                     # drop (parenthesised (nested) text)
        stripped = re.sub(r"\([^()]*\)", "", plain)
        if stripped == plain:
            break
        plain = stripped
    plain = re.sub(r"\s+,", ",", plain)
    word = r"[a-z][a-z0-9_-]*"
    m = re.search(r"(?<![\w-])(%s(?:,\s*%s)*),?\s+or\s+(%s)(?![\w-])" % (word, word, word),
                  plain)
    if not m:
        return []
    return [w.strip() for w in m.group(1).split(",")] + [m.group(2)]


def _classify(opt, has_list_rules):
    mv = opt.metavar
    if mv is None:
        opt.kind = "none"
        return
    base = mv.strip("<>").rstrip(".").upper()
    choices = _choices_from(mv, "")
    if choices:
        opt.kind, opt.choices = "choices", choices
    elif base in FILE_NAMES or base.endswith("FILE") or base.endswith("PATH"):
        opt.kind = "file"
    elif base in DIR_NAMES or base.endswith("DIR"):
        opt.kind = "dir"
    elif base in CODE_NAMES and has_list_rules:
        opt.kind = "codes" if base.endswith("S") else "code"
    elif base in FREE_NAMES or ":" in base:
        opt.kind = "value"
    else:
        choices = _choices_from(None, opt.desc)
        if choices:
            opt.kind, opt.choices = "choices", choices
        else:
            opt.kind = "value"


def parse_help(text):
    lines = text.expandtabs(8).splitlines()
    h = Help()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        raise HelpError("the help text is empty")
    m = re.match(r"^\s*usage:\s*(\S+)\s*(.*)$", lines[i], re.I)
    if not m:
        raise HelpError("the help text does not start with a 'usage:' line: %r" % lines[i])
    h.prog, h.usage = os.path.basename(m.group(1)), m.group(2).strip()
    i += 1
    section = None
    para = []                       # pending column-0 paragraph lines
    cur = None                      # the Option being continued
    text_block = []                 # pending indented text lines

    def flush_text():
        if text_block:
            t = " ".join(x.strip() for x in text_block)
            if section is None:
                h.description.append(t)
            else:
                section.items.append(("text", t))
            text_block.clear()

    def flush_para():
        nonlocal section
        if not para:
            return
        t = " ".join(x.strip() for x in para)
        para.clear()
        if t.endswith(":"):
            title, intro = _split_heading(t)
            section = Section(title, intro)
            h.sections.append(section)
        elif section is None:
            h.description.append(t)
        else:
            section.items.append(("text", t))

    for line in lines[i:]:
        if not line.strip():
            flush_para()
            flush_text()
            cur = None
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            flush_text()
            cur = None
            para.append(line)
            if line.rstrip().endswith(":"):
                flush_para()
            continue
        flush_para()
        m = OPT_LINE.match(line)
        if m:
            flush_text()
            flags, metavar, desc = _parse_option_line(m.group(2), m.group(3))
            cur = Option(flags, metavar, desc)
            if section is None:
                section = Section("Options")
                h.sections.append(section)
            section.items.append(("opt", cur))
            continue
        if cur is not None and indent > 8:
            cur.desc = (cur.desc + " " + line.strip()).strip()
            continue
        cur = None
        text_block.append(line)
    flush_para()
    flush_text()

    opts = h.options()
    if not opts:
        raise HelpError("no option lines found in the help text")
    known = {f for o in opts for f in o.flags}
    has_list_rules = "--list-rules" in known
    for o in opts:
        for m in re.finditer(r"\balias(?:es)?\b((?:[\s,]+(?:or\s+|and\s+)?--?[A-Za-z0-9][\w-]*)+)",
                             o.desc):
            for f in re.findall(r"--?[A-Za-z0-9][\w-]*", m.group(1)):
                if f not in known and f not in o.aliases:
                    o.aliases.append(f)
                    known.add(f)
        _classify(o, has_list_rules)
    h.list_rules_cmd = None
    if has_list_rules:
        h.list_rules_cmd = ["--isolated", "--list-rules"] if "--isolated" in known \
            else ["--list-rules"]
    return h


# ---------------------------------------------------------------- man page

def _roff_text(s):
    s = s.replace("\\", "\\e")
    # option names keep ASCII hyphens when copied: \- in tokens that start with -
    s = re.sub(r"(?<![\w\\])(--?[A-Za-z0-9][\w-]*)",
               lambda m: m.group(1).replace("-", "\\-"), s)
    if s[:1] in (".", "'"):
        s = "\\&" + s
    return s


def _roff_quoted(s):
    return '"' + _roff_text(s).replace('"', '\\(dq') + '"'


def _man_option(o):
    parts = []
    for f in o.flags:
        parts.append("\\fB" + f.replace("-", "\\-") + "\\fR")
    head = ", ".join(parts)
    if o.metavar:
        head += " \\fI" + _roff_text(o.metavar) + "\\fR"
    out = [".TP", head]
    out.append(_roff_text(o.desc) if o.desc else "\\&")
    return out


def render_man(h, version_line, date):
    name_line = h.description[0] if h.description else ""
    summary = re.split(r"(?<=\.)\s", name_line, maxsplit=1)[0].rstrip(".")
    summary = summary[:1].lower() + summary[1:]
    title = h.prog.upper()
    out = [
        '.\\" Generated from `%s --help` by %s; do not edit.' % (h.prog, TOOL),
        '.TH %s 1 "%s" %s "User Commands"' % (title, date, _roff_quoted(version_line)),
        ".nh",      # no hyphenation: option names stay whole
        ".ad l",    # ragged right
        ".SH NAME",
        "%s \\- %s" % (h.prog, _roff_text(summary)),
        ".SH SYNOPSIS",
        ".B %s" % h.prog,
        _roff_text(h.usage),
        ".SH DESCRIPTION",
    ]
    for i, p in enumerate(h.description):
        if i:
            out.append(".PP")
        out.append(_roff_text(p))
    own = []
    first_sub = True
    for s in h.sections:
        # a standard section ("Exit status:") gets its text; its options stay
        # with the others, in a subsection of OPTIONS named after it
        top = HEADING_SECTIONS.get(s.title.lower())
        items = s.items
        if top:
            own.append((top, [x for x in items if x[0] == "text"]))
            items = [x for x in items if x[0] == "opt"]
            if not items:
                continue
        if first_sub:
            out.append(".SH OPTIONS")
            first_sub = False
        out.append(".SS %s" % _roff_quoted(s.title))
        out += _man_items(items)
    for top, items in own:
        if items:
            out.append(".SH %s" % _roff_quoted(top))
            out += _man_items(items)
    see = ["\\fB%s \\-\\-help\\fR" % h.prog]
    known = {f for o in h.options() for f in o.flags}
    if "--list-rules" in known:
        see.append("\\fB%s \\-\\-list\\-rules\\fR" % h.prog)
    if "--explain" in known:
        see.append("\\fB%s \\-\\-explain\\fR \\fICODE\\fR (a rule's documentation)" % h.prog)
    out += [".SH \"SEE ALSO\"", ",\n".join(see) + ";",
            "README.md and rules/*.md in the package's documentation directory "
            "(share/doc/%s under the installation prefix)." % h.prog]
    return "\n".join(out) + "\n"


def _man_items(items):
    out = []
    prev = None
    for kind, x in items:
        if kind == "opt":
            out += _man_option(x)
        else:
            out.append(".PP")
            out.append(_roff_text(x))
        prev = kind
    if prev == "opt":
        out.append(".PP")
    return out


# ---------------------------------------------------------------- completions

def _sh_words(words):
    return " ".join(words)


def render_bash(h):
    prog = h.prog
    func = "_" + re.sub(r"\W", "_", prog)
    opts = h.options()
    all_flags = sorted({f for o in opts for f in o.longs + o.shorts})
    cases = {"file": [], "dir": [], "code": [], "codes": [], "value": []}
    choice_cases = []
    for o in opts:
        names = o.shorts + o.longs
        if o.kind == "choices":
            choice_cases.append((names, o.choices))
        elif o.kind in cases:
            cases[o.kind] += names
    L = []
    L.append("# bash completion for %s -- generated from `%s --help` by %s; do not edit."
             % (prog, prog, TOOL))
    L.append("# Needs bash 4; uses bash-completion's helpers when they are loaded, but works without.")
    L.append("%s()" % func)
    L.append("{")
    L.append("    local cur prev")
    L.append("    COMPREPLY=()")
    L.append('    cur=${COMP_WORDS[COMP_CWORD]}')
    L.append('    prev=${COMP_WORDS[COMP_CWORD-1]}')
    L.append("    # --option=value (COMP_WORDBREAKS splits at '=')")
    L.append('    if [[ $cur == = ]]; then')
    L.append('        cur=""')
    L.append('    elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then')
    L.append('        prev=${COMP_WORDS[COMP_CWORD-2]}')
    L.append('    elif [[ $cur == --*=* ]]; then')
    L.append('        prev=${cur%%=*}')
    L.append('        cur=${cur#*=}')
    L.append("    fi")
    L.append('    case $prev in')
    for names, choices in choice_cases:
        L.append("        %s)" % "|".join(names))
        L.append("            mapfile -t COMPREPLY < <(compgen -W '%s' -- \"$cur\")"
                 % _sh_words(choices))
        L.append("            return 0 ;;")
    if cases["file"]:
        L.append("        %s)" % "|".join(cases["file"]))
        L.append("            compopt -o filenames 2>/dev/null")
        L.append('            mapfile -t COMPREPLY < <(compgen -f -- "$cur")')
        L.append("            return 0 ;;")
    if cases["dir"]:
        L.append("        %s)" % "|".join(cases["dir"]))
        L.append("            compopt -o filenames 2>/dev/null")
        L.append('            mapfile -t COMPREPLY < <(compgen -d -- "$cur")')
        L.append("            return 0 ;;")
    if cases["code"]:
        L.append("        %s)" % "|".join(cases["code"]))
        L.append('            mapfile -t COMPREPLY < <(compgen -W "$("${COMP_WORDS[0]}" %s 2>/dev/null | cut -f1)" -- "$cur")'
                 % " ".join(h.list_rules_cmd))
        L.append("            return 0 ;;")
    if cases["codes"]:
        L.append("        %s)" % "|".join(cases["codes"]))
        L.append("            # a comma-separated list: complete its last item")
        L.append("            local head= codes")
        L.append('            [[ $cur == *,* ]] && head=${cur%,*},')
        L.append('            codes=$("${COMP_WORDS[0]}" %s 2>/dev/null | cut -f1)'
                 % " ".join(h.list_rules_cmd))
        L.append('            mapfile -t COMPREPLY < <(compgen -P "$head" -W "$codes ALL" -- "${cur##*,}")')
        L.append("            compopt -o nospace 2>/dev/null")
        L.append("            return 0 ;;")
    if cases["value"]:
        L.append("        %s)" % "|".join(cases["value"]))
        L.append("            return 0 ;;   # a value of the user's own")
    L.append("    esac")
    L.append('    if [[ $cur == -* ]]; then')
    L.append("        mapfile -t COMPREPLY < <(compgen -W '%s' -- \"$cur\")" % _sh_words(all_flags))
    L.append("        return 0")
    L.append("    fi")
    L.append("    compopt -o filenames 2>/dev/null")
    L.append('    mapfile -t COMPREPLY < <(compgen -f -- "$cur")')
    L.append("}")
    L.append("complete -F %s %s" % (func, prog))
    return "\n".join(L) + "\n"


def _zsh_desc(s):
    s = re.sub(r"\s+", " ", s)
    if len(s) > 70:
        s = s[:67].rstrip() + "..."
    return s.replace("\\", "\\\\").replace("'", "'\\''").replace("[", "\\[") \
        .replace("]", "\\]").replace(":", "\\:")


def render_zsh(h):
    prog = h.prog
    L = ["#compdef %s" % prog,
         "# zsh completion for %s -- generated from `%s --help` by %s; do not edit."
         % (prog, prog, TOOL), ""]
    codes_fn = "_%s_codes" % re.sub(r"\W", "_", prog)
    specs = []
    need_codes = False
    for o in h.options():
        names = o.shorts + o.longs
        desc = _zsh_desc(o.desc or o.metavar or "")
        mv = (o.metavar or "value").replace(":", "\\:")
        if o.kind == "none":
            action = ""
        elif o.kind == "choices":
            action = ":%s:(%s)" % (mv, " ".join(o.choices))
        elif o.kind == "file":
            action = ":%s:_files" % mv
        elif o.kind == "dir":
            action = ":%s:_files -/" % mv
        elif o.kind in ("code", "codes"):
            action = ":%s:%s%s" % (mv, codes_fn, " -s" if o.kind == "codes" else "")
            need_codes = True
        else:
            action = ":%s: " % mv
        if len(names) == 1:
            spec = "'%s[%s]%s'" % (names[0], desc, action)
        else:
            excl = "(%s)" % " ".join(names)
            spec = "'%s'{%s}'[%s]%s'" % (excl, ",".join(names), desc, action)
        specs.append(spec)
    if need_codes:
        L.append("%s() {" % codes_fn)
        L.append("    local -a codes")
        L.append("    codes=(${(f)\"$(${words[1]} %s 2>/dev/null | cut -f1)\"} ALL)"
                 % " ".join(h.list_rules_cmd))
        L.append("    if [[ $1 == -s ]]; then _sequence compadd - -a codes; else compadd -a codes; fi")
        L.append("}")
        L.append("")
    L.append("_arguments -s -S \\")
    for s in specs:
        L.append("    %s \\" % s)
    L.append("    '*:file or directory:_files'")
    return "\n".join(L) + "\n"


def _fish_quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def render_fish(h):
    prog = h.prog
    L = ["# fish completion for %s -- generated from `%s --help` by %s; do not edit."
         % (prog, prog, TOOL)]
    for o in h.options():
        parts = ["complete", "-c", prog]
        for s in o.shorts:
            if len(s) == 2:
                parts += ["-s", s[1]]
            else:
                parts += ["-o", s[1:]]
        for lng in o.longs:
            parts += ["-l", lng[2:]]
        if o.kind == "choices":
            parts += ["-x", "-a", _fish_quote(" ".join(o.choices))]
        elif o.kind == "file":
            parts += ["-r", "-F"]
        elif o.kind == "dir":
            parts += ["-x", "-a", "'(__fish_complete_directories)'"]
        elif o.kind in ("code", "codes"):
            parts += ["-x", "-a", _fish_quote("(%s %s 2>/dev/null | string replace -r '\\t.*' '') ALL"
                                              % (prog, " ".join(h.list_rules_cmd)))]
        elif o.kind == "value":
            parts += ["-x"]
        desc = re.sub(r"\s+", " ", o.desc or "")
        if len(desc) > 70:
            desc = desc[:67].rstrip() + "..."
        if desc:
            parts += ["-d", _fish_quote(desc)]
        L.append(" ".join(parts))
    return "\n".join(L) + "\n"


# ---------------------------------------------------------------- main

def _run(binary, *args):
    env = dict(os.environ, LC_ALL="C", NO_COLOR="1", TERM="dumb")
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
    try:
        p = subprocess.run([binary] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=env, timeout=60, check=False)
    except OSError as e:
        raise HelpError("cannot run %s: %s" % (binary, e))
    if p.returncode != 0:
        raise HelpError("%s %s exited %d: %s" % (binary, " ".join(args), p.returncode,
                                                 p.stderr.decode("utf-8", "replace").strip()))
    return p.stdout.decode("utf-8")


def _write(path, text):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True, help="the loadlint binary to ask for --help")
    ap.add_argument("--man")
    ap.add_argument("--bash")
    ap.add_argument("--zsh")
    ap.add_argument("--fish")
    ap.add_argument("--dump", action="store_true", help="print what was parsed")
    a = ap.parse_args(argv)
    try:
        h = parse_help(_run(a.binary, "--help"))
        # "loadlint 0.1.0 (grammar versions...)": the man page footer takes "loadlint 0.1.0"
        version_line = " ".join(_run(a.binary, "--version").split()[:2])
    except HelpError as e:
        print("gen_from_help.py: error: %s" % e, file=sys.stderr)
        return 1
    if a.dump:
        for s in h.sections:
            print("[%s]" % s.title)
            for k, x in s.items:
                if k == "opt":
                    print("  %-40s %-8s %s" % (", ".join(x.flags + x.aliases),
                                                x.kind, " ".join(x.choices) or x.metavar or ""))
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch \
        else datetime.datetime.now(datetime.timezone.utc)
    if a.man:
        _write(a.man, render_man(h, version_line, when.strftime("%Y-%m-%d")))
    if a.bash:
        _write(a.bash, render_bash(h))
    if a.zsh:
        _write(a.zsh, render_zsh(h))
    if a.fish:
        _write(a.fish, render_fish(h))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
