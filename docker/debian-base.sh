#!/usr/bin/env bash
# Puts docker.io/library/debian:bookworm-slim into podman's storage where no image registry can be reached, so that
# `podman build --pull=never -f docker/Dockerfile .` finds the base image of every stage. The image is made from
# Debian's own packages: `debootstrap --variant=minbase bookworm` from this machine's Debian mirror, trimmed as the
# official slim image is, then `podman import`. The root file system is cached as a tar file, so it is made once per
# machine; a run where the image is present does nothing.
#
#   docker/debian-base.sh           # ContainerImageIT runs it before every build
#
# Environment: SMIMEGW_BASE_CACHE (default /var/cache/smime-gateway-test) holds the tar file, delete it to make the
# base again (for newer packages); DEBIAN_MIRROR / DEBIAN_SECURITY_MIRROR override the mirrors read from /etc/apt.
# CONTAINERS_CONF defaults to docker/podman/containers.conf. Needs root, debootstrap and podman (./test installs
# them). Prints one line when it does something; fails with one line naming the step.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/podman/containers.conf}"

image=docker.io/library/debian:bookworm-slim
cache="${SMIMEGW_BASE_CACHE:-/var/cache/smime-gateway-test}"
tarball="$cache/debian-bookworm-slim.tar"

say() { printf 'debian-base: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and podman's system storage), not as uid $(id -u)"
command -v podman >/dev/null || die "podman is not installed: apt-get install podman runc"

# fast path, without the lock: nothing to do
podman image exists "$image" && exit 0

mkdir -p "$cache"
# two test runs at once make and import the image once
exec 9>"$cache/.lock"
flock -w 900 9 || die "another run has held $cache/.lock for 15 minutes"
podman image exists "$image" && exit 0

# The URI of the first deb822 stanza (sources.list.d/*.sources) or one-line entry (sources.list) whose suites
# include $1 exactly.
mirror_of() {
    local suite="$1" file
    for file in /etc/apt/sources.list.d/*.sources; do
        [ -f "$file" ] || continue
        awk -v RS= -v suite="$suite" '
            { uri = ""; ok = 0
              n = split($0, lines, "\n")
              for (i = 1; i <= n; i++) {
                  if (lines[i] ~ /^URIs:/) { split(lines[i], u, /[ \t]+/); uri = u[2] }
                  if (lines[i] ~ /^Suites:/) {
                      m = split(lines[i], s, /[ \t]+/)
                      for (j = 2; j <= m; j++) if (s[j] == suite) ok = 1
                  }
                  if (lines[i] ~ /^Types:/ && lines[i] !~ /[ \t]deb([ \t]|$)/) { ok = -1 }
              }
              if (ok == 1 && uri != "") { print uri; exit } }' "$file"
    done | head -n 1 | grep . && return
    # shellcheck disable=SC2016 # awk program
    awk -v suite="$suite" '
        $1 == "deb" { f = ($2 ~ /^\[/) ? 4 : 3; if ($f == suite) { print ((f == 4) ? $3 : $2); exit } }' \
        /etc/apt/sources.list 2>/dev/null | grep .
}

if [ ! -s "$tarball" ]; then
    command -v debootstrap >/dev/null || die "debootstrap is not installed: apt-get install debootstrap"
    mirror="${DEBIAN_MIRROR:-$(mirror_of bookworm || echo http://deb.debian.org/debian)}"
    security="${DEBIAN_SECURITY_MIRROR:-$(mirror_of bookworm-security || echo http://deb.debian.org/debian-security)}"
    root="$(mktemp -d "$cache/rootfs.XXXXXX")"
    trap 'rm -rf "$root" "$tarball.new"' EXIT
    say "debootstrap --variant=minbase bookworm from $mirror into $root (once per machine; cached in $tarball)"
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$cache/debootstrap.log" 2>&1 \
        || die "debootstrap failed; log: $cache/debootstrap.log"

    # What the official slim image keeps out (debuerreotype's slimify): documentation, manual pages and translations,
    # now and for every package installed later, which keeps the gateway image small too.
    cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# the "slim" variant: files normally unneeded in containers are excluded, and this keeps them so
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
    find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$root"/usr/share/{groff,info,linda,lintian/overrides,locale,man}/*
    # apt as in the official image: no translations, no kept package files
    printf 'Acquire::Languages "none";\n' >"$root/etc/apt/apt.conf.d/docker-no-languages"
    clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
    printf '%s\n' "DPkg::Post-Invoke { $clean };" "APT::Update::Post-Invoke { $clean };" \
        'Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";' >"$root/etc/apt/apt.conf.d/docker-clean"
    # the official image's sources (bookworm, bookworm-updates, bookworm-security), from this machine's mirrors
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/* "$root"/tmp/*
    : >"$root/etc/hostname"
    tar --numeric-owner --xattrs -C "$root" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
        -cf "$tarball.new" . || die "cannot write $tarball.new"
    mv -f "$tarball.new" "$tarball"
    rm -rf "$root"
    trap - EXIT
fi

say "importing $tarball as $image"
podman import --quiet --change 'CMD ["bash"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --message "debootstrap --variant=minbase bookworm (docker/debian-base.sh)" "$tarball" "$image" >/dev/null \
    || die "podman import $tarball failed"
