{{/*
The chart name, truncated to 63 characters: Kubernetes names and label values allow no more.
*/}}
{{- define "deckhand.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The full name prefix of every resource: <release>-<chart>, or the release name alone when it already contains the
chart name, so `helm install deckhand ./helm/deckhand` gives `deckhand`, not `deckhand-deckhand`.
*/}}
{{- define "deckhand.fullname" -}}
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

{{- define "deckhand.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The standard labels on every resource (https://helm.sh/docs/chart_best_practices/labels/).
*/}}
{{- define "deckhand.labels" -}}
helm.sh/chart: {{ include "deckhand.chart" . }}
{{ include "deckhand.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: deckhand
{{- end }}

{{/*
Selector labels: immutable once a Deployment exists, so nothing that changes between releases goes here.
*/}}
{{- define "deckhand.selectorLabels" -}}
app.kubernetes.io/name: {{ include "deckhand.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Deckhand itself: the server component. */}}
{{- define "deckhand.serverSelectorLabels" -}}
{{ include "deckhand.selectorLabels" . }}
app.kubernetes.io/component: server
{{- end }}

{{/* The bundled Redis. */}}
{{- define "deckhand.redisSelectorLabels" -}}
{{ include "deckhand.selectorLabels" . }}
app.kubernetes.io/component: redis
{{- end }}

{{- define "deckhand.redisName" -}}
{{- printf "%s-redis" (include "deckhand.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "deckhand.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "deckhand.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "deckhand.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
REDIS_URL: the bundled Redis's Service, or the external URL. An external Redis with neither a URL nor a Secret
(which may carry REDIS_URL) is refused at render time rather than starting a pod that can never be ready.
*/}}
{{- define "deckhand.redisUrl" -}}
{{- if eq .Values.redis.mode "bundled" }}
{{- printf "redis://%s:6379" (include "deckhand.redisName" .) }}
{{- else if .Values.redis.external.url }}
{{- .Values.redis.external.url }}
{{- else if not .Values.existingSecret }}
{{- fail "redis.mode is external: set redis.external.url, or REDIS_URL in the Secret named by existingSecret" }}
{{- end }}
{{- end }}
