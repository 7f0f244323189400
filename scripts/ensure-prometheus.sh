#!/usr/bin/env bash
# Installs Debian's Prometheus (prometheus and promtool) when missing: the observability suite
# runs a real Prometheus against AISBF. The package's own service is not needed and not started.
set -euo pipefail
if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
  echo "ensure-prometheus: $(prometheus --version 2>&1 | head -1)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
echo "ensure-prometheus: installing Debian's prometheus package"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y --no-install-recommends prometheus >/dev/null 2>&1 || {
  $SUDO apt-get update >/dev/null
  $SUDO apt-get install -y --no-install-recommends prometheus >/dev/null
}
# Where a service manager started the packaged daemon, stop it: tests start their own.
if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then $SUDO systemctl stop prometheus || true; fi
echo "ensure-prometheus: $(prometheus --version 2>&1 | head -1)"
