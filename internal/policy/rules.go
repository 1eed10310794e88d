/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"slices"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	"github.com/google/cel-go/common/types/ref"
	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/model"
	"k8s.io/apimachinery/pkg/util/version"
	apiservercel "k8s.io/apiserver/pkg/cel"
	"k8s.io/apiserver/pkg/cel/environment"
	"k8s.io/apiserver/pkg/cel/library"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/config/crd"
)

// The cost limits of gate rules, in CEL cost units as the API server counts
// them. One rule may cost at most CostLimit, and the rules that apply to
// one object together at most CostBudget: an Office whose rules' worst
// cases (Estimate) exceed either is refused. At run time, the rules of an
// object whose worst cases together fit CostBudget run uncounted (they
// cannot exceed it); otherwise (rules from several offices above an
// object, or an Office admitted while the webhook was down) they run
// counted: a rule stops at CostLimit and no rule starts once the object's
// rules have spent CostBudget. The webhook judges every edit that moves an
// object forward while its editor waits, so the limits are set by time,
// not by what the API server allows a CRD rule (1,000,000, which a
// comparison of 128 risks pairwise, some 30 ms of CPU, stays under):
// 25,000 units are a few thousand iterations of a comprehension, 5 ms of
// one core at most counted, about 1.5 ms uncounted, as measured on a busy
// 2-core machine (make bench), which admits a dozen
// rules over every risk of a project, each with string functions, but not
// a comparison of a list with itself (uniqueness belongs in the schema,
// as a list-map key, where the API server checks it once).
const (
	CostLimit  = 25_000
	CostBudget = 25_000
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
	// env is the API server's environment: rules compile in it, and run in
	// it counted, with its cost tracking and limit.
	env *cel.Env
	// uncounted has env's libraries without its cost tracking, for rules
	// whose estimated worst case fits the budget (newUncountedEnv).
	uncounted *cel.Env
	// typed are the environments in which `object` has the Project's or the
	// Programme's type, for cost estimates as the API server makes them.
	typed map[v1alpha1.SubjectKind]typedEnv

	mu       sync.Mutex
	compiled map[string]compiledRule
	// estimated caches Estimate's worst case of a rule on one kind.
	estimated map[estimateKey]estimate
}

type compiledRule struct {
	ast *cel.Ast
	// program runs counted; uncounted runs the same rule without tracking.
	program, uncounted cel.Program
	err                error
}

type estimateKey struct {
	expression string
	kind       v1alpha1.SubjectKind
}

type estimate struct {
	cost uint64
	err  error
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
	typed := map[v1alpha1.SubjectKind]typedEnv{}
	for kind, file := range map[v1alpha1.SubjectKind]string{
		v1alpha1.SubjectKindProject:   "bases/governance.p3o.dev_projects.yaml",
		v1alpha1.SubjectKindProgramme: "bases/governance.p3o.dev_programmes.yaml",
	} {
		if typed[kind], err = newTypedEnv(kind, file); err != nil {
			return nil, fmt.Errorf("reading the %s schema: %w", kind, err)
		}
	}
	uncounted, err := newUncountedEnv()
	if err != nil {
		return nil, fmt.Errorf("creating the CEL environment: %w", err)
	}
	return &Rules{env: env, uncounted: uncounted, typed: typed, compiled: map[string]compiledRule{}, estimated: map[estimateKey]estimate{}}, nil
}

// typedEnv is the API server's CEL environment for a CRD's validation rules
// at the root of its schema, with the object named `object` instead of
// `self`.
type typedEnv struct {
	env  *cel.Env
	root *apiservercel.DeclType
}

