/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// The dashboard at the generated organisation's size: its own cache of the
// organisation, the picture built from it, the organisation page and the
// largest office's page served a hundred times each (server time, inside
// this process), and the memory all that holds.

package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/dashboard"
)

// DashboardResult is what the dashboard costs at the organisation's size.
type DashboardResult struct {
	// CacheSyncSeconds is how long its cache took to list everything.
	CacheSyncSeconds float64 `json:"cacheSyncSeconds"`
	// PictureMilli is the first build of the picture from the synced
	// cache; RebuildMaxMilli the longest of the rebuilds after a change.
	PictureMilli    float64 `json:"pictureBuildMilliseconds"`
	Rebuilds        int     `json:"rebuilds"`
	RebuildMaxMilli float64 `json:"rebuildMaxMilliseconds"`
	// HeapSyncedMiB is the heap the dashboard holds once its cache
	// synced; HeapServedMiB once the picture is built and the pages
	// served (live heap after a GC, less the bench's own before).
	HeapSyncedMiB float64     `json:"heapAfterSyncMiB"`
	HeapServedMiB float64     `json:"heapAfterRequestsMiB"`
	Pages         []PageTimes `json:"pages"`
}

// PageTimes are one page's server times over its requests.
type PageTimes struct {
	Page string `json:"page"`
	Path string `json:"path"`
	// Authorizer is "trusted" (kubectl p3o dashboard: the viewer's own
	// credentials) or "subjectaccessreviews" (asked afresh on every
	// request, none remembered).
	Authorizer string  `json:"authorizer"`
	Requests   int     `json:"requests"`
	P50Milli   float64 `json:"p50Milliseconds"`
	P99Milli   float64 `json:"p99Milliseconds"`
	MaxMilli   float64 `json:"maxMilliseconds"`
	Bytes      int     `json:"bytes"`
	// LongestList is the most rows or items of any one table or list in
	// the page, and LongestIn the section it is in.
	LongestList int    `json:"longestList"`
	LongestIn   string `json:"longestIn"`
	// Within says every list keeps its limit (check).
	Within bool `json:"listsWithinLimits"`
	// ChildRows and Caption are the office page's children table: the rows
	// of the page shown, and what its caption says.
	ChildRows int    `json:"childRows,omitempty"`
	Caption   string `json:"caption,omitempty"`
}

// dashboardRequests is how many times each page is asked for, after one
// warm-up request.
const dashboardRequests = 100

// dashboardRebuilds is how many times the picture is rebuilt after a
// change.
const dashboardRebuilds = 3

// Limits the dashboard promises: a children table shows a page of 50 rows,
// a list on the organisation page 20 items.
const (
	childPageSize  = 50
	organisationTo = 20
)

// measureDashboard starts the dashboard in this process on the settled
// organisation and measures it.
func (b *bench) measureDashboard() (err error) {
	logf("measuring the dashboard")
	ctx, cancel := context.WithCancel(b.ctx)
	defer cancel()
	res := &b.res.Dashboard
	before := liveHeap()

	start := time.Now()
	src, err := dashboard.StartCache(ctx, rest.CopyConfig(b.cp.Config))
	if err != nil {
		return fmt.Errorf("starting the dashboard's cache: %w", err)
	}
	res.CacheSyncSeconds = time.Since(start).Seconds()
	res.HeapSyncedMiB = mib(liveHeap() - before)

	start = time.Now()
	picture, err := src.Picture(ctx)
	if err != nil {
		return fmt.Errorf("building the picture: %w", err)
	}
	res.PictureMilli = milli(time.Since(start))
	office := largestOffice(picture)
	if office == nil {
		return errors.New("the dashboard shows no office")
	}

	if b.cfg.profile != "" {
		f, err := os.Create(b.profilePath("dashboard-cpu-%d.pprof"))
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			err = errors.Join(err, f.Close())
		}()
	}

	trusted := dashboard.Trusted{Name: "p3o-bench"}
	officePath := "/offices/" + office.Namespace + "/" + office.Name
	for _, authz := range []struct {
		name  string
		authn dashboard.Authenticator
		authz dashboard.Authorizer
	}{
		{"trusted", trusted, trusted},
		{"subjectaccessreviews", benchViewer{}, &dashboard.SubjectAccessReviews{Client: b.admin}},
	} {
		srv := &dashboard.Server{Source: src, Authn: authz.authn, Authz: authz.authz, Log: logr.Discard()}
		handler, err := srv.Handler()
		if err != nil {
			return err
		}
		for _, page := range []struct{ name, path string }{{"organisation", "/"}, {"office " + office.Name, officePath}} {
			times, err := timePage(handler, page.name, page.path)
			if err != nil {
				return fmt.Errorf("%s, %s: %w", page.name, authz.name, err)
			}
			times.Authorizer = authz.name
			res.Pages = append(res.Pages, times)
		}
	}
	if err := b.rebuildPicture(ctx, src, office); err != nil {
		return err
	}
	// The picture is held by src, and src by the cache until cancel.
	res.HeapServedMiB = mib(liveHeap() - before)
	runtime.KeepAlive(src)
	return nil
}

// largestOffice is the office whose figures cover the most projects and
// programmes: its page has the most rows.
func largestOffice(p *dashboard.Picture) *v1alpha1.Office {
	var largest *v1alpha1.Office
	for _, o := range p.Offices {
		if largest == nil || o.Status.Rollup.Projects+o.Status.Rollup.Programmes > largest.Status.Rollup.Projects+largest.Status.Rollup.Programmes {
			largest = o
		}
	}
	return largest
}

