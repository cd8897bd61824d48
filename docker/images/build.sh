#!/usr/bin/env bash
# Builds ChaosPg's container images without any image registry: root filesystems come from the Debian mirror that
# apt already uses (debootstrap --variant=minbase), and `docker import` turns them into images.
#
#   docker/images/build.sh [--postgres 15|17|all|none] [--proxy-publish DIR]
#
#   --postgres          which PostgreSQL images to build (default: 15). 15 = Debian bookworm, 17 = Debian trixie.
#   --proxy-publish DIR also build the Toxiproxy-compatible image from the output of
#                       `dotnet publish harness/ChaosPg.Cli -c Release -r linux-x64 --self-contained -o DIR`
#                       (DIR must contain the `chaospg` executable). Without it no proxy image is built.
#
# Tags: chaospg/postgres:<major>-<recipehash> plus the alias chaospg/postgres:<major>;
#       chaospg/toxiproxy:<recipehash> plus the alias chaospg/toxiproxy:latest.
# An image whose hashed tag already exists is not rebuilt; earlier builds of the same image are removed. Root filesystem tarballs are cached under
# $CHAOSPG_CACHE_DIR (default /var/cache/chaospg). CHAOSPG_DEBIAN_MIRROR overrides the mirror read from apt's sources.
# Needs root, debootstrap and a running Docker daemon.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_dir="${CHAOSPG_CACHE_DIR:-/var/cache/chaospg}"

die() { printf 'build.sh: %s\n' "$*" >&2; exit 2; }
log() { printf '[build.sh %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
now_ms() { date +%s%3N; }

postgres_which=15
proxy_publish=""
while [ $# -gt 0 ]; do
    case "$1" in
        --postgres) postgres_which="${2:?--postgres needs 15, 17, all or none}"; shift 2 ;;
        --proxy-publish) proxy_publish="${2:?--proxy-publish needs a directory}"; shift 2 ;;
        -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap needs it)"
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install -y debootstrap"
docker info >/dev/null 2>&1 || die "no Docker daemon answers 'docker info': start dockerd first"

# The mirror of the main archive (the stanza whose suite has no '-', i.e. not -security or -updates) in apt's sources.
debian_mirror() {
    if [ -n "${CHAOSPG_DEBIAN_MIRROR:-}" ]; then printf '%s\n' "$CHAOSPG_DEBIAN_MIRROR"; return; fi
    local f uri
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        uri="$(awk 'BEGIN { RS = ""; FS = "\n" }
            {
                types = ""; uris = ""; suites = ""; enabled = "yes"
                for (i = 1; i <= NF; i++) {
                    line = $i
                    if (line ~ /^#/) continue
                    if (line ~ /^Types:/)   { sub(/^Types:[ \t]*/, "", line); types = line }
                    if (line ~ /^URIs:/)    { sub(/^URIs:[ \t]*/, "", line); uris = line }
                    if (line ~ /^Suites:/)  { sub(/^Suites:[ \t]*/, "", line); suites = line }
                    if (line ~ /^Enabled:/) { sub(/^Enabled:[ \t]*/, "", line); enabled = line }
                }
                if (enabled != "no" && (" " types " ") ~ / deb / && (" " suites " ") ~ / [a-z]+ / && uris != "") {
                    split(uris, u, /[ \t]+/); print u[1]; exit
                }
            }' "$f")"
        if [ -n "$uri" ]; then printf '%s\n' "$uri"; return; fi
    done
    if [ -f /etc/apt/sources.list ]; then
        uri="$(awk '$1 == "deb" {
                i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                if ($(i + 1) ~ /^[a-z]+$/) { print $i; exit }
            }' /etc/apt/sources.list)"
        if [ -n "$uri" ]; then printf '%s\n' "$uri"; return; fi
    fi
    die "no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list (set CHAOSPG_DEBIAN_MIRROR)"
}

