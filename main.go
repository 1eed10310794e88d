/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Command p3o-operator runs the controllers that govern P3O Offices,
// Portfolios, Programmes, Projects and GatewayReviews.
//
// `p3o-operator dashboard [flags]` serves the read-only management
// dashboard instead (dashboard.go), from the same image.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	goruntime "runtime"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/controllers"
	"p3o.dev/p3o-operator/internal/metrics"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/webhooks"
)

var scheme = runtime.NewScheme()

// Set at build time by the Makefile's build target:
//
//	go build -ldflags "-X main.version=v0.1.0 -X main.commit=abc1234 -X main.date=2026-11-27T10:00:00Z"
var (
	version = "dev"
	commit  = "unknown"
	date    = "unknown"
)

// versionString is what --version prints.
func versionString() string {
	return fmt.Sprintf("p3o-operator %s (commit %s, built %s, %s %s/%s)", version, commit, date, goruntime.Version(), goruntime.GOOS, goruntime.GOARCH)
}

// The metrics endpoint authenticates every scrape with a TokenReview and
// authorises it with a SubjectAccessReview (get on the non-resource URL
// /metrics), so the operator may create both.
// +kubebuilder:rbac:groups=authentication.k8s.io,resources=tokenreviews,verbs=create
// +kubebuilder:rbac:groups=authorization.k8s.io,resources=subjectaccessreviews,verbs=create

func init() {
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(v1alpha1.AddToScheme(scheme))
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == dashboardCommand {
		runDashboardCommand(os.Args[2:])
		return
	}
	cfg, zapOptions, printVersion := bindFlags(flag.CommandLine)
	flag.Parse()
	if *printVersion {
		fmt.Println(versionString())
		return
	}
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(zapOptions)))
	if !flagSet("enable-webhooks") {
		cfg.enableWebhooks = webhookCertsPresent(cfg.webhookCertDir)
	}
	logWebhooks(cfg)
	if err := run(ctrl.SetupSignalHandler(), *cfg); err != nil {
		ctrl.Log.WithName("setup").Error(err, "Operator stopped with an error")
		os.Exit(1)
	}
}

// managerConfig is what the command line sets.
type managerConfig struct {
	metricsAddr, probeAddr string
	metricsSecure          bool
	metricsCertDir         string
	enableHTTP2            bool
	webhookHost            string
	webhookPort            int
	webhookCertDir         string
	leaderElect            bool
	enableWebhooks         bool
	leaderElectNS          string
	qps                    float64
	burst                  int
	reconcilers            controllers.Options
	profiling              bool
}

