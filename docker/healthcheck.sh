#!/usr/bin/env bash
# Container health: GET /health/ready on admin.listen answers 200 (docs/monitoring.md): the store and the upstream
# relays have not been unreachable for longer than admin.health.grace. Needs nothing beyond bash (its /dev/tcp
# redirection); the address follows SMIMEGW_ADMIN_LISTEN. Installed as /usr/local/bin/smime-gateway-healthcheck.
set -u

listen="${SMIMEGW_ADMIN_LISTEN:-127.0.0.1:8025}"
port="${listen##*:}"
host="${listen%:*}"
case "$host" in
    0.0.0.0 | '' | '*') host=127.0.0.1 ;;
    '[::]') host=::1 ;;
    \[*\]) host="${host#[}"; host="${host%]}" ;;
esac

# bash's own "connection refused" lines are left out: the health log keeps one line per failed check
if ! { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null; then
    echo "unhealthy: cannot connect to the admin server on $host:$port" >&2
    exit 1
fi
printf 'GET /health/ready HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$host" >&3
status=
IFS= read -r -t 5 status <&3 || true
body=$(timeout 5 cat <&3 2>/dev/null | tail -c 2000)
exec 3<&-
case "$status" in
    'HTTP/1.'?' 200'*) exit 0 ;;
    *) echo "unhealthy: $host:$port /health/ready answered '${status%$'\r'}': ${body##*$'\r\n\r\n'}" >&2; exit 1 ;;
esac
