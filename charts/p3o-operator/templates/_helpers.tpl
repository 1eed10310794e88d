{{/*
The chart name: the app.kubernetes.io/name label.
*/}}
{{- define "p3o-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The name prefix of every object: the release name when it contains the chart
name, else <release>-<chart>. Cut to 36 characters, so that the longest
Service name (<prefix>-controller-manager-metrics) fits in 63.
*/}}
{{- define "p3o-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 36 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 36 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 36 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The helm.sh/chart label.
*/}}
{{- define "p3o-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The labels of every object the chart templates.
*/}}
{{- define "p3o-operator.labels" -}}
helm.sh/chart: {{ include "p3o-operator.chart" . }}
{{ include "p3o-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
What the Deployment, the Services and the ServiceMonitor select the
operator's pods and Services by, besides config/'s control-plane label: the
release, so that the chart can share a namespace with other operators.
*/}}
{{- define "p3o-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "p3o-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The operator's ServiceAccount.
*/}}
{{- define "p3o-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (printf "%s-controller-manager" (include "p3o-operator.fullname" .)) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The operator image: the tag defaults to the chart's appVersion.
*/}}
{{- define "p3o-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "p3o-operator.webhookServiceName" -}}
{{- include "p3o-operator.fullname" . }}-webhook-service
{{- end }}

{{- define "p3o-operator.metricsServiceName" -}}
{{- include "p3o-operator.fullname" . }}-controller-manager-metrics
{{- end }}

{{/*
The Secret holding the webhook server's certificate: cert-manager's or the
one provided.
*/}}
{{- define "p3o-operator.webhookSecretName" -}}
{{- if .Values.certificates.certManager.enabled }}
{{- include "p3o-operator.fullname" . }}-webhook-server-cert
{{- else }}
{{- .Values.certificates.webhookSecretName }}
{{- end }}
{{- end }}

{{/*
The Secret holding the metrics endpoint's certificate: cert-manager's, the
one provided, or none (the operator then makes one at start).
*/}}
{{- define "p3o-operator.metricsSecretName" -}}
{{- if .Values.certificates.certManager.enabled }}
{{- include "p3o-operator.fullname" . }}-metrics-server-cert
{{- else }}
{{- .Values.certificates.metricsSecretName }}
{{- end }}
{{- end }}

{{/*
A generated data file of files/ (hack/chart writes them from config/),
parsed; rendering fails when it is missing or broken.
*/}}
{{- define "p3o-operator.generated" -}}
{{- $path := printf "files/%s" .file }}
{{- $data := .context.Files.Get $path | fromYaml }}
{{- if or (hasKey $data "Error") (not (hasKey $data .key)) }}
{{- fail (printf "%s: no %s in the chart's generated file (make chart writes it)" $path .key) }}
{{- end }}
{{- toYaml (get $data .key) }}
{{- end }}

{{/*
Combinations of values that cannot work, refused with the reason.
*/}}
{{- define "p3o-operator.validate" -}}
{{- if and (gt (int .Values.replicas) 1) (not .Values.leaderElection.enabled) }}
{{- fail "replicas > 1 needs leaderElection.enabled: without it every replica reconciles and they fight over status" }}
{{- end }}
{{- if not .Values.certificates.certManager.enabled }}
{{- if and .Values.webhook.enabled (or (not .Values.certificates.webhookSecretName) (not .Values.certificates.webhookCABundle)) }}
{{- fail "without cert-manager the webhook needs certificates.webhookSecretName (a TLS Secret) and certificates.webhookCABundle (its CA); or set webhook.enabled=false" }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.certificates.metricsSecretName) }}
{{- fail "without cert-manager the ServiceMonitor needs certificates.metricsSecretName (a TLS Secret with ca.crt) to verify the metrics endpoint" }}
{{- end }}
{{- end }}
{{- if and .Values.prometheusRule.enabled (not (contains "p3o" (include "p3o-operator.fullname" .))) }}
{{- fail "prometheusRule.enabled: the operator alerts find the operator's scrape job by a name containing p3o, and the name prefix (fullnameOverride) has none" }}
{{- end }}
{{- end }}
