#!/usr/bin/env bash
# Validate SARIF files the way GitHub code scanning will judge them.
#
#   tests/tools/sarif-validate.sh [-q] [--fast] [--tools DIR] FILE.sarif...
#
# Each FILE goes through three independent checks (see docs: integrations.md §1.3):
#   jsonschema  Debian's /usr/bin/python3 + python3-jsonschema, Draft202012Validator with
#               FORMAT_CHECKER (uri/uri-reference checked through python3-rfc3987),
#               against the SARIF 2.1.0 schema shipped in the tools folder.
#   ajv         ajv-cli validate --spec=draft2020 with ajv-formats (same schema).
#   multitool   Sarif.Multitool validate --rule-kind "Sarif;Gh" --level "Error;Warning";
#               it always exits 0, so its output log is read with jq: every result of
#               level "error" is a problem (warnings are listed but do not fail).
# --fast runs the jsonschema check only (0.2 s instead of ~1-3 s per file).
# -q prints only problems and the verdict line.
# The tools folder is --tools DIR, else $LOADLINT_SARIF_TOOLS, else
# ${LOADLINT_CACHE_DIR:-$HOME/.cache/loadlint}/sarif-tools; fill it with
# tests/tools/install-sarif-tools.sh. Nothing here touches the network.
#
# Exit status: 0 every file valid; 1 some file invalid (every problem is printed);
# 2 tool error (missing tool, unreadable file, a validator crashed). 2 outranks 1.
set -eu

SCHEMA_SHA256=1c49a0f2b60444c71bb14878e21e0d882198eff4c539861b133093ad89ed798c
PYTHON=${LOADLINT_PYTHON:-/usr/bin/python3}   # Debian's python3: it has python3-rfc3987

me=${0##*/}
usage() { printf 'usage: %s [-q] [--fast] [--tools DIR] FILE.sarif...\n' "$me" >&2; exit 2; }
toolerr() { printf '%s: tool error: %s\n' "$me" "$*" >&2; }

quiet=0 fast=0 tools=
while [ "$#" -gt 0 ]; do
  case "$1" in
    -q|--quiet) quiet=1; shift ;;
    --fast) fast=1; shift ;;
    --tools) [ "$#" -ge 2 ] || usage; tools=$2; shift 2 ;;
    --tools=*) tools=${1#--tools=}; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) printf '%s: unknown option %s\n' "$me" "$1" >&2; usage ;;
    *) break ;;
  esac
done
[ "$#" -ge 1 ] || usage

if [ -z "$tools" ]; then
  tools=${LOADLINT_SARIF_TOOLS:-${LOADLINT_CACHE_DIR:-${HOME:-/root}/.cache/loadlint}/sarif-tools}
fi
NM=$tools/node_modules
SCHEMA=$NM/@microsoft/sarif-multitool-linux/sarif-2.1.0.json
MULTITOOL=$NM/@microsoft/sarif-multitool-linux/Sarif.Multitool
AJV=$NM/.bin/ajv

say() { [ "$quiet" = 1 ] || printf '%s\n' "$*"; }

# ---------------------------------------------------------------- tool checks (once)
preflight() {
  local ok=0 hint="run tests/tools/install-sarif-tools.sh${tools:+ $tools}"
  if [ ! -f "$SCHEMA" ]; then
    toolerr "SARIF schema not found: $SCHEMA ($hint)"; return 1
  fi
  if [ "$(sha256sum "$SCHEMA" | cut -d' ' -f1)" != "$SCHEMA_SHA256" ]; then
    toolerr "SARIF schema $SCHEMA does not have the pinned sha256 ($hint)"; return 1
  fi
  if [ ! -x "$PYTHON" ]; then
    toolerr "$PYTHON not found (apt-get install python3 python3-jsonschema python3-rfc3987)"; ok=1
  elif ! "$PYTHON" -c '
import sys
try:
    import jsonschema, rfc3987
    from jsonschema import Draft202012Validator as V
except ImportError as e:
    sys.exit("%s" % e)
missing = {"uri", "uri-reference"} - set(V.FORMAT_CHECKER.checkers)
if missing:
    sys.exit("jsonschema format checker lacks %s" % sorted(missing))
' 2>/dev/null; then
    toolerr "$PYTHON cannot check SARIF with URI formats (apt-get install python3-jsonschema python3-rfc3987)"; ok=1
  fi
  if [ "$fast" = 0 ]; then
    command -v jq >/dev/null 2>&1 || { toolerr "jq not found (apt-get install jq)"; ok=1; }
    command -v node >/dev/null 2>&1 || { toolerr "node not found (needed by ajv-cli)"; ok=1; }
    [ -e "$AJV" ] || { toolerr "ajv-cli not found: $AJV ($hint)"; ok=1; }
    [ -x "$MULTITOOL" ] || { toolerr "Sarif.Multitool not found or not executable: $MULTITOOL ($hint)"; ok=1; }
  fi
  return "$ok"
}

