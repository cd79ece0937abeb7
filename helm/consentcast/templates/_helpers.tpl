{{/* Chart name, truncated to the 63 characters Kubernetes allows. */}}
{{- define "consentcast.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified name of the release's objects. */}}
{{- define "consentcast.fullname" -}}
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

{{- define "consentcast.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "consentcast.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "consentcast.selectorLabels" -}}
app.kubernetes.io/name: {{ include "consentcast.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "consentcast.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "consentcast.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "consentcast.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "consentcast.secretName" -}}
{{- required "existingSecret is required: the name of a Secret with the keys in secretKeys (see values.yaml)" .Values.existingSecret }}
{{- end }}

{{/*
Non-secret settings as name/value pairs: the ConfigMap's data, and the migration Job's env (a pre-install
hook runs before the release's ConfigMap exists).
*/}}
{{- define "consentcast.config" -}}
CONSENTCAST_BASE_URL: {{ .Values.config.baseUrl | quote }}
CONSENTCAST_OIDC_URL: {{ .Values.config.oidcUrl | quote }}
CONSENTCAST_OIDC_CLIENT_ID: {{ .Values.config.oidcClientId | quote }}
CONSENTCAST_KEYCLOAK_REGISTRATION: {{ .Values.config.keycloakRegistration | quote }}
CONSENTCAST_DB_URL: {{ .Values.config.database.url | quote }}
CONSENTCAST_DB_USER: {{ .Values.config.database.user | quote }}
CONSENTCAST_DB_OWNER_USER: {{ .Values.config.database.ownerUser | quote }}
CONSENTCAST_DB_POOL_SIZE: {{ .Values.config.database.poolSize | quote }}
PORT: "8080"
{{- if .Values.management.enabled }}
QUARKUS_MANAGEMENT_PORT: {{ .Values.management.port | quote }}
{{- end }}
{{- if .Values.config.trustedProxies }}
CONSENTCAST_TRUSTED_PROXIES: {{ .Values.config.trustedProxies | quote }}
{{- end }}
JAVA_OPTS_APPEND: {{ printf "-Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager %s" .Values.config.javaOpts | trim | quote }}
{{- range $k, $v := .Values.config.extraEnv }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end }}

{{/* The container port that serves health and metrics. */}}
{{- define "consentcast.healthPort" -}}
{{- if .Values.management.enabled }}management{{ else }}http{{ end }}
{{- end }}

{{/* A secret environment variable from existingSecret. */}}
{{- define "consentcast.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "consentcast.secretName" .root }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}

{{/* The WhatsApp channel's secrets: optional keys, so pods start before WhatsApp is connected. */}}
{{- define "consentcast.whatsappSecretEnv" -}}
{{ include "consentcast.secretEnv" (dict "root" . "name" "CONSENTCAST_WHATSAPP_VERIFY_TOKEN" "key" .Values.secretKeys.whatsappVerifyToken "optional" true) }}
{{ include "consentcast.secretEnv" (dict "root" . "name" "CONSENTCAST_WHATSAPP_APP_SECRET" "key" .Values.secretKeys.whatsappAppSecret "optional" true) }}
{{ include "consentcast.secretEnv" (dict "root" . "name" "CONSENTCAST_SECRETS_KEY" "key" .Values.secretKeys.secretsKey "optional" true) }}
{{- end }}
