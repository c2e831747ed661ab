#!/usr/bin/env bash
# Run the built image the way production does and check that it serves; then run the Deployment
# rendered from the Helm chart through `podman kube play`. Everything binds 127.0.0.1 on the host
# network, so no traffic leaves loopback; containers and pods are removed on exit.
#
# Environment (set by mk/deploy.mk): DEPLOY_PODMAN, DEPLOY_IMAGE, DEPLOY_TOOLS_PY, DEPLOY_OUT,
# DEPLOY_READY_TIMEOUT_S (default 240), DEPLOY_TEST_ENV (extra KEY=VALUE settings for both runs,
# space-separated; e.g. ANALYZER_ENGINES=fake checks the packaging alone, without model weights).
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/deploy/containers.conf}

read -r -a podman <<<"${DEPLOY_PODMAN:-podman}"
image=${DEPLOY_IMAGE:-localhost/newsroom-analyzer:dev}
tools_py=${DEPLOY_TOOLS_PY:-.venv-tools/bin/python}
out=${DEPLOY_OUT:-build/deploy}/container-test
ready_timeout=${DEPLOY_READY_TIMEOUT_S:-240}
article=deploy/testdata/article.txt
name="newsroom-analyzer-test-$$"
kube_file="$out/kube-play.yaml"
read -r -a test_env <<<"${DEPLOY_TEST_ENV:-}"
run_env=() play_env=()
for kv in "${test_env[@]}"; do
  [[ "$kv" == *=* ]] || { echo "DEPLOY_TEST_ENV: '$kv' is not KEY=VALUE" >&2; exit 2; }
  run_env+=(-e "$kv"); play_env+=(--env "$kv")
done

mkdir -p "$out"
fail() { echo "container-test FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cleanup() {
  local rc=$?
  if [[ $rc -ne 0 ]]; then
    # Logs of a failed run help; they never contain article text (checked below on success).
    echo "--- last container logs ---" >&2
    { "${podman[@]}" logs --tail 40 "$name" 2>&1 || true; } >&2
    if [[ -n "${kube_pod:-}" ]]; then
      { "${podman[@]}" pod logs --tail 40 "$kube_pod" 2>&1 || true; } >&2
    fi
  fi
  "${podman[@]}" rm --force --time 5 "$name" >/dev/null 2>&1 || true
  [[ -f "$kube_file" ]] && "${podman[@]}" kube down "$kube_file" >/dev/null 2>&1 || true
  exit $rc
}
trap cleanup EXIT INT TERM

# wait_ready PORT SECONDS [CONTAINER]: poll /health/ready on loopback until 200; fail at the deadline,
# or at once if CONTAINER has exited (a crash should not cost the whole timeout).
wait_ready() {
  local port=$1 deadline=$(( $(date +%s) + $2 )) ctr=${3:-}
  while (( $(date +%s) < deadline )); do
    if python3 - "$port" <<'EOF'
import sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health/ready", timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except (urllib.error.URLError, OSError):
    sys.exit(1)
EOF
    then
      return 0
    fi
    if [[ -n "$ctr" ]] && [[ "$("${podman[@]}" inspect --format '{{.State.Running}}' "$ctr" 2>/dev/null)" != true ]]; then
      echo "container $ctr exited before becoming ready" >&2
      return 1
    fi
    sleep 0.3
  done
  echo "not ready on 127.0.0.1:$port within $2 s" >&2
  return 1
}

# analyze PORT: post the test article, check summary and quotes, print a one-line result.
analyze() {
  python3 - "$1" "$article" <<'EOF'
import json, sys, time, urllib.request
port, path = int(sys.argv[1]), sys.argv[2]
text = open(path, encoding="utf-8").read()
body = json.dumps({"text": text}).encode()
req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/analyze", data=body, method="POST",
                             headers={"Content-Type": "application/json"})
start = time.monotonic()
with urllib.request.urlopen(req, timeout=60) as r:
    status, answer = r.status, json.load(r)
took = time.monotonic() - start
assert status == 200, f"status {status}"
summary = answer.get("summary") or {}
assert summary.get("text", "").strip(), "empty summary"
quotes = answer.get("quotes") or []
assert quotes, "no quotes found"
for q in quotes:
    assert text[q["start"]:q["end"]] == q["text"], "quote offsets do not match the text"
