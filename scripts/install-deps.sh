#!/usr/bin/env bash
# Installs the Debian packages Xinsheng needs, only those that are missing.
# Swift itself is expected at /opt/swift or on PATH (it is not a Debian package).
set -euo pipefail

# Build and run: ICU, libxml2 and zlib (archive mining), SQLite. With --test also what the test suite
# drives: headless Chromium (the console's browser test) and a CJK font so
# its screenshots are legible.
packages=(libicu-dev libxml2-dev zlib1g-dev libsqlite3-dev pkg-config)
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium fonts-wqy-zenhei)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "swift is at /opt/swift/usr/bin but not on PATH; the Makefile adds it" >&2
  else
    echo "error: Swift 6 is not installed (expected swift on PATH or at /opt/swift/usr/bin)" >&2
    exit 1
  fi
fi
