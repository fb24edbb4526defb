#!/usr/bin/env bash
# Install what the tests need beyond pip: Debian's chromium (browser tests), virtuoso-opensource
# (the external triple store) and libjemalloc2 (the query workers' allocator, `serve
# --worker-malloc`). Skips what is already there; never fails the build on its own: the tests that
# need a missing program skip and say why.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
ldconfig -p 2>/dev/null | grep -q 'libjemalloc\.so\.2' || need+=(libjemalloc2)
if [ ${#need[@]} -eq 0 ]; then
  echo "system deps: chromium, virtuoso and jemalloc present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "system deps: not root and no sudo; cannot install ${need[*]} (their tests will skip)"; exit 0
  fi
fi
echo "system deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null 2>&1 || true
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/iapgraph-apt.log 2>&1 \
  || echo "system deps: apt-get install ${need[*]} failed (see /tmp/iapgraph-apt.log); their tests will skip"
exit 0
