#!/bin/sh
# Postfix entry point for docker/compose.yaml: writes the wiring from the environment into main.cf, makes a
# self-signed TLS pair if none is mounted, then runs Postfix in the foreground as PID 1 (it stops on SIGTERM).
#
#   POSTFIX_MYHOSTNAME   this MTA's name                             (default mx.org.example)
#   POSTFIX_MYNETWORKS   clients that may relay anywhere through port 587: the gateway
#                        (default: the subnets of this container's interfaces, i.e. the compose network)
#   POSTFIX_RELAYHOST    where outgoing mail goes; empty: by MX      (default empty)
#   ORG_DOMAINS          the organisation's domains, comma-separated (default org.example)
#   GATEWAY_INBOUND      next hop for mail to ORG_DOMAINS            (default smtp:[gateway]:10026)
set -eu

myhostname="${POSTFIX_MYHOSTNAME:-mx.org.example}"
mynetworks="${POSTFIX_MYNETWORKS:-}"
relayhost="${POSTFIX_RELAYHOST:-}"
domains="$(printf '%s' "${ORG_DOMAINS:-org.example}" | tr ',' ' ')"
nexthop="${GATEWAY_INBOUND:-smtp:[gateway]:10026}"

transport=
for domain in $domains; do
    transport="${transport:+$transport, }$domain=$nexthop"
done
if [ -z "$transport" ]; then
    echo "postfix-entrypoint: ORG_DOMAINS names no domain" >&2
    exit 1
fi

if [ -n "$mynetworks" ]; then
    postconf -e "mynetworks = $mynetworks"
else
    # computed by Postfix from mynetworks_style = subnet (main.cf)
    postconf -X mynetworks
fi
postconf -e \
    "myhostname = $myhostname" \
    "relayhost = $relayhost" \
    "relay_domains = $domains" \
    "transport_maps = inline:{ $transport }"

tls=/etc/postfix/tls
if [ ! -s "$tls/key.pem" ] || [ ! -s "$tls/cert.pem" ]; then
    mkdir -p "$tls"
    (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$myhostname" \
        -addext "subjectAltName=DNS:$myhostname" -keyout "$tls/key.pem" -out "$tls/cert.pem" 2>/dev/null)
    echo "postfix-entrypoint: created a self-signed TLS certificate for $myhostname" >&2
fi

echo "postfix-entrypoint: relaying through port 587 for $(postconf -h mynetworks)" >&2
postfix check
exec postfix start-fg
