#!/bin/sh
# smime-gateway inside the container: the image's entry point and the command operators run with
# `docker compose exec gateway smime-gateway ...`. Installed as /usr/local/bin/smime-gateway.
#
# It adds `--config /etc/smime-gateway/gateway.properties` unless the arguments already name a --config (the
# option may be given only once), and execs java, so that java receives SIGTERM from `docker stop` directly.
# JAVA_OPTS is split into words on purpose (e.g. JAVA_OPTS="-Xmx512m -Dsmime.digest=sha-384").
set -eu

jar=/opt/smime-gateway/smime-gateway.jar
config=/etc/smime-gateway/gateway.properties

for arg in "$@"; do
    case "$arg" in
        --config | --config=*)
            # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
            exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
            ;;
    esac
done
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:-} -jar "$jar" --config "$config" "$@"
