/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package crd embeds the generated CustomResourceDefinitions, so that the
// operator can read its own schemas (to bound the cost of gate rules as
// the API server bounds validation rules) without a copy that could drift.
package crd

import "embed"

// Bases holds bases/*.yaml, as controller-gen writes them.
//
//go:embed bases/*.yaml
var Bases embed.FS
