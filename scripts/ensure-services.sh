#!/usr/bin/env bash
# Makes sure the servers the integration tests use are up: MariaDB, Redis and NATS with JetStream,
# and that Prometheus is installed.
# Each is started only if its port does not answer.
set -euo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local name=$1 port=$2
  for _ in $(seq 1 100); do
    port_open "$port" && return 0
    sleep 0.2
  done
  echo "ensure-services: $name did not come up on port $port" >&2
  return 1
}

ensure() {
  local name=$1 port=$2
  shift 2
  if port_open "$port"; then
    echo "ensure-services: $name is up on $port"
    return 0
  fi
  echo "ensure-services: starting $name"
  "$@"
  wait_port "$name" "$port"
  echo "ensure-services: $name started on $port"
}

ensure MariaDB 3306 start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
ensure Redis 6379 redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
  --dir /var/lib/redis --logfile /var/log/redis/ci.log
ensure NATS 4222 start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
  -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log

# The dashboard's browser tests drive Debian's Chromium (playwright-core downloads no browser).
if [ ! -x /usr/bin/chromium ]; then
  echo "ensure-services: installing chromium"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "ensure-services: chromium is $(/usr/bin/chromium --version 2>/dev/null | head -1)"

# Prometheus and promtool for the observability suite (installed, not started: tests run their own).
"$(dirname "$0")/ensure-prometheus.sh"
