/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"time"

	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/certwatcher"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"p3o.dev/p3o-operator/internal/dashboard"
)

// dashboardCommand is the first argument that runs the dashboard instead
// of the operator: `p3o-operator dashboard [flags]`.
const dashboardCommand = "dashboard"

// dashboardConfig is what the dashboard's command line sets.
type dashboardConfig struct {
	bindAddress   string
	tlsCertDir    string
	cacheTTL      time.Duration
	tokenAudience string
}

// bindDashboardFlags defines the dashboard's flags on fs: its own and the
// logger's.
func bindDashboardFlags(fs *flag.FlagSet) (*dashboardConfig, *zap.Options) {
	cfg := &dashboardConfig{}
	fs.StringVar(&cfg.bindAddress, "bind-address", ":8080", "Address the dashboard listens on.")
	fs.StringVar(&cfg.tlsCertDir, "tls-cert-dir", "", "Directory holding tls.crt and tls.key, reloaded when they change: serve HTTPS with them (default: plain HTTP, for a proxy in front that terminates TLS).")
	fs.DurationVar(&cfg.cacheTTL, "cache-ttl", 10*time.Second, "How long a TokenReview's or SubjectAccessReview's answer is reused for the same token or viewer: a revoked token or permission takes effect within it.")
	fs.StringVar(&cfg.tokenAudience, "token-audience", "", "Audience a viewer's bearer token must be valid for (TokenReview spec.audiences; default: the API server's own).")
	// controller-runtime's --kubeconfig, for running outside a cluster.
	if kubeconfig := flag.CommandLine.Lookup("kubeconfig"); kubeconfig != nil {
		fs.Var(kubeconfig.Value, kubeconfig.Name, kubeconfig.Usage)
	}
	zapOptions := &zap.Options{}
	zapOptions.BindFlags(fs)
	return cfg, zapOptions
}

// runDashboardCommand parses the dashboard's command line (args without
// the command's name), serves the dashboard until SIGTERM or SIGINT and
// exits non-zero when it fails.
func runDashboardCommand(args []string) {
	fs := flag.NewFlagSet(os.Args[0]+" "+dashboardCommand, flag.ExitOnError)
	cfg, zapOptions := bindDashboardFlags(fs)
	_ = fs.Parse(args) // ExitOnError: a bad flag exits
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(zapOptions)))
	if err := serveDashboard(ctrl.SetupSignalHandler(), *cfg); err != nil {
		ctrl.Log.WithName("dashboard").Error(err, "Dashboard stopped with an error")
		os.Exit(1)
	}
}

// serveDashboard serves the dashboard with the in-cluster credentials (or
// the kubeconfig's) until ctx ends. Each viewer is authenticated by their
// bearer token (TokenReview) and sees what they may list
// (SubjectAccessReview); the dashboard's own ServiceAccount only reads.
func serveDashboard(ctx context.Context, cfg dashboardConfig) error {
	log := ctrl.Log.WithName("dashboard")
	restConfig, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("loading kubeconfig: %w", err)
	}
	restConfig = rest.CopyConfig(restConfig)
	restConfig.UserAgent = fmt.Sprintf("p3o-dashboard/%s (%s/%s)", version, goruntime.GOOS, goruntime.GOARCH)
	handler, err := dashboardHandler(ctx, restConfig, cfg)
	if err != nil {
		return err
	}
	server := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	listener, err := dashboardListener(ctx, cfg)
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	log.Info("Serving the dashboard", "address", listener.Addr().String(), "https", cfg.tlsCertDir != "", "cacheTTL", cfg.cacheTTL)
	if err := server.Serve(listener); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("Dashboard stopped")
	return nil
}

// dashboardHandler starts the cache of what the dashboard shows and
// returns its handler, authenticating and authorising every viewer with
// the API server.
func dashboardHandler(ctx context.Context, restConfig *rest.Config, cfg dashboardConfig) (http.Handler, error) {
	scheme, err := dashboard.Scheme()
	if err != nil {
		return nil, err
	}
	c, err := client.New(restConfig, client.Options{Scheme: scheme})
	if err != nil {
		return nil, fmt.Errorf("creating the client: %w", err)
	}
	source, err := dashboard.StartCache(ctx, restConfig)
	if err != nil {
		return nil, err
	}
	authn := &dashboard.TokenReviews{Client: c, TTL: cfg.cacheTTL}
	if audience := strings.TrimSpace(cfg.tokenAudience); audience != "" {
		authn.Audiences = []string{audience}
	}
	srv := &dashboard.Server{
		Source: source,
		Authn:  authn,
		Authz:  &dashboard.SubjectAccessReviews{Client: c, TTL: cfg.cacheTTL},
		Log:    ctrl.Log.WithName("dashboard"),
	}
	return srv.Handler()
}

// dashboardListener listens on the bind address, with TLS when a
// certificate directory is given (HTTP/1.1 only, as the operator's own
// servers: HTTP/2's Rapid Reset costs a server more than the client).
func dashboardListener(ctx context.Context, cfg dashboardConfig) (net.Listener, error) {
	listener, err := net.Listen("tcp", cfg.bindAddress)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", cfg.bindAddress, err)
	}
	if cfg.tlsCertDir == "" {
		return listener, nil
	}
	watcher, err := certwatcher.New(filepath.Join(cfg.tlsCertDir, "tls.crt"), filepath.Join(cfg.tlsCertDir, "tls.key"))
	if err != nil {
		_ = listener.Close()
		return nil, fmt.Errorf("loading the certificate from %s: %w", cfg.tlsCertDir, err)
	}
	go func() {
		if err := watcher.Start(ctx); err != nil {
			ctrl.Log.WithName("dashboard").Error(err, "Watching the certificate failed", "dir", cfg.tlsCertDir)
		}
	}()
	return tls.NewListener(listener, &tls.Config{
		MinVersion:     tls.VersionTLS12,
		NextProtos:     []string{"http/1.1"},
		GetCertificate: watcher.GetCertificate,
	}), nil
}
