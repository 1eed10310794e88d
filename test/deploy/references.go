/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package deploy

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
)

// CheckReferences returns a sentence for every reference in objs, a
// rendering of the operator's deployment, that does not resolve within objs:
// namespaces, the Deployment's ServiceAccount and Services, the webhook and
// metrics certificates (from cert-manager) and their DNS names, the webhook
// configuration's Service and CA injection, role bindings and the
// ServiceMonitor, which must be there exactly when wantServiceMonitor.
// Exported for the other suites that render the deployment (test/chart).
func CheckReferences(objs []*unstructured.Unstructured, wantServiceMonitor bool) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	find := func(kind, namespace, name string) *unstructured.Unstructured {
		for _, obj := range objs {
			if obj.GetKind() == kind && obj.GetNamespace() == namespace && obj.GetName() == name {
				return obj
			}
		}
		return nil
	}

	// Namespaced objects live in a namespace of the output.
	clusterScoped := []string{"Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"}
	for _, obj := range objs {
		ns := obj.GetNamespace()
		switch {
		case slices.Contains(clusterScoped, obj.GetKind()):
			if ns != "" {
				fail("cluster-scoped %s %s has namespace %s", obj.GetKind(), obj.GetName(), ns)
			}
		case ns == "":
			fail("%s %s has no namespace", obj.GetKind(), obj.GetName())
		case find("Namespace", "", ns) == nil:
			fail("%s %s is in namespace %s, which the rendering does not create", obj.GetKind(), nameOf(obj), ns)
		}
	}

	// The operator's Deployment, its ServiceAccount, pod labels and ports;
	// the dashboard's, when the rendering has it, is checked on its own.
	var deployments, others []*unstructured.Unstructured
	for _, d := range only(objs, "Deployment") {
		if strings.HasSuffix(d.GetName(), "controller-manager") {
			deployments = append(deployments, d)
		} else {
			others = append(others, d)
		}
	}
	if len(deployments) != 1 {
		fail("want one Deployment of the operator (NAME-controller-manager), found %d", len(deployments))
		return problems
	}
	deployment := deployments[0]
	for _, d := range others {
		problems = append(problems, checkDashboard(objs, d)...)
	}
	problems = append(problems, checkServiceSelectors(objs)...)
	ns := deployment.GetNamespace()
	podLabels, _, _ := unstructured.NestedStringMap(deployment.Object, "spec", "template", "metadata", "labels")
	selector, _, _ := unstructured.NestedStringMap(deployment.Object, "spec", "selector", "matchLabels")
	if len(selector) == 0 || !labels.SelectorFromSet(selector).Matches(labels.Set(podLabels)) {
		fail("Deployment %s: selector %v does not match its pod labels %v", nameOf(deployment), selector, podLabels)
	}
	sa := field(deployment, "spec", "template", "spec", "serviceAccountName")
	if find("ServiceAccount", ns, sa) == nil {
		fail("Deployment %s runs as ServiceAccount %s/%s, which is not in the rendering", nameOf(deployment), ns, sa)
	}
	containers, _, _ := unstructured.NestedSlice(deployment.Object, "spec", "template", "spec", "containers")
	if len(containers) != 1 {
		fail("Deployment %s: want one container, found %d", nameOf(deployment), len(containers))
		return problems
	}
	container := containers[0].(map[string]any)
	arg := func(flag string) string { return argValue(container, flag) }
	ports, _, _ := unstructured.NestedSlice(container, "ports")
	portName := func(number int64) string {
		for _, p := range ports {
			if n, _, _ := unstructured.NestedInt64(p.(map[string]any), "containerPort"); n == number {
				name, _, _ := unstructured.NestedString(p.(map[string]any), "name")
				return name
			}
		}
		return ""
	}
	// secretMountedAt is the Secret of the volume mounted at path.
	secretMountedAt := func(path string) string {
		mounts, _, _ := unstructured.NestedSlice(container, "volumeMounts")
		volumes, _, _ := unstructured.NestedSlice(deployment.Object, "spec", "template", "spec", "volumes")
		for _, m := range mounts {
			if mp, _, _ := unstructured.NestedString(m.(map[string]any), "mountPath"); mp != path {
				continue
			}
			name, _, _ := unstructured.NestedString(m.(map[string]any), "name")
			for _, v := range volumes {
				if vn, _, _ := unstructured.NestedString(v.(map[string]any), "name"); vn == name {
					secret, _, _ := unstructured.NestedString(v.(map[string]any), "secret", "secretName")
					return secret
				}
			}
		}
		return ""
	}
	// serviceFor finds the Service in the Deployment's namespace that selects
	// its pods and targets the container port numbered port.
	serviceFor := func(what string, port int64) *unstructured.Unstructured {
		var found []*unstructured.Unstructured
		for _, svc := range only(objs, "Service") {
			sel, _, _ := unstructured.NestedStringMap(svc.Object, "spec", "selector")
			svcPorts, _, _ := unstructured.NestedSlice(svc.Object, "spec", "ports")
			for _, p := range svcPorts {
				target := fmt.Sprint(p.(map[string]any)["targetPort"])
				if svc.GetNamespace() == ns && len(sel) > 0 && labels.SelectorFromSet(sel).Matches(labels.Set(podLabels)) &&
					(target == fmt.Sprint(port) || target == portName(port)) {
					found = append(found, svc)
				}
			}
		}
		if len(found) != 1 {
			fail("want one Service in %s selecting the operator's pods and targeting its %s port %d, found %d", ns, what, port, len(found))
			return nil
		}
		return found[0]
	}
	// certificateFor checks that the Secret mounted where flag points is a
	// Certificate's, issued by an Issuer of the rendering for the Service's
	// DNS name, and returns that Certificate.
	certificateFor := func(what, flag string, svc *unstructured.Unstructured) *unstructured.Unstructured {
		dir := arg(flag)
		if dir == "" {
			fail("the operator has no --%s: the %s serves a certificate made at start", flag, what)
			return nil
		}
		secret := secretMountedAt(dir)
		if secret == "" {
			fail("--%s=%s: no Secret volume is mounted there", flag, dir)
			return nil
		}
		var cert *unstructured.Unstructured
		for _, c := range only(objs, "Certificate") {
			if c.GetNamespace() == ns && field(c, "spec", "secretName") == secret {
				cert = c
			}
		}
		if cert == nil {
			fail("the %s certificate Secret %s/%s (mounted at %s) is written by no Certificate of the rendering", what, ns, secret, dir)
			return nil
		}
		if svc != nil {
			dnsNames, _, _ := unstructured.NestedStringSlice(cert.Object, "spec", "dnsNames")
			if want := svc.GetName() + "." + svc.GetNamespace() + ".svc"; !slices.Contains(dnsNames, want) {
				fail("Certificate %s: dnsNames %v lack %s, the %s Service", nameOf(cert), dnsNames, want, what)
			}
		}
		return cert
	}

	// Every Certificate's issuer is in the rendering.
	for _, c := range only(objs, "Certificate") {
		kind, name := field(c, "spec", "issuerRef", "kind"), field(c, "spec", "issuerRef", "name")
		issuerNS := c.GetNamespace()
		if kind == "ClusterIssuer" {
			issuerNS = ""
		}
		if find(kind, issuerNS, name) == nil {
			fail("Certificate %s: issuerRef %s %s is not in the rendering", nameOf(c), kind, name)
		}
	}

	// The webhook: Service, certificate, configurations, CA injection.
	webhookSvc := serviceFor("webhook", portNumber(ports, "webhook-server"))
	webhookCert := certificateFor("webhook", "webhook-cert-dir", webhookSvc)
	for _, kind := range []string{"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"} {
		for _, w := range only(objs, kind) {
			hooks, _, _ := unstructured.NestedSlice(w.Object, "webhooks")
			for _, h := range hooks {
				name, _, _ := unstructured.NestedString(h.(map[string]any), "clientConfig", "service", "name")
				namespace, _, _ := unstructured.NestedString(h.(map[string]any), "clientConfig", "service", "namespace")
				if webhookSvc != nil && (name != webhookSvc.GetName() || namespace != webhookSvc.GetNamespace()) {
					fail("%s %s: webhook %v calls Service %s/%s; the webhook Service is %s", kind, w.GetName(), h.(map[string]any)["name"], namespace, name, nameOf(webhookSvc))
				}
			}
			inject := w.GetAnnotations()["cert-manager.io/inject-ca-from"]
			certNS, certName, _ := strings.Cut(inject, "/")
			switch {
			case find("Certificate", certNS, certName) == nil:
				fail("%s %s: cert-manager.io/inject-ca-from %q names no Certificate of the rendering", kind, w.GetName(), inject)
			case webhookCert != nil && inject != nameOf(webhookCert):
				fail("%s %s: the CA is injected from %s; the webhook serves %s", kind, w.GetName(), inject, nameOf(webhookCert))
			}
		}
	}

	// The metrics endpoint: Service and certificate.
	metricsPort := int64(0)
	if _, port, ok := strings.Cut(arg("metrics-bind-address"), ":"); ok {
		_, _ = fmt.Sscan(port, &metricsPort)
	}
	metricsSvc := serviceFor("metrics", metricsPort)
	metricsCert := certificateFor("metrics", "metrics-cert-dir", metricsSvc)

	// Bindings: roles and ServiceAccounts of the rendering.
	for _, b := range only(objs, "ClusterRoleBinding", "RoleBinding") {
		roleKind, roleName := field(b, "roleRef", "kind"), field(b, "roleRef", "name")
		roleNS := b.GetNamespace()
		if roleKind == "ClusterRole" {
			roleNS = ""
		}
		if find(roleKind, roleNS, roleName) == nil {
			fail("%s %s: roleRef %s %s is not in the rendering", b.GetKind(), nameOf(b), roleKind, roleName)
		}
		subjects, _, _ := unstructured.NestedSlice(b.Object, "subjects")
		for _, s := range subjects {
			s := s.(map[string]any)
			if s["kind"] == "ServiceAccount" && find("ServiceAccount", fmt.Sprint(s["namespace"]), fmt.Sprint(s["name"])) == nil {
				fail("%s %s: subject ServiceAccount %v/%v is not in the rendering", b.GetKind(), nameOf(b), s["namespace"], s["name"])
			}
		}
	}

	// The ServiceMonitor scrapes the metrics Service, verifying it.
	monitors := only(objs, "ServiceMonitor")
	if wantServiceMonitor != (len(monitors) > 0) {
		fail("want a ServiceMonitor: %t; found %d", wantServiceMonitor, len(monitors))
	}
	for _, m := range monitors {
		sel, _, _ := unstructured.NestedStringMap(m.Object, "spec", "selector", "matchLabels")
		var selected []string
		for _, svc := range only(objs, "Service") {
			if svc.GetNamespace() == m.GetNamespace() && labels.SelectorFromSet(sel).Matches(labels.Set(svc.GetLabels())) {
				selected = append(selected, nameOf(svc))
			}
		}
		if metricsSvc != nil && (len(selected) != 1 || selected[0] != nameOf(metricsSvc)) {
			fail("ServiceMonitor %s selects Services %v; want only the metrics Service %s", nameOf(m), selected, nameOf(metricsSvc))
		}
		endpoints, _, _ := unstructured.NestedSlice(m.Object, "spec", "endpoints")
		for _, e := range endpoints {
			e := e.(map[string]any)
			port, _, _ := unstructured.NestedString(e, "port")
			scheme, _, _ := unstructured.NestedString(e, "scheme")
			serverName, _, _ := unstructured.NestedString(e, "tlsConfig", "serverName")
			caSecret, _, _ := unstructured.NestedString(e, "tlsConfig", "ca", "secret", "name")
			skip, _, _ := unstructured.NestedBool(e, "tlsConfig", "insecureSkipVerify")
			token, _, _ := unstructured.NestedString(e, "bearerTokenFile")
			if metricsSvc != nil && !slices.Contains(servicePortNames(metricsSvc), port) {
				fail("ServiceMonitor %s: port %q is not a port of %s", nameOf(m), port, nameOf(metricsSvc))
			}
			if scheme != "https" || skip || token == "" {
				fail("ServiceMonitor %s: scheme %q, insecureSkipVerify %t, bearerTokenFile %q; want https, verified, with a token", nameOf(m), scheme, skip, token)
			}
			if metricsCert != nil {
				dnsNames, _, _ := unstructured.NestedStringSlice(metricsCert.Object, "spec", "dnsNames")
				if !slices.Contains(dnsNames, serverName) {
					fail("ServiceMonitor %s: serverName %q is not among the metrics certificate's dnsNames %v", nameOf(m), serverName, dnsNames)
				}
				if caSecret != field(metricsCert, "spec", "secretName") {
					fail("ServiceMonitor %s: CA from Secret %q; the metrics certificate is in %q", nameOf(m), caSecret, field(metricsCert, "spec", "secretName"))
				}
			}
		}
	}
	return problems
}

