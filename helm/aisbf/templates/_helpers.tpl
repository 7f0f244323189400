{{/* Names ------------------------------------------------------------------------------------ */}}

{{- define "aisbf.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "aisbf.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The name a dependency chart gives its resources (its own default fullname rule). */}}
{{- define "aisbf.dependencyFullname" -}}
{{- $root := .root -}}
{{- $values := index $root.Values .chart -}}
{{- if $values.fullnameOverride -}}
{{- $values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .chart $values.nameOverride -}}
{{- if contains $name $root.Release.Name -}}
{{- $root.Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" $root.Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The four services: Kubernetes component name -> key of its settings in values. */}}
{{- define "aisbf.services" -}}
edge-api: edgeApi
route-resolver: routeResolver
classifier: classifier
connector: connector
{{- end -}}

{{/* dict "root" $ "component" "edge-api" */}}
{{- define "aisbf.componentName" -}}
{{- printf "%s-%s" (include "aisbf.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "aisbf.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels ----------------------------------------------------------------------------------- */}}

{{- define "aisbf.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aisbf.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "aisbf.labels" -}}
helm.sh/chart: {{ include "aisbf.chart" . }}
{{ include "aisbf.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: aisbf
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* dict "root" $ "component" "edge-api" */}}
{{- define "aisbf.componentSelectorLabels" -}}
{{ include "aisbf.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "aisbf.componentLabels" -}}
{{ include "aisbf.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Image and service account ---------------------------------------------------------------- */}}

{{- define "aisbf.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}
{{- end -}}

{{- define "aisbf.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "aisbf.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Where the services find their dependencies ----------------------------------------------- */}}

{{- define "aisbf.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "aisbf.fullname" .) -}}
{{- end -}}

{{- define "aisbf.natsUrl" -}}
{{- if .Values.nats.enabled -}}
{{- printf "nats://%s:4222" (include "aisbf.dependencyFullname" (dict "root" . "chart" "nats")) -}}
{{- else -}}
{{- required "externalNats.url is required when nats.enabled is false" .Values.externalNats.url -}}
{{- end -}}
{{- end -}}

{{/* DATABASE_URL, or empty when no database is configured. */}}
{{- define "aisbf.databaseUrl" -}}
{{- if .Values.mysql.enabled -}}
{{- $auth := .Values.mysql.auth -}}
{{- $password := required "mysql.auth.password is required when mysql.enabled" $auth.password -}}
{{- printf "mysql://%s:%s@%s:3306/%s" (urlquery $auth.username) (urlquery $password) (include "aisbf.dependencyFullname" (dict "root" . "chart" "mysql")) $auth.database -}}
{{- else -}}
{{- .Values.externalDatabase.url -}}
{{- end -}}
{{- end -}}

{{/* REDIS_URL, or empty when no Redis is configured. */}}
{{- define "aisbf.redisUrl" -}}
{{- if .Values.redis.enabled -}}
{{- $host := printf "%s-master" (include "aisbf.dependencyFullname" (dict "root" . "chart" "redis")) -}}
{{- if .Values.redis.auth.enabled -}}
{{- $password := required "redis.auth.password is required when redis.enabled" .Values.redis.auth.password -}}
{{- printf "redis://:%s@%s:6379/0" (urlquery $password) $host -}}
{{- else -}}
{{- printf "redis://%s:6379/0" $host -}}
{{- end -}}
{{- else -}}
{{- .Values.externalRedis.url -}}
{{- end -}}
{{- end -}}

{{/* True (non-empty) when a database is configured: in the release, by URL, or in the existing Secret. */}}
{{- define "aisbf.databaseConfigured" -}}
{{- if or .Values.mysql.enabled .Values.externalDatabase.url (and .Values.secrets.existingSecret .Values.externalDatabase.urlInExistingSecret) -}}true{{- end -}}
{{- end -}}

{{/* The declarative configuration ------------------------------------------------------------ */}}

{{/* True (non-empty) when a configuration file is mounted. */}}
{{- define "aisbf.hasConfig" -}}
{{- if or .Values.config.document .Values.config.existingConfigMap .Values.config.existingSecret -}}true{{- end -}}
{{- end -}}

{{- define "aisbf.configMapName" -}}
{{- .Values.config.existingConfigMap | default (printf "%s-config" (include "aisbf.fullname" .)) -}}
{{- end -}}

{{- define "aisbf.configVolume" -}}
- name: config
{{- if .Values.config.existingSecret }}
  secret:
    secretName: {{ .Values.config.existingSecret }}
    items:
      - key: {{ .Values.config.key }}
        path: config.json
{{- else }}
  configMap:
    name: {{ include "aisbf.configMapName" . }}
    items:
      - key: {{ if .Values.config.existingConfigMap }}{{ .Values.config.key }}{{ else }}config.json{{ end }}
        path: config.json
{{- end }}
{{- end -}}

{{/* Environment ------------------------------------------------------------------------------- */}}

{{/* A variable from the AISBF Secret; optional ones are simply absent when the key is. */}}
{{- define "aisbf.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "aisbf.secretName" .root }}
      key: {{ .name }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end -}}

{{/* dict "root" $ "component" "edge-api" "values" $values: the environment of one service. */}}
{{- define "aisbf.env" -}}
{{- $root := .root -}}
{{- $values := .values -}}
{{- $component := .component -}}
{{- $readsConfig := has $component (list "edge-api" "route-resolver") -}}
- name: NATS_URL
  value: {{ include "aisbf.natsUrl" $root | quote }}
{{ include "aisbf.secretEnv" (dict "root" $root "name" "NATS_USER" "optional" true) }}
{{ include "aisbf.secretEnv" (dict "root" $root "name" "NATS_PASSWORD" "optional" true) }}
{{ include "aisbf.secretEnv" (dict "root" $root "name" "NATS_TOKEN" "optional" true) }}
- name: AISBF_BUS_NAMESPACE
  value: {{ $root.Values.busNamespace | quote }}
- name: LOG_LEVEL
  value: {{ $values.logLevel | default $root.Values.logLevel | quote }}
- name: AISBF_METRICS_PORT
  value: {{ $root.Values.metricsPort | int64 | quote }}
- name: AISBF_METRICS_HOST
  value: "0.0.0.0"
- name: AISBF_DATA_DIR
  value: {{ $root.Values.dataDir | quote }}
{{- with $values.heapLimitMb }}
{{- /* The image's own NODE_OPTIONS, plus the heap limit. */}}
- name: NODE_OPTIONS
  value: {{ printf "--enable-source-maps --max-old-space-size=%d" (int64 .) | quote }}
{{- end }}
{{- /* The pod's service: its spans, and the resource of each trace, are named after it. */}}
- name: OTEL_SERVICE_NAME
  value: {{ $component | quote }}
{{- $telemetry := $root.Values.telemetry }}
{{- range $name, $value := dict "OTEL_EXPORTER_OTLP_ENDPOINT" $telemetry.otlpEndpoint "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" $telemetry.otlpTracesEndpoint "OTEL_EXPORTER_OTLP_TIMEOUT" (int64 $telemetry.otlpTimeoutMs | default "") "OTEL_EXPORTER_OTLP_COMPRESSION" $telemetry.otlpCompression "OTEL_TRACES_EXPORTER" $telemetry.tracesExporter "OTEL_TRACES_SAMPLER" $telemetry.sampler "OTEL_TRACES_SAMPLER_ARG" (toString $telemetry.samplerArg) "OTEL_BSP_SCHEDULE_DELAY" (int64 $telemetry.scheduleDelayMs | default "") "OTEL_RESOURCE_ATTRIBUTES" $telemetry.resourceAttributes }}
{{- if $value }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{ include "aisbf.secretEnv" (dict "root" $root "name" "OTEL_EXPORTER_OTLP_HEADERS" "optional" true) }}
{{- if ne $component "classifier" }}
{{ include "aisbf.secretEnv" (dict "root" $root "name" "AISBF_SECRET_KEY" "optional" false) }}
{{- end }}
{{- if $readsConfig }}
{{- if include "aisbf.hasConfig" $root }}
- name: AISBF_CONFIG
  value: /etc/aisbf/config.json
{{- end }}
- name: AISBF_BOOTSTRAP_USER
  value: {{ $root.Values.config.bootstrapUser | quote }}
{{ include "aisbf.secretEnv" (dict "root" $root "name" "AISBF_BOOTSTRAP_TOKEN" "optional" true) }}
{{ include "aisbf.secretEnv" (dict "root" $root "name" "DATABASE_URL" "optional" true) }}
{{- /* The migration Job migrates before the pods roll; the services only check the schema. */}}
- name: AISBF_DB_MIGRATE
  value: {{ $root.Values.migrations.onStart | quote }}
{{- /* One value for both: they compile the same routes into the same shared cache. */}}
- name: AISBF_TRUST_USER_ENDPOINTS
  value: {{ $root.Values.trustUserEndpoints | quote }}
- name: AISBF_USAGE_FLUSH_MS
  value: {{ $root.Values.usageFlushMs | int64 | quote }}
{{ include "aisbf.secretEnv" (dict "root" $root "name" "REDIS_URL" "optional" true) }}
- name: AISBF_REDIS_PREFIX
  value: {{ $root.Values.redisPrefix | quote }}
{{- end }}
{{- if eq $component "route-resolver" }}
- name: AISBF_REDIS_TIMEOUT_MS
  value: {{ $values.redisTimeoutMs | int64 | quote }}
- name: AISBF_STATS_FLUSH_MS
  value: {{ $values.statsFlushMs | int64 | quote }}
- name: AISBF_DEFAULT_ERROR_COOLDOWN_SECONDS
  value: {{ $values.defaultErrorCooldownSeconds | quote }}
- name: AISBF_MAX_COOLDOWN_SECONDS
  value: {{ $values.maxCooldownSeconds | quote }}
{{- end }}
{{- if eq $component "edge-api" }}
- name: AISBF_PORT
  value: {{ $values.port | int64 | quote }}
- name: AISBF_HOST
  value: {{ $values.host | quote }}
{{ include "aisbf.secretEnv" (dict "root" $root "name" "AISBF_ADMIN_TOKEN" "optional" true) }}
- name: AISBF_MAX_BODY_BYTES
  value: {{ $values.maxBodyBytes | int64 | quote }}
{{- with $values.maxInflightBodyBytes }}
- name: AISBF_MAX_INFLIGHT_BODY_BYTES
  value: {{ . | int64 | quote }}
{{- end }}
- name: AISBF_RESOLVE_TIMEOUT_MS
  value: {{ $values.resolveTimeoutMs | int64 | quote }}
- name: AISBF_REQUEST_DEADLINE_MS
  value: {{ $values.requestDeadlineMs | int64 | quote }}
- name: AISBF_MAX_ATTEMPTS
  value: {{ $values.maxAttempts | int64 | quote }}
- name: AISBF_SESSION_TTL_SECONDS
  value: {{ $values.sessionTtlSeconds | int64 | quote }}
- name: AISBF_RATE_LIMIT_USER_RPM
  value: {{ $values.rateLimitUserRpm | int64 | quote }}
- name: AISBF_RATE_LIMIT_TOKEN_RPM
  value: {{ $values.rateLimitTokenRpm | int64 | quote }}
- name: AISBF_AUTH_FAILURES_PER_MINUTE
  value: {{ $values.authFailuresPerMinute | int64 | quote }}
{{- end }}
{{- if eq $component "route-resolver" }}
- name: AISBF_AUTOSELECT_CACHE_TTL_SECONDS
  value: {{ $values.autoselect.cacheTtlSeconds | int64 | quote }}
- name: AISBF_AUTOSELECT_SELECTOR_TIMEOUT_MS
  value: {{ $values.autoselect.selectorTimeoutMs | int64 | quote }}
- name: AISBF_CLASSIFY_TIMEOUT_MS
  value: {{ $values.autoselect.classifyTimeoutMs | int64 | quote }}
{{- end }}
{{- if eq $component "connector" }}
- name: CONNECTOR_POOLS
  value: {{ $values.pools | quote }}
- name: CONNECTOR_MAX_CONNECTIONS
  value: {{ $values.maxConnections | int64 | quote }}
- name: CONNECTOR_ALLOW_PRIVATE_ENDPOINTS
  value: {{ $values.allowPrivateEndpoints | quote }}
{{- end }}
{{- with $values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Pod and container defaults --------------------------------------------------------------- */}}

{{/* dict "root" $ "component" "edge-api" "values" $values */}}
{{- define "aisbf.topologySpread" -}}
{{- if .values.topologySpreadConstraints -}}
{{ toYaml .values.topologySpreadConstraints }}
{{- else if .root.Values.topologySpread.enabled -}}
- maxSkew: 1
  topologyKey: topology.kubernetes.io/zone
  whenUnsatisfiable: {{ .root.Values.topologySpread.zone }}
  labelSelector:
    matchLabels:
      {{- include "aisbf.componentSelectorLabels" . | nindent 6 }}
  matchLabelKeys: [pod-template-hash]
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: {{ .root.Values.topologySpread.hostname }}
  labelSelector:
    matchLabels:
      {{- include "aisbf.componentSelectorLabels" . | nindent 6 }}
  matchLabelKeys: [pod-template-hash]
{{- end -}}
{{- end -}}