speakers = sorted({(q.get("speaker") or {}).get("name") or "?" for q in quotes})
print(f"{len(quotes)} quotes, speakers {speakers}, summary {len(summary['text'])} chars, {took * 1000:.0f} ms")
EOF
}

report=()
total_start=$(now)
"${podman[@]}" image exists "$image" || fail "image $image not found; run 'make image' first"
size=$("${podman[@]}" image inspect --format '{{.Size}}' "$image")
report+=("image size: $(awk -v b="$size" 'BEGIN { printf "%.0f MB", b / 1e6 }')")

# --- 1. the image, as a hardened container --------------------------------------------------------
port=$(free_port)
echo "== podman run $image (read-only, --cap-drop ALL, no-new-privileges, 127.0.0.1:$port)"
start=$(now)
"${podman[@]}" run --detach --name "$name" \
  --read-only --tmpfs /tmp:rw,nosuid,nodev,size=512m \
  --cap-drop ALL --security-opt no-new-privileges \
  --network host --memory 2g --cpus 2 \
  -e ANALYZER_HOST=127.0.0.1 -e ANALYZER_PORT="$port" "${run_env[@]}" \
  "$image" >/dev/null 2>"$out/run.err" \
  || { cat "$out/run.err" >&2; fail "podman run failed"; }
# (podman's complaints that it cannot schedule periodic health checks without systemd stay in
# run.err: the HEALTHCHECK itself is exercised below with `podman healthcheck run`.)
wait_ready "$port" "$ready_timeout" "$name" || fail "container did not become ready"
ready_s=$(elapsed "$start")
echo "   ready after ${ready_s} s"
report+=("container start-to-ready: ${ready_s} s")

result=$(analyze "$port") || fail "/v1/analyze check failed"
echo "   /v1/analyze: $result"
report+=("analyze (first request): $result")

uid=$("${podman[@]}" exec "$name" id -u)
user=$("${podman[@]}" image inspect --format '{{.Config.User}}' "$image")
[[ "$uid" != 0 ]] || fail "process runs as root"
[[ "$user" =~ ^[1-9][0-9]*(:[0-9]+)?$ ]] || fail "image USER '$user' is not a numeric non-root id"
echo "   runs as uid $uid (image USER $user)"
if "${podman[@]}" exec "$name" sh -c 'touch /opt/venv/probe' 2>/dev/null; then
  fail "root filesystem is writable"
fi
# `python -m` puts the working directory on sys.path: it must not be writable by the service.
"${podman[@]}" exec "$name" sh -c 'test ! -w "$PWD"' || fail "working directory is writable"
echo "   root filesystem and working directory are read-only"
"${podman[@]}" healthcheck run "$name" >/dev/null || fail "image HEALTHCHECK reports unhealthy"
echo "   HEALTHCHECK healthy"
# The final image carries no build tools, no pip in the service's virtualenv and no pip cache
# (looked at as root, so that unreadable directories cannot hide anything).
"${podman[@]}" run --rm --user 0 --network none --entrypoint sh "$image" -c '
  for tool in gcc cc g++ make; do command -v "$tool" >/dev/null && { echo "build tool: $tool"; exit 1; }; done
  test ! -e /opt/venv/bin/pip || { echo "pip in /opt/venv"; exit 1; }
  for d in /root/.cache/pip /tmp/pip-* /src; do test ! -e "$d" || { echo "leftover: $d"; exit 1; }; done
' 2>>"$out/run.err" || fail "final image holds build tools or caches"
echo "   no build tools, no pip in the venv, no pip cache"
for key in HF_HUB_OFFLINE TRANSFORMERS_OFFLINE; do
  "${podman[@]}" exec "$name" sh -c "test \"\$$key\" = 1" || fail "$key is not set to 1 in the image"
