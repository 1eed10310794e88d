/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package metrics

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/go-logr/logr"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

// MetricsPath is where the metrics server serves the metrics.
const MetricsPath = "/metrics"

// Handler serves a scrape of MetricsPath: controller-runtime's metrics
// (next, its registry's handler) followed by the governance metrics
// written from the cache, compressed with gzip when the scraper accepts
// it. The format is the text format, or the protobuf format when the
// scraper prefers it: only that one carries native histograms, such as
// controller-runtime's webhook latency at a resolution of 10%. Other paths
// (the profiles) go to next as they are.
func (e *Exporter) Handler(next http.Handler) http.Handler {
	return appending(next, e.Write)
}

// appending serves next's metrics followed by what write writes (see
// Handler).
func appending(next http.Handler, write func(context.Context, io.Writer) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != MetricsPath {
			next.ServeHTTP(w, r)
			return
		}
		format := expfmt.Negotiate(r.Header)
		if format.FormatType() != expfmt.TypeProtoDelim {
			format = expfmt.NewFormat(expfmt.TypeTextPlain)
		}
		// The registry's metrics in the format served.
		inner := r.Clone(r.Context())
		inner.Header.Set("Accept", string(format))
		inner.Header.Del("Accept-Encoding")
		registry := &bufferedResponse{header: http.Header{}}
		next.ServeHTTP(registry, inner)
		if registry.status != http.StatusOK {
			for k, v := range registry.header {
				w.Header()[k] = v
			}
			w.WriteHeader(registry.status)
			_, _ = w.Write(registry.body.Bytes())
			return
		}
		w.Header().Set("Content-Type", registry.header.Get("Content-Type"))
		var out io.Writer = w
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Add("Vary", "Accept-Encoding")
			compressed := gzip.NewWriter(w)
			defer compressed.Close()
			out = compressed
		}
		governance := write
		if format.FormatType() == expfmt.TypeProtoDelim {
			governance = asProtobuf(write, format)
		}
		if _, err := out.Write(registry.body.Bytes()); err != nil {
			return // the scraper went away
		}
		if err := governance(r.Context(), out); err != nil {
			ctrl.Log.WithName("metrics").V(1).Info("Scrape not completed", "error", err.Error())
		}
	})
}

// asProtobuf writes what write writes in the text format in the protobuf
// format instead, one family at a time (see protobufWriter).
func asProtobuf(write func(context.Context, io.Writer) error, format expfmt.Format) func(context.Context, io.Writer) error {
	return func(ctx context.Context, w io.Writer) error {
		p := &protobufWriter{enc: expfmt.NewEncoder(w, format)}
		if err := write(ctx, p); err != nil {
			return err
		}
		return p.close()
	}
}

// protobufWriter takes a text exposition, whose families each come in one
// piece starting with their HELP line, and encodes each family as it
// ends: a scrape holds one family in memory, never the 150,000 series of
// 10,000 projects at once.
type protobufWriter struct {
	enc    expfmt.Encoder
	family bytes.Buffer
	line   bytes.Buffer
}

func (p *protobufWriter) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			p.line.Write(b)
			break
		}
		p.line.Write(b[:i+1])
		b = b[i+1:]
		if bytes.HasPrefix(p.line.Bytes(), []byte("# HELP ")) && p.family.Len() > 0 {
			if err := p.flush(); err != nil {
				return 0, err
			}
		}
		p.family.Write(p.line.Bytes())
		p.line.Reset()
	}
	return n, nil
}

// flush encodes the family held.
func (p *protobufWriter) flush() error {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(&p.family)
	p.family.Reset()
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(families)) {
		if err := p.enc.Encode(families[name]); err != nil {
			return err
		}
	}
	return nil
}

// close encodes what is left.
func (p *protobufWriter) close() error {
	p.family.Write(p.line.Bytes())
	p.line.Reset()
	if p.family.Len() == 0 {
		return nil
	}
	return p.flush()
}

// FilterProvider is a metrics server filter provider that serves the
// governance metrics with controller-runtime's (see Handler), behind the
// filter outer provides (authentication and authorisation; nil: none).
func (e *Exporter) FilterProvider(outer func(*rest.Config, *http.Client) (metricsserver.Filter, error)) func(*rest.Config, *http.Client) (metricsserver.Filter, error) {
	return func(c *rest.Config, httpClient *http.Client) (metricsserver.Filter, error) {
		var filter metricsserver.Filter
		if outer != nil {
			var err error
			if filter, err = outer(c, httpClient); err != nil {
				return nil, err
			}
		}
		return func(log logr.Logger, next http.Handler) (http.Handler, error) {
			handler := e.Handler(next)
			if filter == nil {
				return handler, nil
			}
			return filter(log, handler)
		}, nil
	}
}

// acceptsGzip reports whether an Accept-Encoding header accepts gzip.
func acceptsGzip(header string) bool {
	for _, coding := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(coding, ";")
		if strings.TrimSpace(name) == "gzip" && strings.ReplaceAll(strings.TrimSpace(params), " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// bufferedResponse keeps what a handler writes.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
