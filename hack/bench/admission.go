/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/controlplane"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/webhooks"
)

// The admission measurement: editors change the phase of projects under
// an Office that enforces the heaviest policy it can be admitted with, and
// the latency is taken twice: from the webhook's own histogram and at the
// client; then the same requests run with the webhooks removed.

const (
	admissionNamespace = "bench-admission"
	admissionEditors   = 10
	// admissionRisks is the most risks a project may hold (the CRD's
	// maxItems): the rules below compare them pairwise.
	admissionRisks = 128
	projectWebhook = webhooks.ProjectPath
)

// heavyRule is a Project gate rule that reads every risk, each with string
// functions, so that it costs at run time what it is estimated to cost
// (about 2,300 units over 128 risks); bound makes each copy distinct.
func heavyRule(bound int) string {
	return fmt.Sprintf("object.spec.risks.all(r, r.name.startsWith('R-') && r.probability * r.impact <= %d && (!has(r.owner) || r.owner.size() > 0))", bound)
}

// heavyPolicy is the OGC Gateway profile, enforced, with as many copies of
// heavyRule as fit in one object's budget (policy.CostBudget), as gates
// from Initiating on, and the rules' estimated cost together.
func heavyPolicy() (v1alpha1.GovernancePolicy, uint64, error) {
	rules, err := policy.NewRules()
	if err != nil {
		return v1alpha1.GovernancePolicy{}, 0, err
	}
	p := v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway, Enforcement: v1alpha1.EnforcementEnforce}
	var total uint64
	for i := 0; ; i++ {
		expression := heavyRule(25 + i)
		cost, err := rules.Estimate(expression, []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject})
		if err != nil {
			return p, 0, fmt.Errorf("rule %d: %w", i, err)
		}
		if total+cost > policy.CostBudget {
			break
		}
		total += cost
		p.Gates = append(p.Gates, v1alpha1.Gate{Name: fmt.Sprintf("rule-%d", i), AppliesTo: []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject},
			RequiredFrom: "Initiating", Rule: &v1alpha1.GateRule{Expression: expression, Message: "the risk register is consistent"}})
	}
	return p, total, nil
}

// rulesCost is what the policy's rules cost together on a project,
// evaluated as the webhook evaluates them; every rule must hold.
func rulesCost(rules *policy.Rules, governance v1alpha1.GovernancePolicy, p *v1alpha1.Project) (uint64, error) {
	object, err := runtime.DefaultUnstructuredConverter.ToUnstructured(p)
	if err != nil {
		return 0, err
	}
	var total uint64
	for i, g := range governance.Gates {
		if g.Rule == nil {
			continue
		}
		ok, cost, err := rules.Eval(g.Rule.Expression, object)
		if err != nil || !ok {
			return 0, fmt.Errorf("rule %d on %s: %v, %v", i, p.Name, ok, err)
		}
		total += cost
	}
	return total, nil
}

// admissionObjects are the namespace, the Office, a Portfolio, one project
// per editor (StartingUp, where no gate is due yet, with the most risks it
// may hold, under the longest names) and reviews of gates 1 to 3 for each,
// so that moving between Initiating and Delivering is admitted.
func admissionObjects(governance v1alpha1.GovernancePolicy) []client.Object {
	meta := func(name string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Namespace: admissionNamespace, Name: name}
	}
	objs := []client.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: admissionNamespace}},
		&v1alpha1.Office{ObjectMeta: meta("enforcer"), Spec: v1alpha1.OfficeSpec{Type: v1alpha1.OfficeTypePortfolioOffice, Governance: governance}},
		&v1alpha1.Portfolio{ObjectMeta: meta("edited"), Spec: v1alpha1.PortfolioSpec{OfficeRef: v1alpha1.ParentReference{Name: "enforcer"}}},
	}
	yesterday := v1alpha1.Date(time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly))
	risks := make([]v1alpha1.Risk, admissionRisks)
	for i := range risks {
		// Names as long as they may be (63): comparing them costs the most.
		risks[i] = v1alpha1.Risk{Name: fmt.Sprintf("R-%03d-%s", i, strings.Repeat("x", 57)), Probability: int32(1 + i%5), Impact: int32(1 + i%4), Owner: "Someone"}
	}
	for e := range admissionEditors {
		objs = append(objs, &v1alpha1.Project{ObjectMeta: meta(fmt.Sprintf("edited-%02d", e)), Spec: v1alpha1.ProjectSpec{
			PortfolioRef: &v1alpha1.ParentReference{Name: "edited"}, Phase: v1alpha1.ProjectStartingUp,
			Plan: v1alpha1.Plan{Budget: resource.NewQuantity(100_000, resource.DecimalSI)}, Risks: risks}})
		for gate := int32(1); gate <= 3; gate++ {
			objs = append(objs, &v1alpha1.GatewayReview{ObjectMeta: meta(fmt.Sprintf("edited-%02d-gate-%d", e, gate)), Spec: v1alpha1.GatewayReviewSpec{
				SubjectRef: v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProject, ParentReference: v1alpha1.ParentReference{Name: v1alpha1.ObjectName(fmt.Sprintf("edited-%02d", e))}},
				Gate:       &gate, Date: yesterday, Findings: &v1alpha1.Findings{DeliveryConfidence: v1alpha1.ConfidenceGreen}}})
		}
	}
	return objs
}

