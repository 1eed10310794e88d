/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"reflect"
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/publish"
)

// lastApplied is the annotation client-side `kubectl apply` keeps: a
// second copy of the whole object that the operator never reads.
const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

// trimForCache is the cache's transform: it drops what the operator never
// reads (managedFields; on governance objects, which it never updates but
// only patches the status of, kubectl's last-applied copy; the content of
// report ConfigMaps, of which it keeps the digest: see keepDigestOnly), and
// makes the governance objects share one copy of each string they repeat
// (gate names and descriptions, condition types, reasons and messages,
// namespaces, references). Ten thousand projects hold the same few hundred
// strings. It may be applied to an object twice.
func trimForCache() toolscache.TransformFunc {
	strip := cache.TransformStripManagedFields()
	interned := newInterner(maxInterned, maxInternedLen)
	return func(in any) (any, error) {
		out, err := strip(in)
		if err != nil {
			return out, err
		}
		switch obj := out.(type) {
		case *corev1.ConfigMap:
			keepDigestOnly(obj)
		case *v1alpha1.Office, *v1alpha1.Portfolio, *v1alpha1.Programme, *v1alpha1.Project, *v1alpha1.GatewayReview:
			meta := obj.(metav1.Object)
			if annotations := meta.GetAnnotations(); annotations[lastApplied] != "" {
				delete(annotations, lastApplied)
				meta.SetAnnotations(annotations)
			}
			interned.walk(reflect.ValueOf(obj).Elem())
		}
		return out, nil
	}
}

// keepDigestOnly drops a report ConfigMap's content from the cached copy:
// the publisher compares reports by their digest (the annotation
// AnnotationContentDigest it writes with them), and an office's report
// of ten thousand projects is a megabyte. The annotation stays only while
// it is the digest of the content the API server holds: a report edited
// by hand loses it, and is written again at its next rebuild.
//
// The trimmed copy's data is an empty map, which no ConfigMap from the API
// server has (it omits empty data): the informer may transform an object
// twice (a streamed initial list), and the second time must change
// nothing.
func keepDigestOnly(cm *corev1.ConfigMap) {
	if cm.Data != nil && len(cm.Data) == 0 && cm.BinaryData == nil {
		return // trimmed already
	}
	if cm.Annotations[v1alpha1.AnnotationContentDigest] != "" && cm.Annotations[v1alpha1.AnnotationContentDigest] != publish.ContentDigest(cm.Data, cm.BinaryData) {
		delete(cm.Annotations, v1alpha1.AnnotationContentDigest)
	}
	cm.Data, cm.BinaryData = map[string]string{}, nil
}

// The interner keeps at most maxInterned strings of at most maxInternedLen
// bytes: hostile input (every message different) fills it and is then
// simply not shared, so its memory stays bounded.
const (
	maxInterned    = 1 << 16
	maxInternedLen = 512
)

// interner replaces strings by one shared copy of each.
type interner struct {
	max, maxLen int
	mu          sync.Mutex
	strings     map[string]string
}

func newInterner(maxStrings, maxLen int) *interner {
	return &interner{max: maxStrings, maxLen: maxLen, strings: map[string]string{}}
}

func (in *interner) intern(s string) string {
	if s == "" || len(s) > in.maxLen {
		return s
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if shared, ok := in.strings[s]; ok {
		return shared
	}
	if len(in.strings) < in.max {
		in.strings[s] = s
	}
	return s
}

// uniquePerObject are the fields no two objects share: not worth a place
// in the interner.
var uniquePerObject = map[string]bool{"Name": true, "UID": true, "ResourceVersion": true, "GenerateName": true}

// walk interns the strings of the struct, slices and pointers under v
// (maps are left alone: labels and annotations are few).
func (in *interner) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(in.intern(v.String()))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			in.walk(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			in.walk(v.Index(i))
		}
	case reflect.Struct:
		t := v.Type()
		meta := t == reflect.TypeFor[metav1.ObjectMeta]()
		for i := range v.NumField() {
			if f := t.Field(i); f.IsExported() && !(meta && uniquePerObject[f.Name]) {
				in.walk(v.Field(i))
			}
		}
	}
}