// checkDashboard returns a sentence for every reference of the dashboard's
// Deployment d that does not resolve within objs: its ServiceAccount, bound
// to a ClusterRole of the rendering; the operator's image, run as
// `dashboard`; and a Service that selects its pods and targets the port it
// listens on, which its probes ask too.
func checkDashboard(objs []*unstructured.Unstructured, d *unstructured.Unstructured) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	sa := field(d, "spec", "template", "spec", "serviceAccountName")
	if !slices.ContainsFunc(only(objs, "ServiceAccount"), func(o *unstructured.Unstructured) bool {
		return o.GetNamespace() == d.GetNamespace() && o.GetName() == sa
	}) {
		fail("Deployment %s runs as ServiceAccount %s/%s, which is not in the rendering", nameOf(d), d.GetNamespace(), sa)
	}
	if !slices.ContainsFunc(only(objs, "ClusterRoleBinding"), func(b *unstructured.Unstructured) bool {
		subjects, _, _ := unstructured.NestedSlice(b.Object, "subjects")
		return slices.ContainsFunc(subjects, func(s any) bool {
			m := s.(map[string]any)
			return m["kind"] == "ServiceAccount" && m["name"] == sa && m["namespace"] == d.GetNamespace()
		})
	}) {
		fail("Deployment %s: its ServiceAccount %s is bound to no ClusterRole", nameOf(d), sa)
	}
	containers, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "containers")
	if len(containers) != 1 {
		fail("Deployment %s: want one container, found %d", nameOf(d), len(containers))
		return problems
	}
	container := containers[0].(map[string]any)
	if args, _, _ := unstructured.NestedStringSlice(container, "args"); len(args) == 0 || args[0] != "dashboard" {
		fail("Deployment %s: args %v; want the operator's binary run as `dashboard`", nameOf(d), args)
	}
	ports, _, _ := unstructured.NestedSlice(container, "ports")
	http := portNumber(ports, "http")
	if _, bind, _ := strings.Cut(argValue(container, "bind-address"), ":"); http == 0 || bind != fmt.Sprint(http) {
		fail("Deployment %s: --bind-address %q and the container port named http (%d) disagree", nameOf(d), argValue(container, "bind-address"), http)
	}
	for _, probe := range []string{"livenessProbe", "readinessProbe"} {
		if port := fmt.Sprint(container[probe].(map[string]any)["httpGet"].(map[string]any)["port"]); port != "http" && port != fmt.Sprint(http) {
			fail("Deployment %s: the %s asks port %s; the dashboard listens on %d", nameOf(d), probe, port, http)
		}
	}
	podLabels, _, _ := unstructured.NestedStringMap(d.Object, "spec", "template", "metadata", "labels")
	selector, _, _ := unstructured.NestedStringMap(d.Object, "spec", "selector", "matchLabels")
	if len(selector) == 0 || !labels.SelectorFromSet(selector).Matches(labels.Set(podLabels)) {
		fail("Deployment %s: selector %v does not match its pod labels %v", nameOf(d), selector, podLabels)
	}
	served := false
	for _, svc := range only(objs, "Service") {
		sel, _, _ := unstructured.NestedStringMap(svc.Object, "spec", "selector")
		svcPorts, _, _ := unstructured.NestedSlice(svc.Object, "spec", "ports")
		for _, p := range svcPorts {
			target := fmt.Sprint(p.(map[string]any)["targetPort"])
			served = served || svc.GetNamespace() == d.GetNamespace() && len(sel) > 0 &&
				labels.SelectorFromSet(sel).Matches(labels.Set(podLabels)) && (target == "http" || target == fmt.Sprint(http))
		}
	}
	if !served {
		fail("no Service in %s selects the pods of Deployment %s and targets its port %d", d.GetNamespace(), nameOf(d), http)
	}
	return problems
}

