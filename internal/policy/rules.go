/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/model"
	apiservercel "k8s.io/apiserver/pkg/cel"
	"k8s.io/apiserver/pkg/cel/environment"
	"k8s.io/apiserver/pkg/cel/library"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/config/crd"
)

// The cost limits of gate rules. One rule on one object may cost at most
// CostLimit, the API server's per-call limit for CEL; all the rules of one
// object together at most CostBudget. A webhook answer evaluates an object
// at most twice (under its governance before and after a change), so the
// rules' share of it is bounded by 2 × CostBudget: about 2 s at the 3M
// units a second measured on a busy 2-core machine, inside the webhook's
// 5 s timeout. A rule whose worst case, estimated from the schema's bounds
// on lists and strings, exceeds CostLimit is refused when its Office is
// admitted, as the API server refuses such validation rules in a CRD.
const (
	CostLimit  = 1_000_000
	CostBudget = 3_000_000
)

// maxCachedRules bounds the compiled-rule cache.
const maxCachedRules = 1024

// Rules compiles CEL gate rules once and evaluates them with the cost
// limits. A rule sees the object as `object` (its JSON form:
// object.spec.phase, object.metadata.labels, ...) and has the Kubernetes
// CEL libraries the API server offers (quantity, lists, strings, regex,
// URLs, sets, ...), at the API server's compatibility version. Safe for
// concurrent use.
type Rules struct {
	env *cel.Env
	// schemas are the Project and Programme types, for cost estimates.
	schemas map[v1alpha1.SubjectKind]*apiservercel.DeclType

	mu       sync.Mutex
	compiled map[string]compiledRule
}

type compiledRule struct {
	ast     *cel.Ast
	program cel.Program
	err     error
}

// NewRules creates a rule compiler.
func NewRules() (*Rules, error) {
	envSet, err := environment.MustBaseEnvSet(environment.DefaultCompatibilityVersion()).Extend(environment.VersionedOptions{
		IntroducedVersion: environment.DefaultCompatibilityVersion(),
		EnvOptions:        []cel.EnvOption{cel.Variable("object", cel.DynType)},
	})
	if err != nil {
		return nil, fmt.Errorf("creating the CEL environment: %w", err)
	}
	env, err := envSet.Env(environment.NewExpressions)
	if err != nil {
		return nil, fmt.Errorf("creating the CEL environment: %w", err)
	}
	schemas := map[v1alpha1.SubjectKind]*apiservercel.DeclType{}
	for kind, file := range map[v1alpha1.SubjectKind]string{
		v1alpha1.SubjectKindProject:   "bases/governance.p3o.dev_projects.yaml",
		v1alpha1.SubjectKindProgramme: "bases/governance.p3o.dev_programmes.yaml",
	} {
		if schemas[kind], err = declType(file); err != nil {
			return nil, fmt.Errorf("reading the %s schema: %w", kind, err)
		}
	}
	return &Rules{env: env, schemas: schemas, compiled: map[string]compiledRule{}}, nil
}

// declType is the CEL type of the objects of an embedded CRD.
func declType(file string) (*apiservercel.DeclType, error) {
	data, err := fs.ReadFile(crd.Bases, file)
	if err != nil {
		return nil, err
	}
	def := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.Unmarshal(data, def); err != nil {
		return nil, err
	}
	if len(def.Spec.Versions) == 0 || def.Spec.Versions[0].Schema == nil {
		return nil, errors.New("no schema")
	}
	internal := &apiextensionsinternal.JSONSchemaProps{}
	if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(def.Spec.Versions[0].Schema.OpenAPIV3Schema, internal, nil); err != nil {
		return nil, err
	}
	structural, err := structuralschema.NewStructural(internal)
	if err != nil {
		return nil, err
	}
	return model.SchemaDeclType(model.WithTypeAndObjectMeta(structural), true), nil
}

// Check compiles an expression and reports why it cannot be used.
func (r *Rules) Check(expression string) error {
	_, err := r.rule(expression)
	return err
}

// Estimate is the worst-case cost of a rule on an object of any of kinds,
// in CEL cost units, estimated from the bounds of the kinds' schemas.
func (r *Rules) Estimate(expression string, kinds []v1alpha1.SubjectKind) (uint64, error) {
	c, err := r.rule(expression)
	if err != nil {
		return 0, err
	}
	var worst uint64
	for _, kind := range kinds {
		root, ok := r.schemas[kind]
		if !ok {
			continue
		}
		est, err := r.env.EstimateCost(c.ast, &library.CostEstimator{SizeEstimator: schemaSizes{root: root}})
		if err != nil {
			return 0, fmt.Errorf("cannot be estimated: %w", err)
		}
		worst = max(worst, est.Max)
	}
	return worst, nil
}

