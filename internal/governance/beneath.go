/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package governance

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Beneath are the objects whose governance follows from one Office: what
// it governs directly or through its satellites, found by the references
// in their specs (so also before any of them has resolved the office) and
// by the office their status last recorded (so also after a reference
// moved away).
type Beneath struct {
	Portfolios, Programmes, Projects []types.NamespacedName
}

// Beneath follows the references down from an office: its satellites
// (transitively, at most MaxHubDepth deep), the portfolios, programmes and
// projects that name one of them in officeRef or record it in status, the
// programmes and projects of those portfolios, and the projects of those
// programmes. Whatever order objects arrive in, an office that arrives
// last reaches everything it governs through it.
func (r Reader) Beneath(ctx context.Context, office client.Object) (Beneath, error) {
	w := walk{r: r, seen: map[string]bool{}}
	offices, err := w.satellites(ctx, Key(office))
	if err != nil {
		return Beneath{}, err
	}
	var portfolios, programmes []string
	for _, o := range offices {
		pf, err := w.keys(ctx, &v1alpha1.PortfolioList{}, o, IndexOfficeRef, IndexGoverningOffice)
		if err != nil {
			return Beneath{}, err
		}
		portfolios = append(portfolios, pf...)
		pg, err := w.keys(ctx, &v1alpha1.ProgrammeList{}, o, IndexOfficeRef, IndexGoverningOffice)
		if err != nil {
			return Beneath{}, err
		}
		programmes = append(programmes, pg...)
		if _, err := w.keys(ctx, &v1alpha1.ProjectList{}, o, IndexOfficeRef, IndexGoverningOffice); err != nil {
			return Beneath{}, err
		}
	}
	for _, pf := range portfolios {
		pg, err := w.keys(ctx, &v1alpha1.ProgrammeList{}, pf, IndexPortfolioRef)
		if err != nil {
			return Beneath{}, err
		}
		programmes = append(programmes, pg...)
		if _, err := w.keys(ctx, &v1alpha1.ProjectList{}, pf, IndexPortfolioRef); err != nil {
			return Beneath{}, err
		}
	}
	for _, pg := range programmes {
		if _, err := w.keys(ctx, &v1alpha1.ProjectList{}, pg, IndexProgrammeRef); err != nil {
			return Beneath{}, err
		}
	}
	return w.found, nil
}

// walk lists referrers once each and collects them by kind.
type walk struct {
	r     Reader
	seen  map[string]bool
	found Beneath
}

// satellites are the office and its satellites, transitively.
func (w *walk) satellites(ctx context.Context, office string) ([]string, error) {
	offices := []string{office}
	seen := map[string]bool{office: true}
	for depth, level := 0, []string{office}; depth < MaxHubDepth && len(level) > 0; depth++ {
		var next []string
		for _, hub := range level {
			list := &v1alpha1.OfficeList{}
			if err := w.r.List(ctx, list, client.MatchingFields{IndexHubRef: hub}, client.UnsafeDisableDeepCopy); err != nil {
				return nil, fmt.Errorf("listing satellites of %s: %w", hub, err)
			}
			for i := range list.Items {
				if k := Key(&list.Items[i]); !seen[k] {
					seen[k] = true
					next = append(next, k)
				}
			}
		}
		offices, level = append(offices, next...), next
	}
	return offices, nil
}

// keys lists the objects of list's kind whose given indexes hold key,
// records those not found before and returns their keys.
func (w *walk) keys(ctx context.Context, list client.ObjectList, key string, indexes ...string) ([]string, error) {
	var out []string
	for _, index := range indexes {
		if err := w.r.List(ctx, list, client.MatchingFields{index: key}, client.UnsafeDisableDeepCopy); err != nil {
			return nil, fmt.Errorf("listing objects by %s %s: %w", index, key, err)
		}
		for _, obj := range ItemsOf(list) {
			k := kindName(obj) + "/" + Key(obj)
			if w.seen[k] {
				continue
			}
			w.seen[k] = true
			w.add(obj)
			out = append(out, Key(obj))
		}
	}
	return out, nil
}

func (w *walk) add(obj client.Object) {
	key := client.ObjectKeyFromObject(obj)
	switch obj.(type) {
	case *v1alpha1.Portfolio:
		w.found.Portfolios = append(w.found.Portfolios, key)
	case *v1alpha1.Programme:
		w.found.Programmes = append(w.found.Programmes, key)
	case *v1alpha1.Project:
		w.found.Projects = append(w.found.Projects, key)
	}
}

// ItemsOf are the items of a list, as objects.
func ItemsOf(list client.ObjectList) []client.Object {
	var out []client.Object
	_ = meta.EachListItem(list, func(o runtime.Object) error {
		if obj, ok := o.(client.Object); ok {
			out = append(out, obj)
		}
		return nil
	})
	return out
}

func kindName(obj client.Object) string {
	return fmt.Sprintf("%T", obj)
}
