/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controlplane

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// StartForTest starts a control plane for a test and stops it when the test
// ends.
func StartForTest(t testing.TB, opts ...Option) *ControlPlane {
	t.Helper()
	cp, err := Start(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := cp.Stop(); err != nil {
			t.Errorf("stopping the control plane: %v", err)
		}
	})
	return cp
}

// StartOperatorForTest runs the operator binary against the control plane
// for a test, logging to a file of its own; it stops the operator when the
// test ends and prints its log when the test failed.
func (cp *ControlPlane) StartOperatorForTest(t testing.TB, binary string, extraArgs ...string) *Operator {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), "operator.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	op, err := cp.StartOperator(binary, logFile, extraArgs...)
	if err != nil {
		logFile.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := op.Stop(30 * time.Second); err != nil {
			t.Errorf("stopping the operator: %v", err)
		}
		logFile.Close()
		if t.Failed() {
			log, _ := os.ReadFile(logPath)
			t.Logf("operator log:\n%s", log)
		}
	})
	return op
}