// phasePatch moves a project to phase.
func phasePatch(phase v1alpha1.ProjectPhase) client.Patch {
	return client.RawPatch("application/merge-patch+json", []byte(fmt.Sprintf(`{"spec":{"phase":%q}}`, phase)))
}

// editorPhase is the phase an editor's i-th edit moves its project to:
// forward to Delivering, which the webhook judges (gates 1 to 3 and the
// rules, under the governance the project had and would have), and back to
// Initiating, which it lets through unjudged.
func editorPhase(i int) v1alpha1.ProjectPhase {
	if i%2 == 0 {
		return v1alpha1.ProjectDelivering
	}
	return v1alpha1.ProjectInitiating
}

// edit runs the editors in parallel, each making edits phase changes of
// its own project, and returns every request's latency at the client. The
// first failure ends the measurement: every edit must be admitted.
func edit(ctx context.Context, c client.Client, edits int) ([]time.Duration, error) {
	var mu sync.Mutex
	var latencies []time.Duration
	errs := make([]error, admissionEditors)
	var wg sync.WaitGroup
	for e := range admissionEditors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: admissionNamespace, Name: fmt.Sprintf("edited-%02d", e)}}
			for i := range edits {
				start := time.Now()
				if err := c.Patch(ctx, p, phasePatch(editorPhase(i))); err != nil {
					errs[e] = fmt.Errorf("editor %d, edit %d: %w", e, i, err)
					return
				}
				mu.Lock()
				latencies = append(latencies, time.Since(start))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return latencies, errors.Join(errs...)
}

// admitted waits until every editor's project may enter Delivering and go
// back (the operator's cache holds the reviews), undoing what it did.
func admitted(ctx context.Context, c client.Client) error {
	deadline := time.Now().Add(2 * time.Minute)
	for e := range admissionEditors {
		p := &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: admissionNamespace, Name: fmt.Sprintf("edited-%02d", e)}}
		for {
			err := c.Patch(ctx, p, phasePatch(v1alpha1.ProjectDelivering))
			if err == nil {
				err = c.Patch(ctx, p, phasePatch(v1alpha1.ProjectInitiating))
			}
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("project %s cannot move between Initiating and Delivering: %w", p.Name, err)
			}
			time.Sleep(250 * time.Millisecond)
		}
	}
	return nil
}

var inFlightLine = regexp.MustCompile(`^controller_runtime_webhook_requests_in_flight\{webhook="` + projectWebhook + `"\} ([0-9.e+]+)$`)

// drained waits until the operator handles no Project admission request:
// requests the API server gave up on are still being evaluated, and would
// take the CPU from the requests timed next.
func drained(ctx context.Context, metricsAddress string) error {
	deadline := time.Now().Add(5 * time.Minute)
	for {
		resp, err := http.Get("http://" + metricsAddress + "/metrics")
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		n := -1.0
		for _, line := range strings.Split(string(body), "\n") {
			if m := inFlightLine.FindStringSubmatch(line); m != nil {
				n, _ = strconv.ParseFloat(m[1], 64)
			}
		}
		if n == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the operator still handles %v admission requests 5 minutes after the last answer", n)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

var failOpenLine = regexp.MustCompile(`^apiserver_admission_webhook_fail_open_count\{.*\} ([0-9.e+]+)$`)

// failOpens is the API server's count of webhook calls it let pass
// because the webhook failed or timed out (failurePolicy Ignore).
func failOpens(ctx context.Context, cfg *rest.Config) (int, error) {
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return 0, err
	}
	body, err := dc.RESTClient().Get().AbsPath("/metrics").DoRaw(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading the API server's metrics: %w", err)
	}
	n := 0
	for _, line := range strings.Split(string(body), "\n") {
		if m := failOpenLine.FindStringSubmatch(line); m != nil {
			v, _ := strconv.ParseFloat(m[1], 64)
			n += int(v)
		}
	}
	return n, nil
}

// removeWebhooks deletes the validating webhook configurations and waits
// until the API server stops calling them: until a move into Closing,
// which the enforced policy denies (no review of gate 4), is admitted. The
// project is moved back.
func removeWebhooks(ctx context.Context, c client.Client) error {
	var list admissionregistrationv1.ValidatingWebhookConfigurationList
	if err := c.List(ctx, &list); err != nil {
		return err
	}
	p := &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: admissionNamespace, Name: "edited-00"}}
	if err := c.Patch(ctx, p, phasePatch(v1alpha1.ProjectClosing)); err == nil {
		return errors.New("a move into Closing without a review of gate 4 was admitted with the webhooks on")
	}
	for i := range list.Items {
		if err := c.Delete(ctx, &list.Items[i]); err != nil {
			return err
		}
	}
	deadline := time.Now().Add(time.Minute)
	for c.Patch(ctx, p, phasePatch(v1alpha1.ProjectClosing)) != nil {
		if time.Now().After(deadline) {
			return errors.New("the API server still calls the webhooks a minute after their configuration was deleted")
		}
		time.Sleep(100 * time.Millisecond)
	}
	return c.Patch(ctx, p, phasePatch(v1alpha1.ProjectInitiating))
}

