/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-logr/logr"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"p3o.dev/p3o-operator/internal/dashboard"
)

// errCRDsMissing is returned when the cluster does not serve the API.
var errCRDsMissing = errors.New("the p3o-operator CRDs are not installed: see README (make install applies them)")

// session is a connection to the cluster the kubeconfig flags select.
type session struct {
	client client.Reader
	// namespace is the namespace of -n, else of the kubeconfig context.
	namespace string
}

// connect builds a controller-runtime client from the kubeconfig flags.
// It reads only: the plugin never writes.
func connect(flags *genericclioptions.ConfigFlags) (*session, error) {
	// controller-runtime warns on stderr when nothing set its logger.
	ctrllog.SetLogger(logr.Discard())
	namespace, _, err := flags.ToRawKubeConfigLoader().Namespace()
	if err != nil {
		return nil, fmt.Errorf("reading the kubeconfig: %w", err)
	}
	cfg, err := flags.ToRESTConfig()
	if err != nil {
		return nil, fmt.Errorf("reading the kubeconfig: %w", err)
	}
	scheme, err := dashboard.Scheme()
	if err != nil {
		return nil, err
	}
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return nil, fmt.Errorf("connecting to the cluster: %w", err)
	}
	return &session{client: c, namespace: namespace}, nil
}

// get reads one object and words the errors a person can act on.
func (s *session) get(ctx context.Context, k kind, namespace, name string) (client.Object, error) {
	obj := k.newObject()
	if err := s.client.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, obj); err != nil {
		return nil, readError(err, k, namespace, name)
	}
	return obj, nil
}

// list lists objects of a kind in a namespace ("" for all namespaces).
func (s *session) list(ctx context.Context, k kind, list client.ObjectList, namespace string, opts ...client.ListOption) error {
	if namespace != "" {
		opts = append(opts, client.InNamespace(namespace))
	}
	if err := s.client.List(ctx, list, opts...); err != nil {
		return readError(err, k, namespace, "")
	}
	return nil
}

// readError turns an API error into one that says what to do. namespace
// "" means all namespaces; name "" means a list.
func readError(err error, k kind, namespace, name string) error {
	where := "in namespace " + namespace
	if namespace == "" {
		where = "in all namespaces"
	}
	switch {
	case meta.IsNoMatchError(err):
		if k.Kind == kindConfigMap.Kind {
			return fmt.Errorf("the cluster does not serve configmaps: %w", err)
		}
		return errCRDsMissing
	case apierrors.IsNotFound(err) && name != "":
		return fmt.Errorf("%s %s not found in namespace %s; list them with kubectl get %s -n %s", k.singular, name, namespace, k.plural, namespace)
	case apierrors.IsForbidden(err):
		role := "the governance-viewer role"
		if k.Kind == kindConfigMap.Kind {
			role = "the view role, which covers the governance objects and their report ConfigMaps"
		}
		if namespace == "" {
			role += " cluster-wide, or name a namespace with -n"
		}
		return &forbiddenError{fmt.Sprintf("you may not read %s %s; ask for %s", k.plural, where, role), err}
	case apierrors.IsUnauthorized(err):
		return fmt.Errorf("the cluster does not accept your credentials: log in again or check --context and --kubeconfig (%w)", err)
	}
	return err
}

// forbiddenError is a refused read, worded for people; it wraps the API
// error so that callers can still tell it apart.
type forbiddenError struct {
	msg string
	err error
}

func (e *forbiddenError) Error() string { return e.msg }
func (e *forbiddenError) Unwrap() error { return e.err }
