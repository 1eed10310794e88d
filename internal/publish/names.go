/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Name is the deterministic name of an object's report ConfigMap:
// <kind>-<name>-report for the live report, with -<suffix> for a snapshot.
// A name longer than a ConfigMap name may be (253 characters) is shortened
// the way labelValue shortens label values: the object's name is cut and
// a hash of the whole name follows, so the name stays stable and distinct
// per object.
func Name(kind, name, suffix string) string {
	prefix, tail := strings.ToLower(kind)+"-", "-report"
	if suffix != "" {
		tail += "-" + suffix
	}
	if len(prefix)+len(name)+len(tail) <= validation.DNS1123SubdomainMaxLength {
		return prefix + name + tail
	}
	sum := sha256.Sum256([]byte(name))
	hash := hex.EncodeToString(sum[:4])
	keep := validation.DNS1123SubdomainMaxLength - len(prefix) - len(tail) - len("-") - len(hash)
	// A DNS subdomain's labels end with a letter or digit.
	return prefix + strings.TrimRight(name[:keep], ".-") + "-" + hash + tail
}

// Labels select an object's report ConfigMaps of one type (live or
// snapshot).
func Labels(kind, name, reportType string) map[string]string {
	return map[string]string{v1alpha1.LabelReport: reportType, v1alpha1.LabelReportKind: kind, v1alpha1.LabelReportName: labelValue(name)}
}

// labelValue fits a name into a label value (63 characters).
func labelValue(name string) string {
	if len(name) <= 63 {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	return name[:54] + "-" + hex.EncodeToString(sum[:4])
}

// ContentDigest is the SHA-256 of a ConfigMap's content, over its keys in
// order, each key and value ended by a zero byte.
func ContentDigest(data map[string]string, binary map[string][]byte) string {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(data)) {
		h.Write([]byte(k + "\x00" + data[k] + "\x00"))
	}
	for _, k := range slices.Sorted(maps.Keys(binary)) {
		h.Write([]byte("binary:" + k + "\x00"))
		h.Write(binary[k])
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// HeldDigest is the digest of the content a report ConfigMap holds: from
// its content when the copy has it (read from the API server), else from
// its annotation AnnotationContentDigest (a cache's copy that keeps only
// the digest; "" when unknown).
func HeldDigest(cm *corev1.ConfigMap) string {
	if len(cm.Data) > 0 || len(cm.BinaryData) > 0 {
		return ContentDigest(cm.Data, cm.BinaryData)
	}
	return cm.Annotations[v1alpha1.AnnotationContentDigest]
}

// withDigest is annotations with the content digest set.
func withDigest(annotations map[string]string, digest string) map[string]string {
	out := maps.Clone(annotations)
	if out == nil {
		out = map[string]string{}
	}
	out[v1alpha1.AnnotationContentDigest] = digest
	return out
}
