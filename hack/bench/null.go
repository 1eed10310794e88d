/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/controlplane"
)

// The floor of admission on this machine: the same phase changes sent to
// a webhook that decides nothing. It reads the AdmissionReview, admits,
// and answers, timed as controller-runtime times the operator's webhook
// (from the request's headers to the written answer); whatever it takes
// beyond that work is waiting for a CPU the API server, etcd, the
// operator's reconcilers and the editors share. The operator's webhook
// handling time, less this, is what its decisions cost.

// nullMarker is the denial message by which the bench knows the API server
// calls the null webhook.
const nullMarker = "denied by the bench's webhook that decides nothing"

// nullWebhook serves the null webhook on loopback with the certificate
// the operator's webhook server uses, and records each request's handling
// time.
type nullWebhook struct {
	server   *http.Server
	listener net.Listener
	mu       sync.Mutex
	took     []time.Duration
}

func startNullWebhook(cp *controlplane.ControlPlane) (*nullWebhook, error) {
	w := cp.Env.WebhookInstallOptions
	cert, err := tls.LoadX509KeyPair(filepath.Join(w.LocalServingCertDir, "tls.crt"), filepath.Join(w.LocalServingCertDir, "tls.key"))
	if err != nil {
		return nil, fmt.Errorf("reading the webhook serving certificate: %w", err)
	}
	l, err := tls.Listen("tcp", net.JoinHostPort(w.LocalServingHost, "0"), &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	if err != nil {
		return nil, err
	}
	n := &nullWebhook{listener: l}
	n.server = &http.Server{Handler: http.HandlerFunc(n.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = n.server.Serve(l) }()
	return n, nil
}

func (n *nullWebhook) Stop() error { return n.server.Close() }

// port is the port the null webhook listens on.
func (n *nullWebhook) port() string {
	_, port, _ := net.SplitHostPort(n.listener.Addr().String())
	return port
}

// serve admits every change but a move into Closing, which it denies with
// nullMarker (how the bench sees that it is called).
func (n *nullWebhook) serve(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var review admissionv1.AdmissionReview
	body, err := io.ReadAll(r.Body)
	if err == nil {
		err = json.Unmarshal(body, &review)
	}
	if err != nil || review.Request == nil {
		http.Error(w, "not an AdmissionReview", http.StatusBadRequest)
		return
	}
	resp := &admissionv1.AdmissionResponse{UID: review.Request.UID, Allowed: true}
	if strings.Contains(string(review.Request.Object.Raw), `"phase":"Closing"`) {
		resp = &admissionv1.AdmissionResponse{UID: review.Request.UID, Result: &metav1.Status{Message: nullMarker, Code: http.StatusForbidden}}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(admissionv1.AdmissionReview{TypeMeta: review.TypeMeta, Response: resp})
	n.mu.Lock()
	n.took = append(n.took, time.Since(start))
	n.mu.Unlock()
}

// handled takes the handling times recorded so far.
func (n *nullWebhook) handled() []time.Duration {
	n.mu.Lock()
	defer n.mu.Unlock()
	took := n.took
	n.took = nil
	return took
}

// pointProjectWebhookAt sends the API server's calls of the Project
// webhook to port on the same host, and waits until it does: until a move
// into Closing is denied with want in the message (the project is moved
// back).
func pointProjectWebhookAt(ctx context.Context, c client.Client, port, want string) error {
	var list admissionregistrationv1.ValidatingWebhookConfigurationList
	if err := c.List(ctx, &list); err != nil {
		return err
	}
	for i := range list.Items {
		cfg := &list.Items[i]
		for j, wh := range cfg.Webhooks {
			if wh.ClientConfig.URL == nil || !strings.HasSuffix(*wh.ClientConfig.URL, projectWebhook) {
				continue
			}
			host, _, err := net.SplitHostPort(strings.TrimPrefix(strings.TrimSuffix(*wh.ClientConfig.URL, projectWebhook), "https://"))
			if err != nil {
				return fmt.Errorf("the Project webhook's URL %s: %w", *wh.ClientConfig.URL, err)
			}
			url := "https://" + net.JoinHostPort(host, port) + projectWebhook
			cfg.Webhooks[j].ClientConfig.URL = &url
			if err := c.Update(ctx, cfg); err != nil {
				return err
			}
		}
	}
	p := &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: admissionNamespace, Name: "edited-00"}}
	deadline := time.Now().Add(time.Minute)
	for {
		err := c.Patch(ctx, p, phasePatch(v1alpha1.ProjectClosing))
		switch {
		case err == nil:
			if err := c.Patch(ctx, p, phasePatch(v1alpha1.ProjectInitiating)); err != nil {
				return err
			}
			return errors.New("a move into Closing without a review of gate 4 was admitted")
		case strings.Contains(err.Error(), want):
			return nil
		case time.Now().After(deadline):
			return fmt.Errorf("the API server does not call the webhook at port %s a minute after it was pointed there: %w", port, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