// newTypedEnv declares `object` with the type of the objects of an embedded
// CRD, as the API server declares `self` for the CRD's root rules.
func newTypedEnv(kind v1alpha1.SubjectKind, file string) (typedEnv, error) {
	structural, err := ObjectSchema(file)
	if err != nil {
		return typedEnv{}, err
	}
	BoundAmounts(structural)
	root := objectType(structural)
	root = root.MaybeAssignTypeName("p3o" + string(kind))
	envSet, err := environment.MustBaseEnvSet(environment.DefaultCompatibilityVersion()).Extend(environment.VersionedOptions{
		IntroducedVersion: version.MajorMinor(1, 0),
		EnvOptions:        []cel.EnvOption{cel.Variable("object", root.CelType())},
		DeclTypes:         []*apiservercel.DeclType{root},
	})
	if err != nil {
		return typedEnv{}, err
	}
	env, err := envSet.Env(environment.NewExpressions)
	if err != nil {
		return typedEnv{}, err
	}
	return typedEnv{env: env, root: root}, nil
}

// ObjectSchema is the structural schema of the objects of an embedded CRD,
// e.g. "bases/governance.p3o.dev_projects.yaml".
func ObjectSchema(file string) (*structuralschema.Structural, error) {
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
	return structuralschema.NewStructural(internal)
}

// objectType is the CEL type of a CRD's objects as the API server types a
// root rule's `self`, with the metadata a gate rule may read besides name
// and generateName: namespace, labels and annotations (their sizes are
// unbounded, as the API server counts unbounded strings and maps).
func objectType(structural *structuralschema.Structural) *apiservercel.DeclType {
	typed := model.WithTypeAndObjectMeta(structural)
	text := structuralschema.Structural{Generic: structuralschema.Generic{Type: "string"}}
	textMap := structuralschema.Structural{Generic: structuralschema.Generic{Type: "object"},
		AdditionalProperties: &structuralschema.StructuralOrBool{Structural: &text}}
	metadata := typed.Properties["metadata"]
	props := maps.Clone(metadata.Properties)
	props["namespace"], props["labels"], props["annotations"] = text, textMap, textMap
	metadata.Properties = props
	typed.Properties["metadata"] = metadata
	return model.SchemaDeclType(typed, true)
}

// Check compiles an expression and reports why it cannot be used.
func (r *Rules) Check(expression string) error {
	_, err := r.rule(expression)
	return err
}

// Estimate is the worst-case cost of a rule on an object of any of kinds,
// in CEL cost units, as the API server estimates a validation rule at the
// root of a CRD with the kind's schema: the rule is type-checked against
// the schema and sized by its maxItems, maxProperties and maxLength. A rule
// that does not type-check against a kind's schema is refused, as the API
// server refuses it in a CRD.
func (r *Rules) Estimate(expression string, kinds []v1alpha1.SubjectKind) (uint64, error) {
	if _, err := r.rule(expression); err != nil {
		return 0, err
	}
	var worst uint64
	for _, kind := range kinds {
		e := r.estimate(expression, kind)
		if e.err != nil {
			return 0, e.err
		}
		worst = max(worst, e.cost)
	}
	return worst, nil
}

// estimate is Estimate for one kind, cached; zero for a kind without a
// schema.
func (r *Rules) estimate(expression string, kind v1alpha1.SubjectKind) estimate {
	key := estimateKey{expression, kind}
	r.mu.Lock()
	e, ok := r.estimated[key]
	r.mu.Unlock()
	if ok {
		return e
	}
	if typed, ok := r.typed[kind]; ok {
		e = typed.estimate(expression, kind)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.estimated) >= 2*maxCachedRules {
		clear(r.estimated)
	}
	r.estimated[key] = e
	return e
}

func (typed typedEnv) estimate(expression string, kind v1alpha1.SubjectKind) estimate {
	ast, issues := typed.env.Compile(expression)
	if issues != nil && issues.Err() != nil {
		return estimate{err: fmt.Errorf("does not compile against the %s schema: %w", kind, issues.Err())}
	}
	est, err := typed.env.EstimateCost(ast, &library.CostEstimator{SizeEstimator: schemaSizes{root: typed.root}})
	if err != nil {
		return estimate{err: fmt.Errorf("cannot be estimated: %w", err)}
	}
	return estimate{cost: est.Max}
}