// CheckGate compiles a gate's rule and checks its estimated cost against
// CostLimit; the error says by how much a rule exceeds it.
func (r *Rules) CheckGate(g v1alpha1.Gate) (uint64, error) {
	if g.Rule == nil {
		return 0, nil
	}
	cost, err := r.Estimate(g.Rule.Expression, g.AppliesTo)
	if err != nil {
		return 0, err
	}
	if cost > CostLimit {
		return cost, fmt.Errorf("estimated cost %s exceeds the limit %d by a factor of %.1f; simplify the rule (fewer nested comprehensions over lists)",
			costString(cost), CostLimit, float64(cost)/CostLimit)
	}
	return cost, nil
}

func costString(cost uint64) string {
	if cost == math.MaxUint64 {
		return "unbounded"
	}
	return fmt.Sprint(cost)
}

func (r *Rules) rule(expression string) (compiledRule, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.compiled[expression]; ok {
		return c, c.err
	}
	c := r.compile(expression)
	if len(r.compiled) >= maxCachedRules {
		clear(r.compiled)
	}
	r.compiled[expression] = c
	return c, c.err
}

func (r *Rules) compile(expression string) compiledRule {
	ast, issues := r.env.Compile(expression)
	if issues != nil && issues.Err() != nil {
		return compiledRule{err: fmt.Errorf("does not compile: %w", issues.Err())}
	}
	if ast.OutputType() != cel.BoolType && ast.OutputType() != cel.DynType {
		return compiledRule{err: fmt.Errorf("must evaluate to a bool, not %s", ast.OutputType())}
	}
	program, err := r.env.Program(ast, cel.CostLimit(CostLimit), cel.CostTracking(&library.CostEstimator{}),
		cel.EvalOptions(cel.OptOptimize, cel.OptTrackCost), cel.InterruptCheckFrequency(100))
	if err != nil {
		return compiledRule{err: fmt.Errorf("cannot be planned: %w", err)}
	}
	return compiledRule{ast: ast, program: program}
}

// Eval evaluates an expression over an object in its JSON form, and
// returns what it cost.
func (r *Rules) Eval(expression string, object map[string]any) (bool, uint64, error) {
	c, err := r.rule(expression)
	if err != nil {
		return false, 0, err
	}
	out, details, err := c.program.Eval(map[string]any{"object": object})
	var cost uint64
	if details != nil && details.ActualCost() != nil {
		cost = *details.ActualCost()
	}
	if err != nil {
		return false, cost, fmt.Errorf("failed: %w", err)
	}
	b, ok := out.Value().(bool)
	if !ok {
		return false, cost, fmt.Errorf("gave %v, not a bool", out.Value())
	}
	return b, cost, nil
}

// schemaSizes bounds the sizes of lists, maps and strings in a rule's cost
// estimate by the maxItems, maxProperties and maxLength of the schema the
// rule's `object` follows.
type schemaSizes struct {
	root *apiservercel.DeclType
}

func (s schemaSizes) EstimateSize(element checker.AstNode) *checker.SizeEstimate {
	path := element.Path()
	if len(path) == 0 || path[0] != "object" {
		return nil
	}
	node := s.root
	for _, step := range path[1:] {
		switch step {
		case "@items", "@values":
			node = node.ElemType
		case "@keys":
			node = node.KeyType
		default:
			field, ok := node.Fields[step]
			if !ok {
				return nil
			}
			node = field.Type
		}
		if node == nil {
			return nil
		}
	}
	return &checker.SizeEstimate{Min: 0, Max: uint64(node.MaxElements)}
}

func (s schemaSizes) EstimateCallCost(string, string, *checker.AstNode, []checker.AstNode) *checker.CallEstimate {
	return nil
}

// Applicable reports a gate whose requiredFrom is not a phase of any kind it
// applies to: such a gate would never apply.
func Applicable(g v1alpha1.Gate) error {
	for _, kind := range g.AppliesTo {
		if _, isPhase := reached(kind, "", string(g.RequiredFrom)); isPhase {
			return nil
		}
	}
	return fmt.Errorf("requiredFrom %s is not a phase of %v, so the gate would never apply (Project phases: %v; Programme phases: %v)",
		g.RequiredFrom, g.AppliesTo, kindPhases[v1alpha1.SubjectKindProject], kindPhases[v1alpha1.SubjectKindProgramme])
}