done
# Lean: no weights-package dependency chain, no torch test/bin/include folders; labelled.
"${podman[@]}" exec "$name" python -c '
import importlib.util, pathlib, sys, torch
extra = [m for m in ("sentence_transformers", "sklearn", "scipy") if importlib.util.find_spec(m)]
root = pathlib.Path(torch.__file__).parent
dead = [d for d in ("test", "include") if (root / d).exists()]
dead += [f"bin/{f.name}" for f in (root / "bin").iterdir() if f.name != "torch_shm_manager"]
sys.exit(f"unused packages {extra}, torch folders {dead}" if extra or dead else 0)
' || fail "image carries packages or torch folders the service does not use"
for label in source revision created; do
  value=$("${podman[@]}" image inspect --format "{{index .Labels \"org.opencontainers.image.$label\"}}" "$image")
  [[ -n "$value" && "$value" != unknown ]] || fail "OCI label org.opencontainers.image.$label missing"
done
echo "   no unused dependency chain or torch test/header folders; OCI labels set"
max_mb=${DEPLOY_IMAGE_MAX_MB:-1200}
(( size <= max_mb * 1000000 )) || fail "image is $((size / 1000000)) MB, over the ${max_mb} MB budget"
# Every line the service wrote since its start is a JSON log record (no progress bars, no banners).
if ! "${podman[@]}" logs "$name" 2>&1 | python3 -c '
import json, sys
for line in filter(str.strip, sys.stdin):
    try:
        json.loads(line)
    except ValueError:
        sys.exit(f"non-JSON log line: {line[:120]!r}")
'; then
  fail "the container wrote a line that is not a JSON log record"
fi
echo "   every log line is JSON"

# Graceful stop: SIGTERM, drain, exit 0 well within the grace period.
start=$(now)
"${podman[@]}" stop --time 45 "$name" >/dev/null 2>>"$out/run.err"
stop_s=$(elapsed "$start")
code=$("${podman[@]}" inspect --format '{{.State.ExitCode}}' "$name")
[[ "$code" == 0 ]] || fail "exit code $code after SIGTERM (expected a clean shutdown)"
echo "   stopped cleanly on SIGTERM in ${stop_s} s"
report+=("graceful stop (SIGTERM to exit): ${stop_s} s")
# The logs must never carry article text: look for a phrase that only the article contains.
if "${podman[@]}" logs "$name" 2>&1 | grep -q "pour concrete into the sea"; then
  fail "article text found in the container logs"
fi
echo "   logs hold no article text"
"${podman[@]}" rm "$name" >/dev/null 2>>"$out/run.err"

# --- 2. the chart's Deployment through podman kube play ------------------------------------------
port=$(free_port)
"$tools_py" deploy/chart_test.py kube-play --image "$image" --port "$port" --out "$kube_file" "${play_env[@]}"
echo "== podman kube play $kube_file (hostNetwork, 127.0.0.1:$port)"
start=$(now)
"${podman[@]}" kube play --start "$kube_file" >"$out/kube-play.log" 2>&1 \
  || { cat "$out/kube-play.log" >&2; fail "podman kube play failed"; }
kube_pod=$(awk '/^Pod:/ { getline; print; exit }' "$out/kube-play.log")
ctr=$("${podman[@]}" ps --filter "pod=$kube_pod" --format '{{.Names}}' | grep -v -- '-infra$' | head -n1)
[[ -n "$ctr" ]] || fail "no service container in pod $kube_pod"
wait_ready "$port" "$ready_timeout" "$ctr" || fail "kube play pod did not become ready"
ready_s=$(elapsed "$start")
echo "   pod ${kube_pod:-?} ready after ${ready_s} s"
report+=("kube play start-to-ready: ${ready_s} s")
result=$(analyze "$port") || fail "/v1/analyze via kube play failed"
echo "   /v1/analyze: $result"
uid=$("${podman[@]}" exec "$ctr" id -u)
[[ "$uid" == 10001 ]] || fail "kube play container runs as uid $uid, expected 10001"
ro=$("${podman[@]}" inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$ctr")
[[ "$ro" == true ]] || fail "kube play container root filesystem is not read-only"
echo "   container $ctr: uid $uid, read-only root filesystem"
"${podman[@]}" kube down "$kube_file" >/dev/null 2>>"$out/run.err"

echo
echo "container-test passed in $(elapsed "$total_start") s"
printf '  %s\n' "${report[@]}"
