#!/usr/bin/env bash
# Installs the Debian packages that tests and benchmarks use: Chromium and its driver for the
# real-browser tests. Safe to run again; skips what is already there.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)

if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  # Not ours to install here: the browser test will fail and name what is missing.
  echo "Missing: ${need[*]} (the browser test needs them). On Debian/Ubuntu: sudo apt-get install -y ${need[*]}" >&2
  exit 0
fi
echo "installing: ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
