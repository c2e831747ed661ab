#!/usr/bin/env bash
# Build the service image with podman, as `make image` does, and report build time and size.
#
# Environment (set by mk/deploy.mk; defaults in brackets):
#   DEPLOY_PODMAN          podman command with its storage flags [podman]
#   DEPLOY_IMAGE           tag to build [localhost/newsroom-analyzer:dev]
#   DEPLOY_BASE_STANDIN    1: build the python:3.11-slim stand-in if missing and never pull [1]
#   DEPLOY_ROOTFS          where the stand-in's root filesystem is kept [.rootfs/python-3.11-slim]
#   DEPLOY_WHEELS          local wheel folder handed in as the `wheels` build context [none]
#   DEPLOY_TORCH_INDEX_URL torch index; empty with DEPLOY_WHEELS [Dockerfile default]
#   DEPLOY_ABSTRACTIVE_DIR abstractive model directory to bake in [none]
#   DEPLOY_SOURCE          OCI source label [the Dockerfile's]
#   DEPLOY_BUILD_ARGS      extra `podman build` arguments, e.g. --no-cache
set -euo pipefail
# The engine settings these hosts need (runc, rlimits), unless the caller chose others.
export CONTAINERS_CONF=${CONTAINERS_CONF:-$(cd "$(dirname "$0")" && pwd)/containers.conf}
cd "$(dirname "$0")/.."

read -r -a podman <<<"${DEPLOY_PODMAN:-podman}"
image=${DEPLOY_IMAGE:-localhost/newsroom-analyzer:dev}
die() { echo "build_image: $*" >&2; exit 1; }

deploy/ensure_podman.sh

args=(build --network=host --format docker -f Dockerfile -t "$image")
# OCI labels: the commit (with -dirty for uncommitted changes), the build time, the source.
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
[[ -z "$(git status --porcelain 2>/dev/null)" ]] || revision+=-dirty
args+=(--build-arg "REVISION=$revision" --build-arg "CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)")
[[ -z "${DEPLOY_SOURCE:-}" ]] || args+=(--build-arg "SOURCE=$DEPLOY_SOURCE")
if [[ "${DEPLOY_BASE_STANDIN:-1}" == 1 ]]; then
  base=docker.io/library/python:3.11-slim
  DEPLOY_PODMAN="${DEPLOY_PODMAN:-podman}" deploy/make_base.sh "${DEPLOY_ROOTFS:-.rootfs/python-3.11-slim}"
  # The stand-in is built here, so its digest is this host's: pin the build to it.
  digest=$("${podman[@]}" image inspect --format '{{.Digest}}' "$base")
  args+=(--pull=never --build-arg "PYTHON_IMAGE=$base@$digest")
  echo "build_image: base $base@$digest (local stand-in)"
fi
if [[ -n "${DEPLOY_WHEELS:-}" ]]; then
  [[ -d "$DEPLOY_WHEELS" ]] || die "DEPLOY_WHEELS=$DEPLOY_WHEELS is not a directory"
  compgen -G "$DEPLOY_WHEELS/torch-*+cpu-*.whl" >/dev/null \
    || die "no torch CPU wheel in $DEPLOY_WHEELS"
  args+=(--build-context "wheels=$(realpath "$DEPLOY_WHEELS")")
fi
if [[ -n "${DEPLOY_TORCH_INDEX_URL+set}" ]]; then
  args+=(--build-arg "TORCH_INDEX_URL=${DEPLOY_TORCH_INDEX_URL}")
fi
if [[ -n "${DEPLOY_ABSTRACTIVE_DIR:-}" ]]; then
  [[ -f "$DEPLOY_ABSTRACTIVE_DIR/config.json" ]] \
    || die "DEPLOY_ABSTRACTIVE_DIR=$DEPLOY_ABSTRACTIVE_DIR has no config.json"
  args+=(--build-context "abstractive=$(realpath "$DEPLOY_ABSTRACTIVE_DIR")"
         --build-arg ABSTRACTIVE_MODEL_DIR=/opt/models/abstractive)
fi
read -r -a extra <<<"${DEPLOY_BUILD_ARGS:-}"
args+=("${extra[@]}" .)

echo "build_image: podman ${args[*]}"
start=$(date +%s.%N)
"${podman[@]}" "${args[@]}"
end=$(date +%s.%N)

size=$("${podman[@]}" image inspect --format '{{.Size}}' "$image")
awk -v s="$start" -v e="$end" -v b="$size" -v i="$image" \
  'BEGIN { printf "build_image: %s built in %.1f s; size %.0f MB (%d bytes)\n", i, e - s, b / 1e6, b }'
