#!/usr/bin/env bash
# Build a local stand-in for docker.io/library/python:3.11-slim and import it into podman's store.
#
# Why: the build hosts reach package registries only, so no base image can be pulled. A Debian
# bookworm minbase root with Python 3.11 behaves like the official slim image for everything the
# Dockerfile relies on (python, venv, pip, useradd, CA certificates), so the Dockerfile builds
# unchanged here and against the real image elsewhere.
#
# Usage: deploy/make_base.sh ROOTFS_DIR   (podman flags come from DEPLOY_PODMAN, see mk/deploy.mk)
set -euo pipefail
# The engine settings these hosts need (runc, rlimits), unless the caller chose others.
export CONTAINERS_CONF=${CONTAINERS_CONF:-$(cd "$(dirname "$0")" && pwd)/containers.conf}

rootfs=${1:?usage: make_base.sh ROOTFS_DIR}
image=${DEPLOY_BASE_IMAGE:-docker.io/library/python:3.11-slim}
read -r -a podman <<<"${DEPLOY_PODMAN:-podman}"

die() { echo "make_base: $*" >&2; exit 1; }

if "${podman[@]}" image exists "$image"; then
  echo "make_base: $image already present; nothing to do"
  exit 0
fi

# The host's own Debian mirror is the one that is reachable; read it rather than hard-coding it.
mirror=${DEPLOY_DEBIAN_MIRROR:-}
if [[ -z "$mirror" ]]; then
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    [[ -f "$f" ]] || continue
    mirror=$(awk '/^URIs:/ {print $2; exit} /^deb / {print $2; exit}' "$f")
    [[ -n "$mirror" ]] && break
  done
fi
[[ -n "$mirror" ]] || die "no Debian mirror found; set DEPLOY_DEBIAN_MIRROR"
command -v debootstrap >/dev/null || die "debootstrap missing (apt-get install debootstrap)"

# A half-written root from an interrupted run would be imported silently broken: start clean
# unless the marker of a finished debootstrap is there.
if [[ ! -f "$rootfs/.debootstrap-complete" ]]; then
  rm -rf "$rootfs"
  mkdir -p "$rootfs"
  echo "make_base: debootstrap bookworm into $rootfs from $mirror"
  debootstrap --variant=minbase \
    --include=python3,python3-venv,python3-pip,ca-certificates,passwd \
    bookworm "$rootfs" "$mirror"
  touch "$rootfs/.debootstrap-complete"
fi

# Shape it like the official image: a plain `pip install` is allowed (PEP 668 marker removed),
# and python/pip are on PATH under /usr/local/bin.
rm -f "$rootfs/usr/lib/python3.11/EXTERNALLY-MANAGED"
ln -sf /usr/bin/python3 "$rootfs/usr/local/bin/python"
ln -sf /usr/bin/python3 "$rootfs/usr/local/bin/python3"
ln -sf /usr/bin/pip3 "$rootfs/usr/local/bin/pip"
ln -sf /usr/bin/pip3 "$rootfs/usr/local/bin/pip3"
# pip inside RUN steps verifies TLS against the host's bundle (it may hold a local CA).
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
# Keep apt lists and caches out of the base, as the official slim image does.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin

echo "make_base: importing as $image"
tar --exclude=./.debootstrap-complete -C "$rootfs" -c . \
  | "${podman[@]}" import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["python3"]' \
      - "$image" >/dev/null
"${podman[@]}" image exists "$image" || die "import of $image failed"
echo "make_base: done"
