{{/*
Chart name, truncated to 63 characters (DNS label limit).
*/}}
{{- define "newsroom-analyzer.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name. A release name that already contains the chart name is used as is.
*/}}
{{- define "newsroom-analyzer.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "newsroom-analyzer.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "newsroom-analyzer.labels" -}}
helm.sh/chart: {{ include "newsroom-analyzer.chart" . }}
{{ include "newsroom-analyzer.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: newsroom
{{- end }}

{{- define "newsroom-analyzer.selectorLabels" -}}
app.kubernetes.io/name: {{ include "newsroom-analyzer.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "newsroom-analyzer.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "newsroom-analyzer.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference: repository@digest when a digest is given, else repository:tag.
*/}}
{{- define "newsroom-analyzer.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Name of the Secret holding the API token.
*/}}
{{- define "newsroom-analyzer.secretName" -}}
{{- default (include "newsroom-analyzer.fullname" .) .Values.apiToken.existingSecret }}
{{- end }}

{{/*
Claim backing the model volume.
*/}}
{{- define "newsroom-analyzer.modelClaimName" -}}
{{- default (printf "%s-models" (include "newsroom-analyzer.fullname" .)) .Values.modelVolume.existingClaim }}
{{- end }}

{{/*
ANALYZER_ABSTRACTIVE_DIR for a mounted model volume.
*/}}
{{- define "newsroom-analyzer.abstractiveDir" -}}
{{- if .Values.modelVolume.path }}
{{- printf "%s/%s" (trimSuffix "/" .Values.modelVolume.mountPath) (trimPrefix "/" .Values.modelVolume.path) }}
{{- else }}
{{- .Values.modelVolume.mountPath }}
{{- end }}
{{- end }}

{{/*
The encoder directory inside the encoder volume.
*/}}
{{- define "newsroom-analyzer.encoderDir" -}}
{{- $v := .Values.encoderVolume }}
{{- if $v.path }}
{{- printf "%s/%s" (trimSuffix "/" $v.mountPath) (trimPrefix "/" $v.path) }}
{{- else }}
{{- $v.mountPath }}
{{- end }}
{{- end }}

{{/*
Refuse combinations that would deploy something broken, at render time rather than in the cluster.
*/}}
{{- define "newsroom-analyzer.validate" -}}
{{- $t := .Values.termination }}
{{- $needed := add (int $t.preStopSleepSeconds) (int .Values.config.drainS) (int .Values.config.shutdownTimeoutS) }}
{{- if lt (int $t.terminationGracePeriodSeconds) (int $needed) }}
{{- fail (printf "termination.terminationGracePeriodSeconds (%d) must be at least termination.preStopSleepSeconds + config.drainS + config.shutdownTimeoutS (%d)" (int $t.terminationGracePeriodSeconds) (int $needed)) }}
{{- end }}
{{- if and .Values.apiToken.enabled (not .Values.apiToken.existingSecret) }}
{{- if lt (len .Values.apiToken.value) 16 }}
{{- fail "apiToken.enabled needs apiToken.existingSecret, or apiToken.value of at least 16 characters" }}
{{- end }}
{{- end }}
{{- if and .Values.config.authOps (not .Values.apiToken.enabled) }}
{{- fail "config.authOps requires apiToken.enabled" }}
{{- end }}
{{- if and .Values.encoderVolume.enabled .Values.config.encoderDir }}
{{- fail "set config.encoderDir (a path inside the image) or encoderVolume (a mounted encoder), not both" }}
{{- end }}
{{- if and .Values.encoderVolume.enabled (not .Values.encoderVolume.volume) }}
{{- fail "encoderVolume.volume: give a volume source (persistentVolumeClaim, image, emptyDir filled by an init container)" }}
{{- end }}
{{- if and .Values.llm.url (not .Values.llm.model) }}
{{- fail "llm.model: name the model the endpoint at llm.url serves" }}
{{- end }}
{{- if and .Values.llm.url (or .Values.modelVolume.enabled .Values.config.abstractiveDir) }}
{{- fail "set llm.url (an endpoint) or modelVolume / config.abstractiveDir (a local model), not both" }}
{{- end }}
{{- if and .Values.httpRoute.enabled (not .Values.httpRoute.parentRefs) }}
{{- fail "httpRoute.parentRefs: name the Gateway(s) the route attaches to" }}
{{- end }}
{{- if and .Values.keda.enabled (not .Values.keda.prometheusAddress) }}
{{- fail "keda.prometheusAddress: the Prometheus server KEDA queries for the queue depth" }}
{{- end }}
{{- if and (or .Values.autoscaling.enabled .Values.keda.enabled) (lt (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) }}
{{- fail "autoscaling.maxReplicas must be at least autoscaling.minReplicas" }}
{{- end }}
{{- end }}

{{/*
A probe. With config.authOps the health endpoints need the bearer token, which kubelet HTTP probes
cannot send from a Secret; the image's stdlib health check then runs as an exec probe instead.
Usage: include "newsroom-analyzer.probe" (dict "probe" .Values.readinessProbe "root" .)
*/}}
{{- define "newsroom-analyzer.probe" -}}
{{- $probe := deepCopy .probe }}
{{- if and .root.Values.config.authOps (hasKey $probe "httpGet") }}
{{- $path := $probe.httpGet.path }}
{{- $_ := unset $probe "httpGet" }}
{{- $_ := set $probe "exec" (dict "command" (list "python" "/opt/app/healthcheck.py" $path)) }}
{{- end }}
{{- toYaml $probe }}
{{- end }}

{{/*
A Ray pod of the RayJob (head or worker): the service image, hardened as the Deployment, its
settings from the ConfigMap, the archive volume, and /tmp (Ray's session files) writable.
*/}}
{{- define "newsroom-analyzer.rayPod" -}}
{{- $root := .root -}}
metadata:
  # Not the Deployment's selector labels: the Service, PodDisruptionBudget and NetworkPolicy of the
  # chart must not select Ray pods.
  labels:
    app.kubernetes.io/name: {{ include "newsroom-analyzer.name" $root }}-ray
    app.kubernetes.io/instance: {{ $root.Release.Name }}
    app.kubernetes.io/component: archive-job
    app.kubernetes.io/managed-by: {{ $root.Release.Service }}
spec:
  automountServiceAccountToken: false
  enableServiceLinks: false
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ .name }}
      image: {{ include "newsroom-analyzer.image" $root | quote }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      securityContext:
        {{- toYaml $root.Values.securityContext | nindent 8 }}
      envFrom:
        - configMapRef:
            name: {{ include "newsroom-analyzer.fullname" $root }}
      resources:
        {{- toYaml .resources | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        - name: archive
          mountPath: {{ $root.Values.rayJob.mountPath }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: 2Gi
    - name: archive
      persistentVolumeClaim:
        claimName: {{ $root.Values.rayJob.archiveClaim }}
{{- end -}}
