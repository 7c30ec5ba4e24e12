#!/usr/bin/env bash
# Checks the module layering (docs/architecture.md) in a build of its own (build/layering):
#  1. every header under src/<module>/ compiles alone with only its module's declared
#     dependencies (CMake option GMG_CHECK_HEADERS: one translation unit per header);
#  2. an upward include is refused: a file compiled with governance's flags that includes an
#     activities header must fail with "No such file".
# Usage: scripts/check-layering.sh   (exit 0 = layering holds)
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/layering

# Clang, as the debug build: it parses a header about twice as fast as GCC. A folder configured
# with another compiler is made anew.
grep -qs 'CMAKE_CXX_COMPILER:.*clang++' "$build/CMakeCache.txt" || rm -rf "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DGMG_TESTS=OFF \
  -DGMG_CHECK_HEADERS=ON -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
nice cmake --build "$build" --target gmg_header_check
echo "check-layering: every header compiles with only its module's dependencies"

# The compile command of a governance source, with its output and input replaced.
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf '#include "activities/activity_service.h"\n' > "$probe_dir/upward.cc"
command=$(python3 - "$build/compile_commands.json" "$probe_dir/upward.cc" <<'PY'
import json, shlex, sys
entries = json.load(open(sys.argv[1]))
entry = next(e for e in entries if e["file"].endswith("src/governance/governance_service.cc"))
args = shlex.split(entry["command"])
out = []
skip = False
for a in args:
    if skip:
        skip = False
        continue
    if a in ("-o", "-c", "-MF", "-MT"):
        skip = True
        continue
    if a == "-MD" or a.endswith("governance_service.cc"):
        continue
    out.append(a)
print(shlex.join(out + ["-fsyntax-only", sys.argv[2]]))
PY
)
if output=$(cd "$build" && eval "$command" 2>&1); then
  echo "check-layering: FAILED: governance could include an activities header" >&2
  exit 1
fi
if ! grep -qE "activities/activity_service.h(: No such file|' file not found)" <<<"$output"; then
  echo "check-layering: FAILED: the upward include failed for another reason:" >&2
  echo "$output" >&2
  exit 1
fi
echo "check-layering: an upward include (governance -> activities) is refused"