// rebuildPicture times the picture's rebuild after a change: an annotation
// on the office, which changes no figure.
func (b *bench) rebuildPicture(ctx context.Context, src *dashboard.Source, office *v1alpha1.Office) error {
	res := &b.res.Dashboard
	last, err := src.Picture(ctx)
	if err != nil {
		return err
	}
	for i := range dashboardRebuilds {
		patch := []byte(fmt.Sprintf(`{"metadata":{"annotations":{"bench.p3o.dev/dashboard-rebuild":"%d"}}}`, i))
		if err := b.admin.Patch(ctx, office.DeepCopy(), client.RawPatch("application/merge-patch+json", patch)); err != nil {
			return err
		}
		// The cache sees the change, and a rebuild waits MinRebuild.
		time.Sleep(dashboard.MinRebuild + 200*time.Millisecond)
		start := time.Now()
		p, err := src.Picture(ctx)
		if err != nil {
			return err
		}
		took := time.Since(start)
		if p == last {
			continue
		}
		last = p
		res.Rebuilds++
		res.RebuildMaxMilli = max(res.RebuildMaxMilli, milli(took))
	}
	return nil
}

// timePage asks for a page once to warm up, then dashboardRequests times,
// timing the handler alone; every answer must be 200, and the first is
// checked for lists kept short.
func timePage(handler http.Handler, name, path string) (PageTimes, error) {
	t := PageTimes{Page: name, Path: path, Requests: dashboardRequests}
	var took []time.Duration
	for i := range dashboardRequests + 1 {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		start := time.Now()
		handler.ServeHTTP(rec, req)
		d := time.Since(start)
		if rec.Code != http.StatusOK {
			return t, fmt.Errorf("GET %s: %d %s", path, rec.Code, strings.TrimSpace(rec.Body.String()))
		}
		if i == 0 {
			if err := t.check(rec.Body.String()); err != nil {
				return t, fmt.Errorf("GET %s: %w", path, err)
			}
			continue
		}
		took = append(took, d)
		t.Bytes = max(t.Bytes, rec.Body.Len())
	}
	t.P50Milli, t.P99Milli = percentile(took, 0.50), percentile(took, 0.99)
	for _, d := range took {
		t.MaxMilli = max(t.MaxMilli, milli(d))
	}
	return t, nil
}

var (
	sectionPattern = regexp.MustCompile(`(?s)<section aria-labelledby="([a-z-]+)">(.*?)</section>`)
	tbodyPattern   = regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`)
	captionPattern = regexp.MustCompile(`<caption>([^<]*)</caption>`)
	pageOfPattern  = regexp.MustCompile(`page 1 of [0-9]+`)
	listTagPattern = regexp.MustCompile(`<(/?)(ul|ol|tbody|li|tr)[ >]`)
)

// longestList is the most items of any one list (ul, ol) or rows of any
// one table body in html; nested lists count apart.
func longestList(html string) int {
	longest := 0
	var open []int // the items of each list open, innermost last
	for _, m := range listTagPattern.FindAllStringSubmatch(html, -1) {
		closing, tag := m[1] == "/", m[2]
		switch {
		case tag == "li" || tag == "tr":
			if !closing && len(open) > 0 {
				open[len(open)-1]++
			}
		case !closing:
			open = append(open, 0)
		case len(open) > 0:
			longest = max(longest, open[len(open)-1])
			open = open[:len(open)-1]
		}
	}
	return longest
}

// check records the longest table or list in a page and whether the page
// keeps the promised limits: the children table shows one page of at most
// 50 rows, no list on an office's page is longer, and the organisation's
// lists (but for the tree of offices and portfolios) have at most 20 items.
func (t *PageTimes) check(page string) error {
	sections := sectionPattern.FindAllStringSubmatch(page, -1)
	if len(sections) == 0 {
		return errors.New("no section in the page")
	}
	t.Within = true
	for _, s := range sections {
		id, body := s[1], s[2]
		n := longestList(body)
		if n > t.LongestList {
			t.LongestList, t.LongestIn = n, id
		}
		switch {
		case t.Path == "/":
			if id != "offices" && n > organisationTo {
				t.Within = false
			}
		case n > childPageSize:
			t.Within = false
		case id == "children":
			tb := tbodyPattern.FindStringSubmatch(body)
			if tb == nil {
				return errors.New("no children table")
			}
			t.ChildRows = strings.Count(tb[1], "<tr")
			if c := captionPattern.FindStringSubmatch(body); c != nil {
				t.Caption = c[1]
			}
			if !pageOfPattern.MatchString(t.Caption) {
				t.Within = false
			}
		}
	}
	return nil
}

// benchViewer is the benchmark's admin, as a TokenReview would name them:
// every SubjectAccessReview allows them.
type benchViewer struct{}

// Authenticate implements dashboard.Authenticator.
func (benchViewer) Authenticate(*http.Request) (dashboard.Viewer, error) {
	return dashboard.Viewer{Name: "p3o-admin", Groups: []string{"system:masters", "system:authenticated"}}, nil
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func mib(b uint64) float64 { return float64(int64(b)) / (1 << 20) }

func milli(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
