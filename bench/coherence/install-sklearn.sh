#!/usr/bin/env bash
# scikit-learn for bench/coherence/run.py, the way issue 10 says: `apt-get install
# python3-sklearn` pulls libboost1.74-dev (through python3-pythran), which conflicts with the
# Boost 1.81 the server builds with. So: download python3-scipy, python3-sklearn and
# python3-sklearn-lib, unpack them into a private folder (.tools/sklearn), install only their
# runtime needs, and point PYTHONPATH at the unpacked dist-packages.
# The Debian packages are built for Debian's own Python (/usr/bin/python3), not for another one
# first on PATH (pyenv): use that one. Prints the PYTHONPATH to use on its last line. Idempotent.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DEST="$ROOT/.tools/sklearn"
SITE="$DEST/usr/lib/python3/dist-packages"
PY=/usr/bin/python3
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

need_runtime=0
"$PY" -c 'import numpy, joblib, threadpoolctl, decorator' 2>/dev/null || need_runtime=1
[ -e /usr/lib/x86_64-linux-gnu/liblbfgsb.so.0 ] || ls /usr/lib/*/liblbfgsb.so.0 >/dev/null 2>&1 || need_runtime=1
if [ "$need_runtime" = 1 ]; then
  $SUDO apt-get install -y --no-install-recommends python3-numpy python3-joblib python3-threadpoolctl \
    python3-decorator liblbfgsb0 >&2
fi

if ! PYTHONPATH="$SITE" "$PY" -c 'import sklearn, scipy' 2>/dev/null; then
  mkdir -p "$DEST/debs"
  (cd "$DEST/debs" && apt-get download python3-scipy python3-sklearn python3-sklearn-lib >&2)
  for deb in "$DEST"/debs/*.deb; do dpkg -x "$deb" "$DEST"; done
fi
PYTHONPATH="$SITE" "$PY" -c 'import sklearn, scipy; print("scikit-learn", sklearn.__version__, "scipy", scipy.__version__)' >&2
echo "$SITE"