# Creates a minbase root filesystem of SUITE with PACKAGES (comma-separated) as an uncompressed tarball at OUT.
# Its recipe (this function's text) is part of the cache key, so editing it invalidates cached tarballs.
make_rootfs() {
    local suite="$1" packages="$2" out="$3" mirror dir
    mirror="$(debian_mirror)"
    dir="$(mktemp -d "$cache_dir/rootfs-$suite.XXXXXX")"
    log "debootstrap $suite from $mirror with $packages"
    if ! debootstrap --variant=minbase --include="$packages" "$suite" "$dir" "$mirror" >"$dir.log" 2>&1; then
        tail -n 30 "$dir.log" >&2
        discard_tree "$dir"
        die "debootstrap $suite failed (log above)"
    fi
    rm -f "$dir.log"
    rm -rf "$dir"/var/lib/postgresql/*/main "$dir"/etc/postgresql/*/main
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/var/log/*.log "$dir"/var/log/apt/*
    rm -rf "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/*
    rm -f "$dir"/etc/hostname "$dir"/etc/resolv.conf "$dir"/etc/machine-id
    tar -C "$dir" --numeric-owner --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' -cf "$out.partial" .
    mv "$out.partial" "$out"
    discard_tree "$dir"
}

# Removes a debootstrap tree, unmounting what debootstrap may have left mounted in it after a failure.
discard_tree() {
    local dir="$1" m
    for m in proc sys dev/pts; do
        if mountpoint -q "$dir/$m" 2>/dev/null; then umount -l "$dir/$m"; fi
    done
    rm -rf "$dir" "$dir.log"
}

hash_of() { sha256sum | cut -c1-12; }

# Prints the path of the cached rootfs tarball for SUITE + PACKAGES, creating it if needed.
rootfs_tarball() {
    local suite="$1" packages="$2" key out start
    key="$( { declare -f make_rootfs; printf '%s|%s\n' "$suite" "$packages"; } | hash_of)"
    out="$cache_dir/rootfs-$suite-$key.tar"
    if [ -f "$out" ]; then
        log "rootfs $suite ($packages): cached $out"
    else
        start="$(now_ms)"
        make_rootfs "$suite" "$packages" "$out"
        log "rootfs $suite: debootstrap + tar took $(( $(now_ms) - start )) ms ($(du -h "$out" | cut -f1))"
    fi
    printf '%s\n' "$out"
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# Removes the earlier builds of REPO whose tags start with PREFIX, but KEEP: each proxy build has a new hash (its
# publish output changes), and superseded images would pile up at some 250 MB each. An image a container still uses
# stays (`docker rmi` refuses it without -f).
prune_superseded() {
    local repo="$1" prefix="$2" keep="$3" tag
    docker images --format '{{.Tag}}' "$repo" | while read -r tag; do
        case "$tag" in
            "$keep" | latest | 15 | 17) ;;
            "$prefix"*) if docker rmi "$repo:$tag" >/dev/null 2>&1; then log "removed the superseded $repo:$tag"; fi ;;
        esac
    done
}

# Imports BASE_TAR plus the files of OVERLAY_DIR as image TAG, with the given `docker import --change` lines.
import_image() {
    local base_tar="$1" overlay_dir="$2" tag="$3" start tmp
    shift 3
    local changes=()
    local c
    for c in "$@"; do changes+=(--change "$c"); done
    tmp="$(mktemp "$cache_dir/import.XXXXXX.tar")"
    start="$(now_ms)"
    cp "$base_tar" "$tmp"
    # Only the overlay's own entries are appended (with their numeric owners), so the other directories of the
    # base keep their modes and owners. Docker refuses a tarball with a path twice: the base's entries for the
    # overlay's paths are deleted first.
    local entries="$tmp.entries" replaced="$tmp.replaced"
    (cd "$overlay_dir" && find . -mindepth 1 \( -type f -o -type l -o -type d -empty \) -print) > "$entries"
    tar -tf "$tmp" | awk 'NR == FNR { want[$0] = 1; next } { name = $0; sub(/\/$/, "", name) } name in want' \
        "$entries" - > "$replaced"
    if [ -s "$replaced" ]; then tar --delete -f "$tmp" -T "$replaced"; fi
    (cd "$overlay_dir" && tar -rf "$tmp" --numeric-owner --no-recursion -T "$entries")
    rm -f "$entries" "$replaced"
    docker import "${changes[@]}" "$tmp" "$tag" >/dev/null || { rm -f "$tmp"; die "docker import of $tag failed"; }
    rm -f "$tmp"
    log "imported $tag in $(( $(now_ms) - start )) ms"
}

build_postgres() {
    local major="$1" suite tag hash base overlay
    case "$major" in
        15) suite=bookworm ;;
        17) suite=trixie ;;
        *) die "no recipe for PostgreSQL $major (known: 15 on bookworm, 17 on trixie)" ;;
    esac
    local packages="postgresql-$major,procps,iproute2"
    hash="$( { declare -f make_rootfs build_postgres import_image; cat "$here/postgres/docker-entrypoint.sh";
               printf '%s|%s\n' "$suite" "$packages"; } | hash_of)"
    tag="chaospg/postgres:$major-$hash"
    if image_exists "$tag"; then
        log "$tag exists: not rebuilt"
    else
        base="$(rootfs_tarball "$suite" "$packages")"
        overlay="$(mktemp -d)"
        install -D -m 0755 "$here/postgres/docker-entrypoint.sh" "$overlay/usr/local/bin/docker-entrypoint.sh"
        install -d -m 0755 "$overlay/docker-entrypoint-initdb.d"
        # Same locations and modes as the official image, owned by the rootfs's own postgres user: a socket
        # directory anyone may use, and a PGDATA that the entrypoint hands over to postgres.
        local owner
        owner="$(tar -xOf "$base" ./etc/passwd | awk -F: '$1 == "postgres" { print $3 ":" $4 }')"
        [ -n "$owner" ] || die "the $suite rootfs has no postgres user"
        install -d -m 3777 -o "${owner%:*}" -g "${owner#*:}" "$overlay/run/postgresql"
        install -d -m 1777 -o "${owner%:*}" -g "${owner#*:}" "$overlay/var/lib/postgresql/data"
        import_image "$base" "$overlay" "$tag" \
            "ENV PATH=/usr/lib/postgresql/$major/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
            "ENV PG_MAJOR=$major" \
            "ENV PGDATA=/var/lib/postgresql/data" \
            "ENV LANG=C.UTF-8" \
            "VOLUME /var/lib/postgresql/data" \
            "EXPOSE 5432" \
            "LABEL org.chaospg.image=postgres org.chaospg.recipe=$hash org.chaospg.suite=$suite" \
            'ENTRYPOINT ["docker-entrypoint.sh"]' \
            'CMD ["postgres"]'
        rm -rf "$overlay"
    fi
    docker tag "$tag" "chaospg/postgres:$major"
    log "chaospg/postgres:$major -> $tag"
    prune_superseded chaospg/postgres "$major-" "$major-$hash"
}

build_proxy() {
    local publish="$1" hash tag base overlay
    [ -x "$publish/chaospg" ] || die "$publish/chaospg is missing or not executable: run dotnet publish harness/ChaosPg.Cli -c Release -r linux-x64 --self-contained -o $publish"
    local packages="curl"
    hash="$( { declare -f make_rootfs build_proxy import_image; cat "$here/toxiproxy/toxiproxy"
               (cd "$publish" && find . -type f -print0 | sort -z | xargs -0 sha256sum);
               printf 'bookworm|%s\n' "$packages"; } | hash_of)"
    tag="chaospg/toxiproxy:$hash"
    if image_exists "$tag"; then
        log "$tag exists: not rebuilt"
    else
        base="$(rootfs_tarball bookworm "$packages")"
        overlay="$(mktemp -d)"
        mkdir -p "$overlay/opt"
        cp -a "$publish" "$overlay/opt/chaospg"
        install -m 0755 "$here/toxiproxy/toxiproxy" "$overlay/toxiproxy"
        import_image "$base" "$overlay" "$tag" \
            "ENV PATH=/opt/chaospg:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
            "ENV LOG_LEVEL=info" \
            "ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1" \
            "EXPOSE 8474" \
            "LABEL org.chaospg.image=toxiproxy org.chaospg.recipe=$hash" \
            'ENTRYPOINT ["/toxiproxy"]' \
            'CMD ["-host=0.0.0.0"]'
        rm -rf "$overlay"
    fi
    docker tag "$tag" chaospg/toxiproxy:latest
    log "chaospg/toxiproxy:latest -> $tag"
    prune_superseded chaospg/toxiproxy "" "$hash"
}

mkdir -p "$cache_dir"
case "$postgres_which" in
    15|17) build_postgres "$postgres_which" ;;
    all) build_postgres 15; build_postgres 17 ;;
    none) ;;
    *) die "--postgres takes 15, 17, all or none, not '$postgres_which'" ;;
esac
if [ -n "$proxy_publish" ]; then build_proxy "$proxy_publish"; fi
