/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/controllers"
	"p3o.dev/p3o-operator/internal/controlplane"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/webhooks"
)

// The suite runs one real etcd and kube-apiserver with the CRDs installed and
// the real manager with every reconciler. Tests assert through k8sClient,
// which reads straight from the API server (no cache).
var (
	k8sClient client.Client
	cpConfig  *rest.Config
	scheme    = runtime.NewScheme()
)

// suiteLog keeps what the operator logged (errors, unless verbose), for
// tests that assert what it did not log.
var suiteLog = &controlplane.SyncBuffer{}

func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	ctrl.SetLogger(zap.New(zap.WriteTo(io.MultiWriter(os.Stderr, suiteLog)), zap.Level(zapLevel())))
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		panic(err)
	}
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		panic(err)
	}
	cp, err := controlplane.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() {
		if err := cp.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the control plane:", err)
		}
	}()

	cpConfig = cp.Config
	k8sClient, err = client.New(cp.Config, client.Options{Scheme: scheme})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	hook := cp.Env.WebhookInstallOptions
	mgr, err := ctrl.NewManager(controllers.RestConfig(cp.Config, "test"), ctrl.Options{
		Scheme:                 scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Cache:                  controllers.CacheOptions(),
		Client:                 controllers.ClientOptions(),
		WebhookServer: webhook.NewServer(webhook.Options{
			Host: hook.LocalServingHost, Port: hook.LocalServingPort, CertDir: hook.LocalServingCertDir,
		}),
	})
	if err == nil {
		err = controllers.Setup(ctx, mgr, controllers.Options{MaxConcurrentReconciles: 2})
	}
	if err == nil {
		var rules *policy.Rules
		if rules, err = policy.NewRules(); err == nil {
			err = webhooks.Setup(mgr, rules)
		}
	}
	if err != nil {
		cancel()
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	stopped := make(chan error)
	go func() { stopped <- mgr.Start(ctx) }()
	defer func() {
		cancel()
		if err := <-stopped; err != nil {
			fmt.Fprintln(os.Stderr, "manager:", err)
		}
	}()
	return m.Run()
}

// zapLevel logs errors only, unless P3O_TEST_VERBOSE is set.
func zapLevel() zapcore.Level {
	if os.Getenv("P3O_TEST_VERBOSE") != "" {
		return zapcore.DebugLevel
	}
	return zapcore.ErrorLevel
}

// newNamespace creates a fresh namespace for one test, with optional labels,
// and deletes it when the test ends.
func newNamespace(t *testing.T, labels map[string]string) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "p3o-test-", Labels: labels}}
	if err := k8sClient.Create(context.Background(), ns); err != nil {
		t.Fatalf("creating namespace: %v", err)
	}
	t.Cleanup(func() { _ = k8sClient.Delete(context.Background(), ns) })
	return ns.Name
}

const (
	eventually = 20 * time.Second
	poll       = 100 * time.Millisecond
)

func init() {
	SetDefaultEventuallyTimeout(eventually)
	SetDefaultEventuallyPollingInterval(poll)
	SetDefaultConsistentlyDuration(2 * time.Second)
	SetDefaultConsistentlyPollingInterval(200 * time.Millisecond)
}
