/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controlplane

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// BuildForTest builds the Go package pkg of this repository (".", the
// operator, or "./cmd/kubectl-p3o", say) with go build and any extra
// flags into dir under name, and returns the binary's path.
func BuildForTest(t testing.TB, ctx context.Context, dir, name, pkg string, flags ...string) string {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	binary := filepath.Join(dir, name)
	build := exec.CommandContext(ctx, "go", append(append([]string{"build", "-o", binary}, flags...), pkg)...)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", pkg, err, out)
	}
	return binary
}

// BuildOperatorForTest builds the operator into a temporary folder of the
// test and returns the binary's path.
func BuildOperatorForTest(t testing.TB, ctx context.Context, flags ...string) string {
	t.Helper()
	return BuildForTest(t, ctx, t.TempDir(), "p3o-operator", ".", flags...)
}

// WaitFor calls check every 200 ms until it reports true, and fails the
// test when that has not happened within timeout, with what check said
// last (its second result: the state it saw).
func WaitFor(t testing.TB, timeout time.Duration, check func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, last := check()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not reached within %s; last: %q", timeout, last)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

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

// SyncBuffer collects a process's output for a test to read meanwhile: a
// bytes.Buffer safe to write from the process and read from the test.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
