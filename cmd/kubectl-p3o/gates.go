/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"fmt"
	"io"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// GatesView is what `gates` prints: the gates that apply to a Project or
// Programme (status.compliance), or the gates of an Office's effective
// policy (status.gates).
type GatesView struct {
	Kind        string                `json:"kind"`
	Namespace   string                `json:"namespace"`
	Name        string                `json:"name"`
	Enforcement string                `json:"enforcement,omitempty"`
	Gates       []v1alpha1.GateStatus `json:"gates,omitempty"`
	NextGate    string                `json:"nextGate,omitempty"`
	// PolicyGates are an Office's gate names.
	PolicyGates []string `json:"policyGates,omitempty"`
	// Compliant is the Compliant condition of a Project or Programme.
	Compliant *metav1.Condition `json:"compliant,omitempty"`
}

func gatesOf(obj client.Object) GatesView {
	v := GatesView{Namespace: obj.GetNamespace(), Name: obj.GetName()}
	switch o := obj.(type) {
	case *v1alpha1.Office:
		v.Kind, v.Enforcement, v.PolicyGates = "Office", string(o.Status.Enforcement), o.Status.Gates
	case *v1alpha1.Programme:
		c := o.Status.Compliance
		v.Kind, v.Enforcement, v.Gates, v.NextGate = "Programme", string(c.Enforcement), c.Gates, c.NextGate
		v.Compliant = condition(o.Status.Conditions, v1alpha1.ConditionCompliant)
	case *v1alpha1.Project:
		c := o.Status.Compliance
		v.Kind, v.Enforcement, v.Gates, v.NextGate = "Project", string(c.Enforcement), c.Gates, c.NextGate
		v.Compliant = condition(o.Status.Conditions, v1alpha1.ConditionCompliant)
	}
	return v
}

// writeGates writes the gates as a table.
func writeGates(w io.Writer, p printer, v GatesView) error {
	if v.Kind == "Office" {
		if len(v.PolicyGates) == 0 {
			_, err := fmt.Fprintf(w, "Office %s/%s has no gates in its effective policy (enforcement %s).\n", clean(v.Namespace), clean(v.Name), clean(orDash(v.Enforcement)))
			return err
		}
		t := &table{header: []string{"GATE"}, healthCol: -1}
		for _, g := range v.PolicyGates {
			t.add(g)
		}
		if err := t.write(w, p); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "Enforcement: %s\n", clean(orDash(v.Enforcement)))
		return err
	}
	if len(v.Gates) == 0 {
		msg := fmt.Sprintf("No gates apply to %s %s/%s", v.Kind, v.Namespace, v.Name)
		if c := v.Compliant; c != nil {
			msg += fmt.Sprintf(" (Compliant %s, %s: %s)", c.Status, c.Reason, c.Message)
		}
		_, err := fmt.Fprintln(w, clean(msg+"."))
		return err
	}
	t := &table{header: []string{"GATE", "DESCRIPTION", "STATE", "CAUSE", "DUE", "EXPIRES", "REVIEW", "MESSAGE"}, healthCol: -1}
	for _, g := range v.Gates {
		due := date(g.DueAt)
		if g.DueAt != nil && g.State == v1alpha1.GateUnmet && g.DueAt.Time.Before(p.now) {
			due += " (overdue)"
		}
		t.add(g.Name, orDash(g.Description), string(g.State), orDash(string(g.Cause)), orDash(due), orDash(date(g.ExpiresAt)), orDash(g.Review.String()), g.Message)
	}
	if err := t.write(w, p); err != nil {
		return err
	}
	summary := "Enforcement: " + orDash(v.Enforcement)
	if v.NextGate != "" {
		summary += "; next gate: " + v.NextGate
	}
	_, err := fmt.Fprintln(w, clean(summary))
	return err
}
