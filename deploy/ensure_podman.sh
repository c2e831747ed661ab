#!/usr/bin/env bash
# Make sure podman and what it needs on these hosts are installed (Debian/Ubuntu, via apt-get).
#   catatonit: `podman kube play` pod infra;  runc: the runtime named in deploy/containers.conf;
#   debootstrap: the local python:3.11-slim stand-in (deploy/make_base.sh).
set -euo pipefail

needed=(podman buildah runc debootstrap catatonit)
missing=()
for tool in "${needed[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
# catatonit lives outside PATH on some distributions.
if [[ " ${missing[*]} " == *" catatonit "* ]] && [[ -x /usr/libexec/podman/catatonit ]]; then
  missing=("${missing[@]/catatonit/}")
fi
[[ -z "${missing[*]// /}" ]] && exit 0

echo "ensure_podman: installing podman and friends (missing: ${missing[*]})"
if ! command -v apt-get >/dev/null; then
  echo "ensure_podman: no apt-get here; install podman, buildah, runc, debootstrap and catatonit yourself" >&2
  exit 1
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "ensure_podman: need root or sudo for apt-get" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends \
  podman buildah runc debootstrap catatonit uidmap fuse-overlayfs slirp4netns \
  containernetworking-plugins >/dev/null
echo "ensure_podman: $(podman --version)"