# ---------------------------------------------------------------- the three checks
# Each check appends problems to $W/problems (one per line) and returns
# 0 ok / 1 problems found / 2 tool error.

check_jsonschema() { # $1 = file
  local rc=0
  "$PYTHON" - "$SCHEMA" "$1" >"$W/py.out" 2>"$W/py.err" <<'EOF_PY' || rc=$?
import json, sys
from jsonschema import Draft202012Validator as V
with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
try:
    with open(sys.argv[2], encoding="utf-8") as f:
        doc = json.load(f)
except (ValueError, UnicodeDecodeError) as e:   # JSONDecodeError is a ValueError
    print("jsonschema: not valid JSON: %s" % e)
    sys.exit(3)
errors = sorted(V(schema, format_checker=V.FORMAT_CHECKER).iter_errors(doc),
                key=lambda e: list(map(str, e.absolute_path)))
for e in errors:
    print("jsonschema: /%s: %s" % ("/".join(map(str, e.absolute_path)), e.message))
sys.exit(1 if errors else 0)
EOF_PY
  cat "$W/py.out" >>"$W/problems"
  case "$rc" in
    0) return 0 ;;
    1) return 1 ;;
    3) return 3 ;;   # not JSON: the other checks would only repeat it
    *) toolerr "python3 jsonschema check crashed (rc $rc):"; sed 's/^/  /' "$W/py.err" >&2; return 2 ;;
  esac
}

check_ajv() { # $1 = file
  local rc=0
  # ajv-cli picks its parser from the extension: give it a .json copy.
  cp -- "$1" "$W/input.json"
  (cd "$W" && "$AJV" validate --spec=draft2020 --strict=false --all-errors --errors=json \
      -c ajv-formats -s "$SCHEMA" -d input.json) >"$W/ajv.out" 2>"$W/ajv.err" || rc=$?
  if [ "$rc" = 0 ] && grep -q '^input.json valid$' "$W/ajv.out" "$W/ajv.err"; then
    return 0
  fi
  if [ "$rc" = 1 ] && grep -q '^input.json invalid$' "$W/ajv.err"; then
    # stderr: "input.json invalid" then a JSON array of errors
    if sed '0,/^input.json invalid$/d' "$W/ajv.err" | jq -r '.[] |
        "ajv: \(if .instancePath == "" then "/" else .instancePath end): \(.message)" +
        (if .params.allowedValues then " \(.params.allowedValues | tojson)" else "" end)' \
        >>"$W/problems" 2>"$W/jq.err"; then
      return 1
    fi
    toolerr "cannot read ajv's error list:"; sed 's/^/  /' "$W/jq.err" "$W/ajv.err" >&2; return 2
  fi
  toolerr "ajv-cli failed (rc $rc):"; sed 's/^/  /' "$W/ajv.out" "$W/ajv.err" >&2
  return 2
}

