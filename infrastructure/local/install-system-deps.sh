#!/usr/bin/env bash
# Installs the Debian packages the tests need (Samba AD DC for real-AD tests, Chromium and
# CJK fonts for browser tests, a JRE for DynamoDB Local). Idempotent: does nothing when they
# are already there.
#
#   install-system-deps.sh        everything `make test` needs
#   install-system-deps.sh dev    only what `make dev` needs (java for DynamoDB Local)
#
# As root it installs them; otherwise it prints the exact apt-get line and exits 1.
set -euo pipefail

packages=()
if [ "${1:-}" != "dev" ]; then
  command -v samba >/dev/null 2>&1 && command -v samba-tool >/dev/null 2>&1 || packages+=(samba samba-ad-dc krb5-user winbind)
  dpkg -s samba-ad-dc >/dev/null 2>&1 || packages+=(samba-ad-dc)
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || packages+=(fonts-noto-cjk)
  dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || packages+=(fonts-noto-color-emoji)
fi
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)

if [ ${#packages[@]} -eq 0 ]; then
  [ "${1:-}" = "dev" ] || echo "system packages: all present"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "Missing Debian packages: ${packages[*]}" >&2
  [ "${1:-}" = "dev" ] && echo "(java runs DynamoDB Local, the default store of make dev; make dev STORE=memory needs none)" >&2
  echo "Run: sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi
echo "installing: ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d keeps the packages' own services from starting: the tests start Samba themselves.
# (A machine that already has one keeps it untouched.)
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq "${packages[@]}" >/dev/null
echo "system packages installed"
