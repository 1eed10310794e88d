/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"

	"github.com/spf13/cobra"

	"p3o.dev/p3o-operator/internal/dashboard"
)

// dashboardCommand serves the dashboard on this machine, reading with the
// user's own credentials.
func (a *app) dashboardCommand() *cobra.Command {
	var port int
	var open bool
	cmd := &cobra.Command{
		Use:   "dashboard",
		Short: "Serve the management dashboard on this machine, with your own credentials",
		Long: `kubectl p3o dashboard serves the P3O dashboard on 127.0.0.1 and prints its URL.
It reads with your kubeconfig's credentials (--context, --as and the other
kubectl flags apply), which must be allowed to list and watch the governance kinds and
report ConfigMaps in every namespace: the figures of a parent can only be shown
when everything beneath it is known. People who may read less use the dashboard
deployed in the cluster, which shows each viewer what they may see. The URL
carries a secret for this session: other programs on this machine cannot
read through it. Ctrl-C stops it.`,
		Example: `  kubectl p3o dashboard --port 8089 --open`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.serveDashboard(cmd.Context(), port, open)
		},
	}
	cmd.Flags().IntVar(&port, "port", 8089, "Port to listen on, on 127.0.0.1 (0: any free port).")
	cmd.Flags().BoolVar(&open, "open", false, "Open the dashboard in the default browser.")
	return cmd
}

func (a *app) serveDashboard(ctx context.Context, port int, open bool) error {
	cfg, err := a.flags.ToRESTConfig()
	if err != nil {
		return fmt.Errorf("reading the kubeconfig: %w", err)
	}
	local, err := dashboard.ServeLocal(ctx, cfg, a.viewerName(), port)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "The P3O dashboard is at %s\nCtrl-C stops it.\n", local.URL)
	if open {
		openBrowser(local.URL)
	}
	<-ctx.Done()
	return local.Stop()
}

// viewerName is who the kubeconfig flags read as: --as, else the user of
// the context in use.
func (a *app) viewerName() string {
	if a.flags.Impersonate != nil && *a.flags.Impersonate != "" {
		return *a.flags.Impersonate
	}
	raw, err := a.flags.ToRawKubeConfigLoader().RawConfig()
	if err != nil {
		return ""
	}
	name := raw.CurrentContext
	if a.flags.Context != nil && *a.flags.Context != "" {
		name = *a.flags.Context
	}
	if c := raw.Contexts[name]; c != nil {
		return c.AuthInfo
	}
	return ""
}

// openBrowser opens url in the default browser, if there is one.
func openBrowser(url string) {
	name := "xdg-open"
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name = "explorer"
	}
	_ = exec.Command(name, url).Start()
}
