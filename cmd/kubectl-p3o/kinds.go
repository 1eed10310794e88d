/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"fmt"
	"strings"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// kind is one of the operator's kinds as a person names it on the command
// line.
type kind struct {
	// Kind is the API kind, e.g. "Project".
	Kind string
	// singular and plural are the resource names, e.g. "project", "projects".
	singular, plural string
	// aliases are the short names, e.g. "proj".
	aliases []string
	// newObject returns an empty object of the kind.
	newObject func() client.Object
}

var (
	kindOffice = kind{"Office", "office", "offices", nil,
		func() client.Object { return &v1alpha1.Office{} }}
	kindPortfolio = kind{"Portfolio", "portfolio", "portfolios", []string{"pf"},
		func() client.Object { return &v1alpha1.Portfolio{} }}
	kindProgramme = kind{"Programme", "programme", "programmes", []string{"prog"},
		func() client.Object { return &v1alpha1.Programme{} }}
	kindProject = kind{"Project", "project", "projects", []string{"proj"},
		func() client.Object { return &v1alpha1.Project{} }}
	kindGatewayReview = kind{"GatewayReview", "gatewayreview", "gatewayreviews", []string{"gr"},
		func() client.Object { return &v1alpha1.GatewayReview{} }}
	// kindConfigMap is only used to word errors about report ConfigMaps.
	kindConfigMap = kind{Kind: "ConfigMap", singular: "configmap", plural: "configmaps"}

	allKinds = []kind{kindOffice, kindPortfolio, kindProgramme, kindProject, kindGatewayReview}
)

// matches says whether s names the kind: its kind, singular, plural or
// short name, optionally followed by the API group.
func (k kind) matches(s string) bool {
	s = strings.ToLower(strings.TrimSuffix(s, "."+v1alpha1.GroupVersion.Group))
	if s == strings.ToLower(k.Kind) || s == k.singular || s == k.plural {
		return true
	}
	for _, a := range k.aliases {
		if s == a {
			return true
		}
	}
	return false
}

// names lists kinds for a message: "office, portfolio or programme".
func names(kinds []kind) string {
	var b strings.Builder
	for i, k := range kinds {
		switch {
		case i == 0:
		case i == len(kinds)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(k.singular)
	}
	return b.String()
}

// parseTarget reads "KIND NAME" or "KIND/NAME" from args, accepting only
// the given kinds.
func parseTarget(args []string, allowed []kind) (kind, string, error) {
	var kindArg, name string
	switch {
	case len(args) == 1 && strings.Count(args[0], "/") == 1:
		kindArg, name, _ = strings.Cut(args[0], "/")
	case len(args) == 2:
		kindArg, name = args[0], args[1]
	default:
		return kind{}, "", fmt.Errorf("want KIND NAME (or KIND/NAME), where KIND is %s", names(allowed))
	}
	if name == "" {
		return kind{}, "", fmt.Errorf("want KIND NAME (or KIND/NAME): the name is empty")
	}
	for _, k := range allowed {
		if k.matches(kindArg) {
			return k, name, nil
		}
	}
	for _, k := range allKinds {
		if k.matches(kindArg) {
			return kind{}, "", fmt.Errorf("this command does not take a %s: use %s", k.singular, names(allowed))
		}
	}
	return kind{}, "", fmt.Errorf("unknown kind %q: use %s", kindArg, names(allowed))
}
