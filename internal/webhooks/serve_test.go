/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// reviewBody is the AdmissionReview the API server sends for the creation
// (old nil) or update of obj.
func reviewBody(t testing.TB, h handlers, old, obj client.Object) []byte {
	t.Helper()
	req := h.request(t, old, obj)
	body, err := json.Marshal(admissionv1.AdmissionReview{TypeMeta: typeMetaOfReview, Request: &req.AdmissionRequest})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

var typeMetaOfReview = metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"}

// serve posts body to server as the API server does and reads the
// response from the review it answers.
func serve(t testing.TB, server http.Handler, body []byte) admissionv1.AdmissionResponse {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, ProjectPath, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	server.ServeHTTP(w, r)
	var review admissionv1.AdmissionReview
	if err := json.Unmarshal(w.Body.Bytes(), &review); err != nil || review.Response == nil {
		t.Fatalf("the answer %q is not an AdmissionReview with a response: %v", w.Body.String(), err)
	}
	if review.APIVersion != "admission.k8s.io/v1" || review.Kind != "AdmissionReview" {
		t.Errorf("the answer is a %s %s", review.APIVersion, review.Kind)
	}
	return *review.Response
}

// randomOrganisation is offices of every enforcement, portfolios and
// programmes under them (some programmes under an office of their own),
// and reviews of some gates of the subjects named erp and prog.
func randomOrganisation(rng *rand.Rand) []client.Object {
	enforcements := []v1alpha1.Enforcement{v1alpha1.EnforcementEnforce, v1alpha1.EnforcementWarn, v1alpha1.EnforcementAudit}
	objs := []client.Object{}
	for i, e := range enforcements {
		objs = append(objs, office(fmt.Sprintf("office-%d", i), e), portfolio(fmt.Sprintf("pf-%d", i), fmt.Sprintf("office-%d", rng.IntN(3))))
		prog := programme(fmt.Sprintf("prog-%d", i), fmt.Sprintf("pf-%d", rng.IntN(3)), v1alpha1.ProgrammeDelivering)
		if rng.IntN(2) == 0 {
			prog.Spec.OfficeRef = ref(fmt.Sprintf("office-%d", rng.IntN(3)))
		}
		objs = append(objs, prog)
	}
	for gate := int32(0); gate <= 5; gate++ {
		if rng.IntN(2) == 0 {
			objs = append(objs, review("erp", v1alpha1.SubjectKindProject, gate))
		}
		if rng.IntN(2) == 0 {
			objs = append(objs, review("prog-0", v1alpha1.SubjectKindProgramme, gate))
		}
	}
	return objs
}

// randomReference is a reference to one of the objects named prefix-0 to
// prefix-2, to a missing one, or none.
func randomReference(rng *rand.Rand, prefix string) *v1alpha1.ParentReference {
	switch n := rng.IntN(5); n {
	case 3:
		return ref("ghost")
	case 4:
		return nil
	default:
		return ref(fmt.Sprintf("%s-%d", prefix, n))
	}
}

// randomSubjectProject is the project erp in any phase, under any references,
// held to any offices, with risks and a closing date or not.
func randomSubjectProject(rng *rand.Rand) *v1alpha1.Project {
	phases := []v1alpha1.ProjectPhase{v1alpha1.ProjectStartingUp, v1alpha1.ProjectInitiating, v1alpha1.ProjectDelivering, v1alpha1.ProjectClosing, v1alpha1.ProjectClosed}
	p := project("erp", phases[rng.IntN(len(phases))])
	p.Spec.ProgrammeRef, p.Spec.PortfolioRef, p.Spec.OfficeRef = randomReference(rng, "prog"), randomReference(rng, "pf"), randomReference(rng, "office")
	var held []string
	for i := range 3 {
		if rng.IntN(3) == 0 {
			held = append(held, fmt.Sprintf("office-%d", i))
		}
	}
	heldTo(held...)(p)
	if rng.IntN(2) == 0 {
		withMostRisks(p)
	}
	if rng.IntN(4) == 0 {
		p.Spec.ClosedOn = "2026-05-01"
	}
	return p
}

// The Project and Programme webhooks read of the stored object only what
// decides its governance: over random organisations and random changes
// (phases, references, offices held to), they decide as controller-runtime's
// handler does with the stored object decoded whole: the same verdict,
// message and warnings.
func TestStoredObjectDecidesAsWhole(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	seen := map[bool]int{}
	for i := range 300 {
		h := newHandlers(t, randomOrganisation(rng)...)
		old, changed := randomSubjectProject(rng), randomSubjectProject(rng)
		oldProg, changedProg := programme("prog-0", "pf-0", v1alpha1.ProgrammeDelivering), programme("prog-0", "pf-0", v1alpha1.ProgrammeClosing)
		for _, p := range []*v1alpha1.Programme{oldProg, changedProg} {
			if r := randomReference(rng, "pf"); r != nil {
				p.Spec.PortfolioRef = *r
			}
		}
		oldProg.Status.HeldTo = []v1alpha1.ObjectReference{{Namespace: ns, Name: fmt.Sprintf("office-%d", rng.IntN(3))}}
		for _, c := range []struct {
			lean, whole admission.Handler
			old, new    client.Object
		}{
			{h.project, admission.WithValidator[*v1alpha1.Project](h.scheme, &projectValidator{h.gates}), old, changed},
			{h.programme, admission.WithValidator[*v1alpha1.Programme](h.scheme, &programmeValidator{h.gates}), oldProg, changedProg},
		} {
			req := h.request(t, c.old, c.new)
			got, want := c.lean.Handle(context.Background(), req), c.whole.Handle(context.Background(), req)
			if got.Allowed != want.Allowed || message(got) != message(want) || !slices.Equal(got.Warnings, want.Warnings) {
				t.Fatalf("change %d: read lean, allowed %v %q %q; read whole, allowed %v %q %q", i,
					got.Allowed, message(got), got.Warnings, want.Allowed, message(want), want.Warnings)
			}
			seen[got.Allowed]++
		}
	}
	if seen[true] < 50 || seen[false] < 50 {
		t.Errorf("admitted %d, denied %d: the changes do not exercise both verdicts", seen[true], seen[false])
	}
}

// The review server answers an admission.k8s.io/v1 AdmissionReview with
// the request's UID, and anything else with an error the API server shows.
func TestReviewServerAnswersTheAPIServer(t *testing.T) {
	h := newHandlers(t, office("gov", v1alpha1.EnforcementEnforce), portfolio("pf", "gov"))
	server := reviewServer{&admission.Webhook{Handler: h.project}}
	body := reviewBody(t, h, project("erp", v1alpha1.ProjectStartingUp), project("erp", v1alpha1.ProjectInitiating))
	resp := serve(t, server, body)
	if resp.Allowed || resp.UID != "req" || resp.Result == nil || !strings.Contains(resp.Result.Message, "Gate 1 Business justification") {
		t.Errorf("entering Initiating under Enforce without gate 1: %+v", resp)
	}
	beta := bytes.Replace(body, []byte(`"admission.k8s.io/v1"`), []byte(`"admission.k8s.io/v1beta1"`), 1)
	for name, b := range map[string][]byte{"v1beta1": beta, "not JSON": []byte("{"), "no request": []byte(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}`)} {
		if resp := serve(t, server, b); resp.Allowed || resp.Result == nil || resp.Result.Code != http.StatusBadRequest {
			t.Errorf("%s: %+v", name, resp)
		}
	}
}
