#!/usr/bin/env bash
# Container health: the outbound listener answers with an SMTP 220 greeting. Needs nothing beyond bash (its
# /dev/tcp redirection); the port follows SMIMEGW_OUTBOUND_LISTEN. Installed as
# /usr/local/bin/smime-gateway-healthcheck. A later release brings an HTTP /health endpoint on admin.listen,
# which can replace this.
set -u

listen="${SMIMEGW_OUTBOUND_LISTEN:-127.0.0.1:10025}"
port="${listen##*:}"
host="${listen%:*}"
case "$host" in
    0.0.0.0 | '' | '*') host=127.0.0.1 ;;
    '[::]') host=::1 ;;
    \[*\]) host="${host#[}"; host="${host%]}" ;;
esac

if ! exec 3<>"/dev/tcp/$host/$port"; then
    echo "unhealthy: cannot connect to $host:$port" >&2
    exit 1
fi
greeting=
IFS= read -r -t 5 greeting <&3 || true
printf 'QUIT\r\n' >&3 2>/dev/null || true
exec 3<&-
case "$greeting" in
    220*) exit 0 ;;
    *) echo "unhealthy: $host:$port greeted with '${greeting%$'\r'}', not 220" >&2; exit 1 ;;
esac
