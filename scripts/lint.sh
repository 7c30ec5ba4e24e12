#!/usr/bin/env bash
# make lint: the C++ sources must be formatted as .clang-format says and pass .clang-tidy's
# checks (warnings are errors). clang-tidy reads the debug build's compile_commands.json, so the
# build directory must be configured first (make lint does it).
#   scripts/lint.sh [--fix-format]     # --fix-format rewrites the files instead of checking
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build/debug}
JOBS=${JOBS:-$(nproc)}

mapfile -t sources < <(git ls-files 'src/*.cc' 'src/*.h' 'fuzz/*.cc' 'bench/*.cc')
mapfile -t units < <(git ls-files 'src/*.cc' | grep -v '_test\.cc$')

if [[ "${1:-}" == "--fix-format" ]]; then
  clang-format -i "${sources[@]}"
  exit 0
fi

echo "lint: clang-format on ${#sources[@]} files"
clang-format --dry-run --Werror "${sources[@]}"

echo "lint: clang-tidy on ${#units[@]} translation units ($JOBS at a time)"
[[ -f "$BUILD_DIR/compile_commands.json" ]] || { echo "lint: no $BUILD_DIR/compile_commands.json (configure first)" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! printf '%s\n' "${units[@]}" |
    xargs -P "$JOBS" -n 4 clang-tidy -p "$BUILD_DIR" --quiet --warnings-as-errors='*' >"$log" 2>&1; then
  grep -E "(warning|error):" "$log" >&2 || cat "$log" >&2
  echo "lint: clang-tidy found problems (above)" >&2
  exit 1
fi
echo "lint: clean"