// measureAdmission sets up the enforced heavy policy and its projects,
// times the editors' phase changes with the webhooks on (the client's and
// the webhook's own latency, fail-opens counted by the API server), then
// the same requests with a webhook that decides nothing (null.go), then
// with the webhooks removed. With a profile file, the
// operator's CPU profile of the first 20 s of the editing goes there.
func measureAdmission(ctx context.Context, cp *controlplane.ControlPlane, c client.Client, op *controlplane.Operator, edits int, profile string, res *Result) error {
	governance, cost, err := heavyPolicy()
	if err != nil {
		return err
	}
	res.AdmissionEditors, res.AdmissionRequests, res.AdmissionRulesCost = admissionEditors, admissionEditors*edits, cost
	rules, err := policy.NewRules()
	if err != nil {
		return err
	}
	for _, o := range admissionObjects(governance) {
		if p, ok := o.(*v1alpha1.Project); ok && res.AdmissionRulesActualCost == 0 {
			if res.AdmissionRulesActualCost, err = rulesCost(rules, governance, p); err != nil {
				return err
			}
		}
		if err := c.Create(ctx, o); err != nil {
			return fmt.Errorf("creating %T %s: %w", o, o.GetName(), err)
		}
	}
	if err := admitted(ctx, c); err != nil {
		return err
	}
	logf("timing %d phase changes by %d parallel editors under the enforced policy (rules estimated at %d, costing %d on each project)",
		res.AdmissionRequests, admissionEditors, cost, res.AdmissionRulesActualCost)
	before, err := nativeWebhookHistogram(op.MetricsAddress)
	if err != nil {
		return err
	}
	openBefore, err := failOpens(ctx, cp.Config)
	if err != nil {
		return err
	}
	profiled := make(chan error, 1)
	if profile != "" {
		go func() { profiled <- saveProfile(op.MetricsAddress, "profile?seconds=20", profile) }()
	} else {
		profiled <- nil
	}
	on, err := edit(ctx, c, edits)
	if err != nil {
		return err
	}
	if err := <-profiled; err != nil {
		return err
	}
	drainStart := time.Now()
	if err := drained(ctx, op.MetricsAddress); err != nil {
		return err
	}
	res.WebhookDrainSeconds = time.Since(drainStart).Seconds()
	after, err := nativeWebhookHistogram(op.MetricsAddress)
	if err != nil {
		return err
	}
	openAfter, err := failOpens(ctx, cp.Config)
	if err != nil {
		return err
	}
	res.AdmissionFailOpen = openAfter - openBefore
	if res.WebhookP50Milli, res.WebhookCalls, _, err = nativeQuantile(before, after, 0.50); err != nil {
		return err
	}
	if res.WebhookP99Milli, _, res.WebhookP99Bucket, err = nativeQuantile(before, after, 0.99); err != nil {
		return err
	}
	res.AdmissionP50Milli, res.AdmissionP99Milli = percentile(on, 0.50), percentile(on, 0.99)
	if err := measureNullWebhook(ctx, cp, c, edits, res); err != nil {
		return err
	}

	logf("removing the webhooks and timing the same phase changes")
	if err := removeWebhooks(ctx, c); err != nil {
		return err
	}
	off, err := edit(ctx, c, edits)
	if err != nil {
		return err
	}
	res.NoWebhookP50Milli, res.NoWebhookP99Milli = percentile(off, 0.50), percentile(off, 0.99)
	res.AdmissionP99Ratio = res.AdmissionP99Milli / res.NoWebhookP99Milli
	return nil
}

// measureNullWebhook times the editors' phase changes with the Project
// webhook served by a webhook that decides nothing, and points the API
// server back at the operator.
func measureNullWebhook(ctx context.Context, cp *controlplane.ControlPlane, c client.Client, edits int, res *Result) error {
	logf("timing the same phase changes with a webhook that decides nothing")
	null, err := startNullWebhook(cp)
	if err != nil {
		return err
	}
	defer null.Stop()
	if err := pointProjectWebhookAt(ctx, c, null.port(), nullMarker); err != nil {
		return err
	}
	null.handled()
	if _, err := edit(ctx, c, edits); err != nil {
		return err
	}
	took := null.handled()
	res.NullWebhookCalls = len(took)
	res.NullWebhookP50Milli, res.NullWebhookP99Milli = percentile(took, 0.50), percentile(took, 0.99)
	return pointProjectWebhookAt(ctx, c, strconv.Itoa(cp.Env.WebhookInstallOptions.LocalServingPort), "Gate 4")
}