// bindFlags defines the command line's flags on fs: the manager's
// settings, the logger's, and --version.
func bindFlags(fs *flag.FlagSet) (*managerConfig, *zap.Options, *bool) {
	cfg := &managerConfig{}
	fs.StringVar(&cfg.metricsAddr, "metrics-bind-address", ":8443", "Address the Prometheus metrics endpoint binds to; \"0\" disables it.")
	fs.BoolVar(&cfg.metricsSecure, "metrics-secure", true, "Serve metrics over HTTPS to authenticated and authorised clients only (a bearer token whose subject may get the non-resource URL /metrics). False serves plain HTTP to anyone who can connect.")
	fs.StringVar(&cfg.metricsCertDir, "metrics-cert-dir", "", "Directory holding tls.crt and tls.key for the metrics endpoint, reloaded when they change (default: a self-signed certificate made at start).")
	fs.BoolVar(&cfg.enableHTTP2, "enable-http2", false, "Serve HTTP/2 on the metrics and webhook servers (off by default: HTTP/2 Rapid Reset, CVE-2023-44487).")
	fs.StringVar(&cfg.probeAddr, "health-probe-bind-address", ":8081", "Address the /healthz and /readyz probes bind to.")
	fs.StringVar(&cfg.webhookHost, "webhook-host", "", "Address the admission webhook server binds to (all addresses when empty).")
	fs.IntVar(&cfg.webhookPort, "webhook-port", 9443, "Port the admission webhook server listens on.")
	fs.StringVar(&cfg.webhookCertDir, "webhook-cert-dir", "", "Directory holding tls.crt and tls.key for the webhook server (default: "+defaultWebhookCertDir()+").")
	fs.BoolVar(&cfg.enableWebhooks, "enable-webhooks", false, "Serve the validating admission webhooks (gate enforcement, rule checks). Default: true when the webhook certificate directory holds tls.crt, else false.")
	fs.BoolVar(&cfg.leaderElect, "leader-elect", false, "Elect a leader so that only one replica reconciles at a time.")
	fs.StringVar(&cfg.leaderElectNS, "leader-election-namespace", "", "Namespace of the leader election lease (default: the pod's namespace).")
	fs.Float64Var(&cfg.qps, "kube-api-qps", 50, "Queries per second the operator may send to the API server.")
	fs.IntVar(&cfg.burst, "kube-api-burst", 100, "Burst of queries the operator may send to the API server.")
	fs.IntVar(&cfg.reconcilers.MaxConcurrentReconciles, "max-concurrent-reconciles", 4, "Reconciles each controller runs in parallel; each waits on the API server for its status write.")
	fs.BoolVar(&cfg.profiling, "profiling", false, "Serve Go's pprof profiles under /debug/pprof/ on the metrics endpoint, behind the same authentication and authorisation as /metrics (the subject must be allowed to get the non-resource URL /debug/pprof/*).")
	printVersion := fs.Bool("version", false, "Print the version, commit and build date, and exit.")
	zapOptions := &zap.Options{}
	zapOptions.BindFlags(fs)
	return cfg, zapOptions, printVersion
}

// logWebhooks says whether the admission webhooks are served, and what
// that means when they are not.
func logWebhooks(cfg *managerConfig) {
	log := ctrl.Log.WithName("setup")
	if cfg.enableWebhooks {
		log.Info("Serving the admission webhooks", "certDir", certDirOrDefault(cfg.webhookCertDir))
		return
	}
	log.Info("Admission webhooks are off: gates under Enforce or Warn are not checked at admission (the controller still reports them); give --webhook-cert-dir with tls.crt and tls.key to serve them",
		"certDir", certDirOrDefault(cfg.webhookCertDir))
}

// run starts the manager with the controllers, and the webhooks when they
// are served, and runs it until ctx ends.
func run(ctx context.Context, cfg managerConfig) error {
	restConfig, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("loading kubeconfig: %w", err)
	}
	restConfig = controllers.RestConfig(restConfig, version)
	restConfig.QPS, restConfig.Burst = float32(cfg.qps), cfg.burst
	tlsOpts := tlsOptions(cfg)
	// The governance metrics are written from the cache as a scrape is
	// served, after controller-runtime's.
	governanceMetrics := metrics.NewExporter()
	cfg.reconcilers.Metrics = governanceMetrics
	mgr, err := ctrl.NewManager(restConfig, ctrl.Options{
		Scheme:                  scheme,
		Metrics:                 metricsOptions(cfg, tlsOpts, governanceMetrics),
		HealthProbeBindAddress:  cfg.probeAddr,
		LeaderElection:          cfg.leaderElect,
		LeaderElectionID:        "p3o-operator.governance.p3o.dev",
		LeaderElectionNamespace: cfg.leaderElectNS,
		WebhookServer: webhook.NewServer(webhook.Options{
			Host: cfg.webhookHost, Port: cfg.webhookPort, CertDir: cfg.webhookCertDir,
			TLSOpts: tlsOpts,
		}),
		Cache:  controllers.CacheOptions(),
		Client: controllers.ClientOptions(),
	})
	if err != nil {
		return fmt.Errorf("creating manager: %w", err)
	}
	if err := setup(ctx, mgr, cfg); err != nil {
		return err
	}
	ctrl.Log.WithName("setup").Info("Starting operator")
	if err := mgr.Start(ctx); err != nil {
		return fmt.Errorf("running manager: %w", err)
	}
	return nil
}

