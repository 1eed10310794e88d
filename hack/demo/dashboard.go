/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"time"

	"p3o.dev/p3o-operator/internal/controlplane"
	"p3o.dev/p3o-operator/internal/dashboard"
)

// demoUser is the control plane's admin, whose credentials the demo's
// dashboard reads with, as `kubectl p3o dashboard` reads with its user's.
const demoUser = "p3o-admin"

// demoDashboard is the dashboard the demo serves on 127.0.0.1.
type demoDashboard struct{ *dashboard.Local }

// startDashboard serves the dashboard as `kubectl p3o dashboard` does: on a
// free port of 127.0.0.1, with the demo user's credentials, behind a
// session secret. Stop stops it.
func startDashboard(ctx context.Context, cp *controlplane.ControlPlane) (*demoDashboard, error) {
	local, err := dashboard.ServeLocal(ctx, cp.Config, demoUser, 0)
	if err != nil {
		return nil, err
	}
	return &demoDashboard{local}, nil
}

// showDashboard opens the dashboard's URL as a browser does (the session
// secret becomes a cookie) and says whether the organisation page answers
// and names the Portfolio Office.
func (d *demoDashboard) showDashboard(ctx context.Context) error {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return err
	}
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.URL, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("opening the dashboard: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("reading the dashboard's organisation page: %w", err)
	}
	fmt.Printf("GET %s -> %s\n", resp.Request.URL.Path, resp.Status)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the dashboard's organisation page answers %s", resp.Status)
	}
	if !strings.Contains(string(body), "portfolio-office") {
		return errors.New("the dashboard's organisation page does not name the Portfolio Office (portfolio-office)")
	}
	fmt.Println("The organisation page names the Portfolio Office (p3o-central/portfolio-office).")
	return nil
}