// checkServiceSelectors returns a sentence for every Service that selects
// the pods of more than one Deployment (the dashboard's Service must not
// send viewers to the operator, nor the metrics Service scrapers to the
// dashboard).
func checkServiceSelectors(objs []*unstructured.Unstructured) []string {
	var problems []string
	for _, svc := range only(objs, "Service") {
		sel, _, _ := unstructured.NestedStringMap(svc.Object, "spec", "selector")
		var selected []string
		for _, d := range only(objs, "Deployment") {
			podLabels, _, _ := unstructured.NestedStringMap(d.Object, "spec", "template", "metadata", "labels")
			if d.GetNamespace() == svc.GetNamespace() && len(sel) > 0 && labels.SelectorFromSet(sel).Matches(labels.Set(podLabels)) {
				selected = append(selected, nameOf(d))
			}
		}
		if len(selected) > 1 {
			problems = append(problems, fmt.Sprintf("Service %s selects the pods of %v; want one Deployment's", nameOf(svc), selected))
		}
	}
	return problems
}

// argValue is the value of --flag=VALUE among a container's args.
func argValue(container map[string]any, flag string) string {
	args, _, _ := unstructured.NestedStringSlice(container, "args")
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+flag+"="); ok {
			return v
		}
	}
	return ""
}

func portNumber(ports []any, name string) int64 {
	for _, p := range ports {
		if n, _, _ := unstructured.NestedString(p.(map[string]any), "name"); n == name {
			number, _, _ := unstructured.NestedInt64(p.(map[string]any), "containerPort")
			return number
		}
	}
	return 0
}

func servicePortNames(svc *unstructured.Unstructured) []string {
	ports, _, _ := unstructured.NestedSlice(svc.Object, "spec", "ports")
	var names []string
	for _, p := range ports {
		n, _, _ := unstructured.NestedString(p.(map[string]any), "name")
		names = append(names, n)
	}
	return names
}

// only returns the objects of the given kinds.
func only(objs []*unstructured.Unstructured, kinds ...string) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, obj := range objs {
		for _, kind := range kinds {
			if obj.GetKind() == kind {
				out = append(out, obj)
			}
		}
	}
	return out
}

func field(obj *unstructured.Unstructured, path ...string) string {
	s, _, _ := unstructured.NestedString(obj.Object, path...)
	return s
}

func nameOf(obj *unstructured.Unstructured) string {
	return strings.TrimPrefix(obj.GetNamespace()+"/"+obj.GetName(), "/")
}
