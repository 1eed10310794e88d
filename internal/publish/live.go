/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package publish

import (
	"context"
	"fmt"
	"maps"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
)

// nameTakenError says that a report's name is held by a ConfigMap another
// object controls: it is left alone.
type nameTakenError struct {
	name       string
	controller metav1.OwnerReference
}

func (e *nameTakenError) Error() string {
	return fmt.Sprintf("ConfigMap %s is controlled by %s %s, not by this object, and is left alone: delete or rename it to publish the report",
		e.name, e.controller.Kind, e.controller.Name)
}

// liveDigest is the content digest of the object's live report as the
// cache holds it: "" when there is none, or it was edited by hand.
func (p *Publisher) liveDigest(ctx context.Context, obj Object, kind string) (string, error) {
	cm := &corev1.ConfigMap{}
	err := p.client.Get(ctx, client.ObjectKey{Namespace: obj.GetNamespace(), Name: Name(kind, obj.GetName(), "")}, cm)
	switch {
	case apierrors.IsNotFound(err):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("getting report: %w", err)
	}
	return HeldDigest(cm), nil
}

// writeLive creates or updates the live report. A ConfigMap of that name
// that the cache does not hold (its report label was removed, or it was
// made by hand) is read from the API server and adopted when no other
// object controls it; one that another object controls is left alone
// (nameTakenError).
func (p *Publisher) writeLive(ctx context.Context, owner Object, kind, name string, data map[string]string) error {
	cm, err := p.liveOrNew(ctx, owner, kind, name, data)
	if cm == nil || err != nil {
		return err
	}
	if c := metav1.GetControllerOf(cm); c != nil && c.UID != owner.GetUID() {
		return &nameTakenError{name: name, controller: *c}
	}
	want := Labels(kind, owner.GetName(), "live")
	labelled := true
	for k, v := range want {
		if got, ok := cm.Labels[k]; !ok || got != v {
			labelled = false
		}
	}
	digest := ContentDigest(data, nil)
	if HeldDigest(cm) == digest && labelled && metav1.IsControlledBy(cm, owner) {
		return nil // nothing changed: no write
	}
	ctrl.LoggerFrom(ctx).V(1).Info("Writing report", "configMap", name, "heldDigest", HeldDigest(cm), "digest", digest,
		"labelled", labelled, "controlled", metav1.IsControlledBy(cm, owner))
	cm.Data, cm.BinaryData = data, nil
	if cm.Labels == nil {
		cm.Labels = map[string]string{}
	}
	maps.Copy(cm.Labels, want)
	cm.Annotations = withDigest(cm.Annotations, digest)
	if err := controllerutil.SetControllerReference(owner, cm, p.client.Scheme()); err != nil {
		return fmt.Errorf("owning report %s: %w", name, err)
	}
	if err := p.client.Update(ctx, cm); err != nil {
		return fmt.Errorf("updating report %s: %w", name, err)
	}
	return nil
}

// liveOrNew is the live report ConfigMap as it stands, to be adopted or
// updated, or nil when there was none and it has just been created with
// data. One the cache does not hold is read from the API server.
func (p *Publisher) liveOrNew(ctx context.Context, owner Object, kind, name string, data map[string]string) (*corev1.ConfigMap, error) {
	key := client.ObjectKey{Namespace: owner.GetNamespace(), Name: name}
	cm := &corev1.ConfigMap{}
	err := p.client.Get(ctx, key, cm)
	switch {
	case err == nil:
		return cm, nil
	case !apierrors.IsNotFound(err):
		return nil, fmt.Errorf("getting report %s: %w", name, err)
	}
	cm = &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: owner.GetNamespace(), Name: name, Labels: Labels(kind, owner.GetName(), "live"),
		Annotations: withDigest(nil, ContentDigest(data, nil))}, Data: data}
	if err := controllerutil.SetControllerReference(owner, cm, p.client.Scheme()); err != nil {
		return nil, fmt.Errorf("owning report %s: %w", name, err)
	}
	err = p.client.Create(ctx, cm)
	switch {
	case err == nil:
		return nil, nil
	case !apierrors.IsAlreadyExists(err):
		return nil, fmt.Errorf("creating report %s: %w", name, err)
	}
	cm = &corev1.ConfigMap{}
	if err := p.apiReader.Get(ctx, key, cm); err != nil {
		return nil, fmt.Errorf("getting report %s: %w", name, err)
	}
	return cm, nil
}

// deleteLive deletes the object's live report, when the object controls it.
func (p *Publisher) deleteLive(ctx context.Context, owner Object, kind string) error {
	cm := &corev1.ConfigMap{}
	err := p.client.Get(ctx, client.ObjectKey{Namespace: owner.GetNamespace(), Name: Name(kind, owner.GetName(), "")}, cm)
	if apierrors.IsNotFound(err) || (err == nil && !metav1.IsControlledBy(cm, owner)) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("getting report: %w", err)
	}
	return client.IgnoreNotFound(p.client.Delete(ctx, cm))
}
