/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package policy

import (
	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	"github.com/google/cel-go/ext"
	"k8s.io/apiserver/pkg/cel/environment"
	"k8s.io/apiserver/pkg/cel/library"
)

// newUncountedEnv is the API server's CEL environment for new expressions
// at compatibility version 1.36 (k8s.io/apiserver/pkg/cel/environment's
// base options: the same libraries, language settings and validators),
// without the run-time cost tracking the API server plans into every
// program. Tracking observes every step of an evaluation and makes a rule
// over a project's 128 risks run five times slower; a rule set whose
// estimated worst case fits the budget cannot exceed it, so it runs here
// uncounted (Evaluate). TestUncountedEnvironmentIsTheAPIServers holds the
// two environments to the same declarations and results: a new
// k8s.io/apiserver that changes its base fails it.
func newUncountedEnv() (*cel.Env, error) {
	return cel.NewEnv(
		cel.Variable("object", cel.DynType),
		// Introduced in 1.0.
		cel.HomogeneousAggregateLiterals(),
		cel.EagerlyValidateDeclarations(true),
		cel.DefaultUTCTimeZone(true),
		environment.UnversionedLib(library.URLs),
		environment.UnversionedLib(library.Regex),
		cel.CostEstimatorOptions(checker.PresenceTestHasCost(false)),
		library.Lists(library.ListsVersion(0)), // until 1.37
		// 1.27 and 1.28.
		environment.UnversionedLib(library.Authz),
		cel.CrossTypeNumericComparisons(true),
		cel.OptionalTypes(),
		environment.UnversionedLib(library.Quantity),
		// 1.29.
		cel.ASTValidators(cel.ValidateDurationLiterals(), cel.ValidateTimestampLiterals(),
			cel.ValidateRegexLiterals(), cel.ValidateHomogeneousAggregateLiterals()),
		ext.Strings(ext.StringsVersion(2)),
		ext.Sets(),
		// 1.30 to 1.34.
		environment.UnversionedLib(library.IP),
		environment.UnversionedLib(library.CIDR),
		environment.UnversionedLib(library.Format),
		environment.UnversionedLib(library.AuthzSelectors),
		ext.TwoVarComprehensions(),
		library.SemverLib(library.SemverVersion(1)),
		ext.Lists(ext.ListsVersion(3)),
	)
}