// fitsBudget reports whether the rules of gates that apply to kind are
// estimated to cost at most CostBudget together and each at most
// CostLimit: they then cannot exceed either, and run uncounted.
func (r *Rules) fitsBudget(gates []v1alpha1.Gate, kind v1alpha1.SubjectKind) bool {
	var total uint64
	for _, g := range gates {
		if g.Rule == nil || !contains(g.AppliesTo, kind) {
			continue
		}
		e := r.estimate(g.Rule.Expression, kind)
		if e.err != nil || e.cost > CostLimit || e.cost > CostBudget-total {
			return false
		}
		total += e.cost
	}
	return true
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
	uncounted, err := r.uncounted.Program(ast, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return compiledRule{err: fmt.Errorf("cannot be planned: %w", err)}
	}
	return compiledRule{ast: ast, program: program, uncounted: uncounted}
}

// Eval evaluates an expression over an object in its JSON form, counted
// and limited as the API server counts, and returns what it cost.
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
	b, err := outcomeOf(out, err)
	return b, cost, err
}

// evalUncounted is Eval without counting, for rules whose estimate bounds
// their cost (fitsBudget).
func (r *Rules) evalUncounted(expression string, object map[string]any) (bool, error) {
	c, err := r.rule(expression)
	if err != nil {
		return false, err
	}
	out, _, err := c.uncounted.Eval(map[string]any{"object": object})
	return outcomeOf(out, err)
}

func outcomeOf(out ref.Val, err error) (bool, error) {
	if err != nil {
		return false, fmt.Errorf("failed: %w", err)
	}
	b, ok := out.Value().(bool)
	if !ok {
		return false, fmt.Errorf("gave %v, not a bool", out.Value())
	}
	return b, nil
}

// schemaSizes bounds the sizes of lists, maps and strings in a rule's cost
// estimate by the maxItems, maxProperties and maxLength of the schema the
// rule's `object` follows, as the API server's estimator for CRD validation
// rules sizes `self` (k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel,
// unexported there).
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

// AmountRule is the validation rule of an amount of money in the CRDs: at
// most 15 digits before the point, two after it, and a k, M, G or T (see
// api/v1alpha1). With the rule "must not be negative" beside it, such an
// amount is at most MaxAmountLength characters long ("999999999999999.99"
// is 18), where the API server, which sizes an int-or-string it cannot
// bound by a maxLength at the largest request, estimates ~3 MB. The rule
// is the schema's own text: if it changes, amounts are sized as the API
// server sizes them again, never smaller.
const AmountRule = "type(self) == int ? self < 1000000000000000 : self.matches('^-?[0-9]+([.][0-9]{1,2})?[kMGT]?$') && quantity(self).compareTo(quantity('1000T')) < 0"

// MaxAmountLength bounds the length of an amount that AmountRule admits.
const MaxAmountLength = 20

// BoundAmounts gives every int-or-string of a schema that AmountRule
// validates the maxLength MaxAmountLength, which controller-gen cannot put
// on a quantity, and says how many it bounded. A rule's cost is then
// estimated as the API server would estimate it if the schema said so.
func BoundAmounts(s *structuralschema.Structural) int {
	if s == nil {
		return 0
	}
	n := 0
	if s.XIntOrString && slices.ContainsFunc(s.XValidations, func(r apiextensionsv1.ValidationRule) bool { return r.Rule == AmountRule }) {
		if s.ValueValidation == nil {
			s.ValueValidation = &structuralschema.ValueValidation{}
		}
		s.ValueValidation.MaxLength = ptr.To[int64](MaxAmountLength)
		n++
	}
	for name, p := range s.Properties {
		n += BoundAmounts(&p)
		s.Properties[name] = p
	}
	n += BoundAmounts(s.Items)
	if s.AdditionalProperties != nil {
		n += BoundAmounts(s.AdditionalProperties.Structural)
	}
	return n
}
