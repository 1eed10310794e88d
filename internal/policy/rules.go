/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package policy

import (
	"fmt"
	"sync"

	"github.com/google/cel-go/cel"
)

// CostLimit bounds the work one rule may do on one object, like the API
// server's per-call limit for validation rules.
const CostLimit = 1_000_000

// maxCachedRules bounds the compiled-rule cache.
const maxCachedRules = 1024

// Rules compiles CEL gate rules once and evaluates them with a cost limit.
// A rule sees the object as `object` (its JSON form: object.spec.phase,
// object.metadata.labels, ...). Safe for concurrent use.
type Rules struct {
	env *cel.Env

	mu       sync.Mutex
	compiled map[string]compiledRule
}

type compiledRule struct {
	program cel.Program
	err     error
}

// NewRules creates a rule compiler.
func NewRules() (*Rules, error) {
	env, err := cel.NewEnv(cel.Variable("object", cel.DynType))
	if err != nil {
		return nil, fmt.Errorf("creating the CEL environment: %w", err)
	}
	return &Rules{env: env, compiled: map[string]compiledRule{}}, nil
}

// Check compiles an expression and reports why it cannot be used.
func (r *Rules) Check(expression string) error {
	_, err := r.program(expression)
	return err
}

func (r *Rules) program(expression string) (cel.Program, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.compiled[expression]; ok {
		return c.program, c.err
	}
	c := r.compile(expression)
	if len(r.compiled) >= maxCachedRules {
		clear(r.compiled)
	}
	r.compiled[expression] = c
	return c.program, c.err
}

func (r *Rules) compile(expression string) compiledRule {
	ast, issues := r.env.Compile(expression)
	if issues != nil && issues.Err() != nil {
		return compiledRule{err: fmt.Errorf("does not compile: %w", issues.Err())}
	}
	if ast.OutputType() != cel.BoolType && ast.OutputType() != cel.DynType {
		return compiledRule{err: fmt.Errorf("must evaluate to a bool, not %s", ast.OutputType())}
	}
	program, err := r.env.Program(ast, cel.CostLimit(CostLimit), cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return compiledRule{err: fmt.Errorf("cannot be planned: %w", err)}
	}
	return compiledRule{program: program}
}

// Eval evaluates an expression over an object in its JSON form.
func (r *Rules) Eval(expression string, object map[string]any) (bool, error) {
	program, err := r.program(expression)
	if err != nil {
		return false, err
	}
	out, _, err := program.Eval(map[string]any{"object": object})
	if err != nil {
		return false, fmt.Errorf("failed: %w", err)
	}
	b, ok := out.Value().(bool)
	if !ok {
		return false, fmt.Errorf("gave %v, not a bool", out.Value())
	}
	return b, nil
}