// tlsOptions are the metrics and webhook servers' TLS settings. HTTP/2
// stays off unless asked for: its Rapid Reset and stream cancellation
// attacks cost a server more than they cost the client.
func tlsOptions(cfg managerConfig) []func(*tls.Config) {
	if cfg.enableHTTP2 {
		return nil
	}
	return []func(*tls.Config){func(c *tls.Config) { c.NextProtos = []string{"http/1.1"} }}
}

// metricsOptions serve controller-runtime's metrics and the governance
// metrics, and pprof's profiles when asked for.
func metricsOptions(cfg managerConfig, tlsOpts []func(*tls.Config), governanceMetrics *metrics.Exporter) metricsserver.Options {
	opts := metricsserver.Options{
		BindAddress:    cfg.metricsAddr,
		SecureServing:  cfg.metricsSecure,
		TLSOpts:        tlsOpts,
		FilterProvider: governanceMetrics.FilterProvider(nil),
	}
	if cfg.profiling {
		opts.ExtraHandlers = map[string]http.Handler{
			"/debug/pprof/":        http.HandlerFunc(pprof.Index),
			"/debug/pprof/cmdline": http.HandlerFunc(pprof.Cmdline),
			"/debug/pprof/profile": http.HandlerFunc(pprof.Profile),
			"/debug/pprof/symbol":  http.HandlerFunc(pprof.Symbol),
			"/debug/pprof/trace":   http.HandlerFunc(pprof.Trace),
		}
	}
	if cfg.metricsSecure {
		// Every scrape is authenticated (TokenReview) and authorised
		// (SubjectAccessReview for get on /metrics) by the API server.
		opts.FilterProvider = governanceMetrics.FilterProvider(filters.WithAuthenticationAndAuthorization)
		opts.CertDir = cfg.metricsCertDir
	}
	return opts
}

// setup adds the controllers, the webhooks when they are served, and the
// health and readiness checks to mgr.
func setup(ctx context.Context, mgr ctrl.Manager, cfg managerConfig) error {
	if err := controllers.Setup(ctx, mgr, cfg.reconcilers); err != nil {
		return err
	}
	if cfg.enableWebhooks {
		rules, err := policy.NewRules()
		if err != nil {
			return err
		}
		if err := webhooks.Setup(mgr, rules); err != nil {
			return err
		}
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return fmt.Errorf("adding health check: %w", err)
	}
	// Ready once the informers have synced (the operator answers from a
	// complete cache) and, when it serves them, the webhooks listen.
	if err := mgr.AddReadyzCheck("informers", cacheSynced(mgr.GetCache())); err != nil {
		return fmt.Errorf("adding ready check: %w", err)
	}
	if cfg.enableWebhooks {
		if err := mgr.AddReadyzCheck("webhooks", mgr.GetWebhookServer().StartedChecker()); err != nil {
			return fmt.Errorf("adding ready check: %w", err)
		}
	}
	return nil
}

// cacheSynced is a readiness check that passes once every informer the
// manager's cache has started has synced. It waits a moment at most, so
// that a probe is answered quickly either way.
func cacheSynced(c cache.Cache) healthz.Checker {
	return func(req *http.Request) error {
		ctx, cancel := context.WithTimeout(req.Context(), time.Second)
		defer cancel()
		if !c.WaitForCacheSync(ctx) {
			return errors.New("informers have not synced")
		}
		return nil
	}
}

// defaultWebhookCertDir is where controller-runtime's webhook server looks
// for its certificate when --webhook-cert-dir is not given.
func defaultWebhookCertDir() string {
	return filepath.Join(os.TempDir(), "k8s-webhook-server", "serving-certs")
}

func certDirOrDefault(dir string) string {
	if dir == "" {
		return defaultWebhookCertDir()
	}
	return dir
}

// webhookCertsPresent says whether the webhook certificate directory holds
// a certificate to serve with.
func webhookCertsPresent(dir string) bool {
	_, err := os.Stat(filepath.Join(certDirOrDefault(dir), "tls.crt"))
	return err == nil
}

// flagSet says whether the flag was given on the command line.
func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