check_multitool() { # $1 = file
  local rc=0 nerr
  # A plain name in a private folder: the multitool treats its argument as a file spec.
  cp -- "$1" "$W/input.sarif"
  rm -f "$W/multitool.sarif"
  (cd "$W" && DOTNET_CLI_TELEMETRY_OPTOUT=1 \
      DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-1} \
      "$MULTITOOL" validate input.sarif --rule-kind "Sarif;Gh" --level "Error;Warning" \
      -o multitool.sarif --log ForceOverwrite) >"$W/mt.out" 2>&1 </dev/null || rc=$?
  if [ "$rc" != 0 ] || [ ! -s "$W/multitool.sarif" ] || ! jq -e '.runs[0]' "$W/multitool.sarif" >/dev/null 2>&1; then
    toolerr "Sarif.Multitool failed (rc $rc; it wrote no readable log):"
    sed 's/^/  /' "$W/mt.out" >&2
    return 2
  fi
  # The multitool's own failures (exceptions, unloadable rules) are tool errors.
  if jq -e '[.runs[0].invocations[]? | (.executionSuccessful == false),
             (.toolExecutionNotifications[]? | .level == "error")] | any' \
        "$W/multitool.sarif" >/dev/null; then
    toolerr "Sarif.Multitool reported an execution failure:"
    jq -r '.runs[0].invocations[]?.toolExecutionNotifications[]? | "  \(.level // "?"): \(.message.text // .message.id // "")"' \
      "$W/multitool.sarif" >&2
    sed 's/^/  /' "$W/mt.out" >&2
    return 2
  fi
  # Render each result: rule id, line:col in the input, and its message (the log has
  # message.id + arguments; the text template is in the rule's messageStrings).
  # shellcheck disable=SC2016 # jq program, not shell
  local render='
    .runs[0] as $run
    | $run.results[]? | select(.level == $lvl)
    | (.message.text // ($run.tool.driver.rules[.ruleIndex // -1].messageStrings[.message.id].text)
        // ("(" + (.message.id // "no message") + ")")) as $tmpl
    | (reduce ((.message.arguments // []) | to_entries[]) as $a ($tmpl;
        gsub("\\{" + ($a.key | tostring) + "\\}"; $a.value | tostring; "g"))) as $msg
    | (.locations[0].physicalLocation.region // {}) as $r
    | "multitool: \(.ruleId)" + (if $r.startLine then " (line \($r.startLine)" + (if $r.startColumn then ":\($r.startColumn)" else "" end) + ")" else "" end) + ": \($msg)"'
  jq -r --arg lvl error "$render" "$W/multitool.sarif" >>"$W/problems"
  jq -r --arg lvl warning "$render" "$W/multitool.sarif" | sed 's/^multitool:/multitool warning:/' >"$W/warnings"
  nerr=$(jq '[.runs[0].results[]? | select(.level == "error")] | length' "$W/multitool.sarif")
  [ "$nerr" = 0 ] || return 1
  return 0
}

# ---------------------------------------------------------------- main
record() { # $1 = check name, $2 = its rc; updates $status (error outranks invalid)
  case "$2" in
    0) say "  $1: ok" ;;
    1) say "  $1: INVALID"; [ "$status" = error ] || status=invalid ;;
    *) say "  $1: TOOL ERROR"; status=error ;;
  esac
  # the problems this check found, right under its verdict
  sed 's/^/    /' "$W/problems"
  cat "$W/problems" >>"$W/all-problems"
  : >"$W/problems"
}

W0=$(mktemp -d "${TMPDIR:-/tmp}/sarif-validate.XXXXXX")
trap 'rm -rf "$W0"' EXIT

if ! preflight; then
  exit 2
fi

worst=0
n=0
for f in "$@"; do
  n=$((n + 1))
  W=$W0/$n
  mkdir "$W"
  : >"$W/problems"
  : >"$W/all-problems"
  : >"$W/warnings"
  status=valid
  if [ -d "$f" ] || [ ! -r "$f" ]; then
    toolerr "cannot read $f"
    status=error
  else
    say "== $f"
    rc=0; check_jsonschema "$f" || rc=$?
    if [ "$rc" = 3 ]; then
      status=invalid   # not JSON at all: the other checks would only repeat it
      say "  json: INVALID"
      sed 's/^/    /' "$W/problems"
      cat "$W/problems" >>"$W/all-problems"
    else
      record jsonschema "$rc"
      if [ "$fast" = 0 ]; then
        rc=0; check_ajv "$f" || rc=$?
        record ajv "$rc"
        rc=0; check_multitool "$f" || rc=$?
        record multitool "$rc"
      fi
    fi
  fi
  [ "$quiet" = 1 ] || sed 's/^/    /' "$W/warnings"
  nprob=$(grep -c . "$W/all-problems" || true)
  case "$status" in
    valid)   echo "$f: valid"; code=0 ;;
    invalid) echo "$f: INVALID ($nprob problem$( [ "$nprob" = 1 ] || echo s))"; code=1 ;;
    *)       echo "$f: TOOL ERROR (no verdict)"; code=2 ;;
  esac
  [ "$code" -le "$worst" ] || worst=$code
done
exit "$worst"
