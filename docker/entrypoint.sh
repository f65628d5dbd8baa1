#!/usr/bin/env bash
# smime-gateway inside the container: the image's entry point and the command operators run with
# `docker exec CONTAINER smime-gateway ...`. Installed as /usr/local/bin/smime-gateway.
#
# Before java starts, it checks what would otherwise fail later or obscurely, and stops with one line naming the path
# and the fix: the configuration file must be readable, and the data volume and everything at its top must belong to
# the user the gateway runs as. It adds the certificates mounted under /certificates to a trust store of its own
# (used by outbound.relay.tls=required and inbound.relay.tls=required), adds `--config
# /etc/smime-gateway/gateway.properties` unless the arguments name a --config (the option may be given only once),
# and execs java, so that java receives SIGTERM from `docker stop` directly. JAVA_OPTS is split into words on purpose
# (e.g. JAVA_OPTS="-Xmx512m -Dsmime.digest=sha-384").
set -eu

jar=/opt/smime-gateway/smime-gateway.jar
config=/etc/smime-gateway/gateway.properties
data=/var/lib/smime-gateway
certificates=/certificates
debian_trust=/etc/ssl/certs/java/cacerts
trust="$data/truststore.jks"
uid=$(id -u)

fail() {
    printf 'smime-gateway: %s\n' "$*" >&2
    exit 1
}

owner() {
    stat -c %u "$1"
}

# Whether the arguments name a --config, and the command: as the launcher ./smime-gateway does, a command other than
# run and demo lasts a second or less and gets the first JIT tier only, which compiles in a fraction of the time.
given_config=false
tier=-XX:TieredStopAtLevel=1
command_seen=false
value=false
for arg in "$@"; do
    case "$arg" in
        --config | --config=*) given_config=true ;;
    esac
    if $value; then
        value=false
    elif ! $command_seen; then
        case "$arg" in
            run | demo) tier= ; command_seen=true ;;
            --config) value=true ;;
            -*) ;;
            *) command_seen=true ;;
        esac
    fi
done

if ! $given_config; then
    if [ ! -e "$config" ]; then
        fail "no configuration file $config: mount one there (-v FILE:$config:ro), or remove the mount that hides it"
    elif [ ! -r "$config" ] || [ ! -f "$config" ]; then
        fail "cannot read the configuration file $config as uid $uid (owner uid $(owner "$config"), mode" \
            "$(stat -c %a "$config")): make it readable by uid $uid (chmod 644 on the host)"
    fi
fi

# The volume: a directory this uid may write, holding nothing of another owner (a backup restored as root, a bind
# mount made by hand). H2 would otherwise fail at its first write with a message that names neither.
if [ ! -d "$data" ] || [ ! -w "$data" ] || [ ! -x "$data" ]; then
    fail "$data is owned by uid $(owner "$data") and not writable by uid $uid, the user the gateway runs as:" \
        "chown -R $uid:$uid the volume's directory on the host (docker/README.md, \"The data volume\")"
fi
foreign=$(find "$data" -mindepth 1 -maxdepth 2 -not -user "$uid" -not -path "$data/lost+found" -print -quit 2>/dev/null)
if [ -n "$foreign" ]; then
    fail "$foreign is owned by uid $(owner "$foreign"), not by uid $uid, the user the gateway runs as:" \
        "chown -R $uid:$uid the volume's directory on the host (docker/README.md, \"The data volume\")"
fi

# Certificates under /certificates (PEM, one or many per file, or DER; *.pem, *.crt, *.cer) are trusted in addition to
# Debian's. The trust store is made again only when Debian's store or a file there changed (a digest of both is kept
# beside it), so `smime-gateway` commands run with `docker exec` do not pay for keytool.
mapfile -t mounted < <(find "$certificates" -type f \( -name '*.pem' -o -name '*.crt' -o -name '*.cer' \) 2>/dev/null \
    | sort)
if [ ${#mounted[@]} -gt 0 ]; then
    digest=$(sha256sum "$debian_trust" "${mounted[@]}" | sha256sum | cut -d ' ' -f 1)
    if [ ! -f "$trust" ] || [ "$(cat "$trust.sha256" 2>/dev/null)" != "$digest" ]; then
        work=$(mktemp -d "$data/.truststore.XXXXXX")
        trap 'rm -rf "$work"' EXIT
        cp "$debian_trust" "$work/truststore.jks"
        n=0
        for file in "${mounted[@]}"; do
            # keytool imports one certificate per run: a PEM bundle is split first
            awk -v prefix="$work/part-" '
                /-----BEGIN CERTIFICATE-----/ { part = prefix (++count) ".pem" }
                part { print > part }
                /-----END CERTIFICATE-----/ { close(part); part = "" }' "$file"
            parts=("$work"/part-*.pem)
            [ -e "${parts[0]}" ] || parts=("$file")
            for part in "${parts[@]}"; do
                n=$((n + 1))
                if ! out=$(keytool -importcert -noprompt -keystore "$work/truststore.jks" -storepass changeit \
                    -alias "certificates-$n-$(basename "$file")" -file "$part" 2>&1); then
                    fail "cannot add $file to the trust store:" \
                        "$(printf '%s' "$out" | grep -v '^Warning' | paste -s -d ' ')"
                fi
            done
            rm -f "$work"/part-*.pem
        done
        printf '%s\n' "$digest" >"$work/truststore.sha256"
        # moved into place, store first: a command starting meanwhile sees a whole store
        mv -f "$work/truststore.jks" "$trust"
        mv -f "$work/truststore.sha256" "$trust.sha256"
        rm -rf "$work"
        trap - EXIT
    fi
    JAVA_OPTS="-Djavax.net.ssl.trustStore=$trust ${JAVA_OPTS:-}"
fi

# JAVA_OPTS come after the tier and win
if $given_config; then
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options, $tier one or none
    exec java $tier ${JAVA_OPTS:-} -jar "$jar" "$@"
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options, $tier one or none
exec java $tier ${JAVA_OPTS:-} -jar "$jar" --config "$config" "$@"
