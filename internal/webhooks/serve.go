/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	admissionv1 "k8s.io/api/admission/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"
	sigsjson "sigs.k8s.io/json"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// A Project's admission carries it twice (as it is and as it would be),
// each with up to 128 risks and the managed fields that name every one of
// them: some 70 kB of JSON. controller-runtime's handlers read each of the
// three documents (the review, then each object) once more before decoding
// it, only to learn a kind the webhook configuration already fixes, and
// decode the stored object whole where deciding needs a dozen of its
// fields. Those passes were half the webhooks' handling time under ten
// parallel editors (make bench), so the Project and Programme webhooks
// decode the review and each object in one pass, and of the stored object
// only what decides its governance.

// maxReviewSize bounds an AdmissionReview as controller-runtime does: two
// objects of at most 3 MiB each and the rest.
const maxReviewSize = 7 << 20

// reviewServer serves an admission.Webhook to the API server, decoding the
// AdmissionReview (admission.k8s.io/v1, as the webhook configurations ask)
// in one pass.
type reviewServer struct{ webhook *admission.Webhook }

func (s reviewServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	review, err := readReview(r)
	if err != nil {
		resp := admission.Errored(http.StatusBadRequest, err)
		writeReview(w, admissionv1.AdmissionReview{Response: &resp.AdmissionResponse})
		return
	}
	ctx := r.Context()
	resp := s.webhook.Handle(ctx, admission.Request{AdmissionRequest: *review.Request})
	review.Request, review.Response = nil, &resp.AdmissionResponse
	writeReview(w, review)
}

// readReview reads an AdmissionReview with its request.
func readReview(r *http.Request) (admissionv1.AdmissionReview, error) {
	var review admissionv1.AdmissionReview
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		return review, fmt.Errorf("contentType=%s, expected application/json", ct)
	}
	body, err := readBody(r)
	if err != nil {
		return review, err
	}
	if err := sigsjson.UnmarshalCaseSensitivePreserveInts(body, &review); err != nil {
		return review, fmt.Errorf("decoding the AdmissionReview: %w", err)
	}
	if gvk := review.GroupVersionKind(); gvk != admissionv1.SchemeGroupVersion.WithKind("AdmissionReview") || review.Request == nil {
		return review, fmt.Errorf("expected an admission.k8s.io/v1 AdmissionReview with a request, got %s", gvk)
	}
	return review, nil
}

// readBody reads a request's body of at most maxReviewSize bytes, into a
// buffer of its announced length (the API server sends it), not one grown
// by doubling.
func readBody(r *http.Request) ([]byte, error) {
	if r.ContentLength > maxReviewSize {
		return nil, fmt.Errorf("request entity is too large; limit is %d bytes", maxReviewSize)
	}
	buf := bytes.NewBuffer(make([]byte, 0, max(r.ContentLength, 0)+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(r.Body, maxReviewSize+1)); err != nil {
		return nil, fmt.Errorf("reading the request: %w", err)
	}
	if buf.Len() > maxReviewSize {
		return nil, fmt.Errorf("request entity is too large; limit is %d bytes", maxReviewSize)
	}
	return buf.Bytes(), nil
}

func writeReview(w http.ResponseWriter, review admissionv1.AdmissionReview) {
	review.SetGroupVersionKind(admissionv1.SchemeGroupVersion.WithKind("AdmissionReview"))
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(review) // a broken connection: the API server applies the failure policy
}

// subjectHandler is the admission handler of the Project or Programme
// webhook: controller-runtime's validator handler, with the object
// decoded whole in one pass and the stored object read by stored.
type subjectHandler[T client.Object] struct {
	validator admission.Validator[T]
	new       func() T
	// stored reads of the stored object what decides its governance
	// (governingFields).
	stored func(raw []byte) (T, error)
}

func (h subjectHandler[T]) Handle(ctx context.Context, req admission.Request) admission.Response {
	ctx = admission.NewContextWithRequest(ctx, req)
	obj := h.new()
	if err := sigsjson.UnmarshalCaseSensitivePreserveInts(req.Object.Raw, obj); err != nil {
		return admission.Errored(http.StatusBadRequest, fmt.Errorf("decoding the object: %w", err))
	}
	var warnings admission.Warnings
	var err error
	switch req.Operation {
	case admissionv1.Create:
		warnings, err = h.validator.ValidateCreate(ctx, obj)
	case admissionv1.Update:
		old, decodeErr := h.stored(req.OldObject.Raw)
		if decodeErr != nil {
			return admission.Errored(http.StatusBadRequest, fmt.Errorf("decoding the stored object: %w", decodeErr))
		}
		warnings, err = h.validator.ValidateUpdate(ctx, old, obj)
	default:
		return admission.Errored(http.StatusBadRequest, fmt.Errorf("operation %s is not one the webhook is registered for", req.Operation))
	}
	if err != nil {
		return admission.Denied(err.Error()).WithWarnings(warnings...)
	}
	return admission.Allowed("").WithWarnings(warnings...)
}

// governingFields are the fields of a stored Project or Programme that
// the webhooks read of it: its name and namespace, phase, references and
// the offices its status holds it to. Nothing else of the stored object
// decides an update (TestStoredObjectDecidesAsWhole).
type governingFields struct {
	Metadata struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
	Spec struct {
		Phase        string                    `json:"phase"`
		ProgrammeRef *v1alpha1.ParentReference `json:"programmeRef"`
		PortfolioRef *v1alpha1.ParentReference `json:"portfolioRef"`
		OfficeRef    *v1alpha1.ParentReference `json:"officeRef"`
	} `json:"spec"`
	Status struct {
		HeldTo []v1alpha1.ObjectReference `json:"heldTo"`
	} `json:"status"`
}

func readGoverningFields(raw []byte) (governingFields, error) {
	var f governingFields
	if len(raw) == 0 {
		return f, errors.New("no stored object")
	}
	return f, sigsjson.UnmarshalCaseSensitivePreserveInts(raw, &f)
}

// storedProject is a stored Project's governingFields.
func storedProject(raw []byte) (*v1alpha1.Project, error) {
	f, err := readGoverningFields(raw)
	if err != nil {
		return nil, err
	}
	p := &v1alpha1.Project{}
	p.Name, p.Namespace = f.Metadata.Name, f.Metadata.Namespace
	p.Spec.Phase = v1alpha1.ProjectPhase(f.Spec.Phase)
	p.Spec.ProgrammeRef, p.Spec.PortfolioRef, p.Spec.OfficeRef = f.Spec.ProgrammeRef, f.Spec.PortfolioRef, f.Spec.OfficeRef
	p.Status.HeldTo = f.Status.HeldTo
	return p, nil
}

// storedProgramme is a stored Programme's governingFields.
func storedProgramme(raw []byte) (*v1alpha1.Programme, error) {
	f, err := readGoverningFields(raw)
	if err != nil {
		return nil, err
	}
	p := &v1alpha1.Programme{}
	p.Name, p.Namespace = f.Metadata.Name, f.Metadata.Namespace
	p.Spec.Phase = v1alpha1.ProgrammePhase(f.Spec.Phase)
	if f.Spec.PortfolioRef != nil {
		p.Spec.PortfolioRef = *f.Spec.PortfolioRef
	}
	p.Spec.OfficeRef = f.Spec.OfficeRef
	p.Status.HeldTo = f.Status.HeldTo
	return p, nil
}
