/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/publish"
	"p3o.dev/p3o-operator/internal/report"
)

// reportFiles are the files of a report, with their content types.
var reportFiles = map[string]string{
	report.KeyJSON:     "application/json",
	report.KeyMarkdown: "text/markdown; charset=utf-8",
	report.KeyCSV:      "text/csv; charset=utf-8",
}

// download is one report (the live one, or a period's snapshot) to
// download.
type download struct {
	// Period is the snapshot's period start; "" for the live report.
	Period string
	// Sealed says the snapshot's period has ended.
	Sealed bool
	Files  []fileLink
}

// fileLink is one file of a report.
type fileLink struct {
	Name, Href string
}

// mayDownload says whether the viewer may have a parent's reports: they
// list everything beneath it, so the viewer must see all of it, and may
// list ConfigMaps where they are kept.
func (q *request) mayDownload(r ref) bool {
	return q.sees(r) && q.picture.covered(r, q.scope) && q.scope.sees("ConfigMap", r.Namespace)
}

// downloads are a parent's live report and snapshots, newest first, when
// the viewer may have them.
func (q *request) downloads(r ref) []download {
	if !q.mayDownload(r) {
		return nil
	}
	var out []download
	if cm, err := q.source.ConfigMap(q.Context(), r.Namespace, publish.Name(r.Kind, r.Name, "")); err == nil && cm != nil {
		out = append(out, download{Files: filesOf(r, "")})
	}
	snapshots, err := q.source.Snapshots(q.Context(), r.Kind, r.Namespace, r.Name)
	if err != nil {
		return out
	}
	slices.SortFunc(snapshots, func(a, b corev1.ConfigMap) int {
		return cmp.Compare(b.Annotations[v1alpha1.AnnotationPeriodStart], a.Annotations[v1alpha1.AnnotationPeriodStart])
	})
	for _, cm := range snapshots {
		suffix := strings.TrimPrefix(cm.Name, publish.Name(r.Kind, r.Name, "")+"-")
		out = append(out, download{Period: cm.Annotations[v1alpha1.AnnotationPeriodStart],
			Sealed: cm.Annotations[v1alpha1.AnnotationSnapshotState] == v1alpha1.SnapshotSealed, Files: filesOf(r, suffix)})
	}
	return out
}

func filesOf(r ref, snapshot string) []fileLink {
	var out []fileLink
	for _, name := range []string{report.KeyMarkdown, report.KeyCSV, report.KeyJSON} {
		href := "/reports/" + r.Kind + "/" + r.Namespace + "/" + r.Name + "/" + name
		if snapshot != "" {
			href += "?snapshot=" + url.QueryEscape(snapshot)
		}
		out = append(out, fileLink{Name: name, Href: href})
	}
	return out
}

// download serves one file of a parent's live report or of a snapshot.
func (s *Server) download(w http.ResponseWriter, q *request) error {
	r := ref{Kind: q.PathValue("kind"), Namespace: q.PathValue("namespace"), Name: q.PathValue("name")}
	file := q.PathValue("file")
	contentType, known := reportFiles[file]
	if !known || resources[r.Kind] == "" || r.Kind == "Project" || r.Kind == "GatewayReview" || !q.mayDownload(r) {
		return errNotFound
	}
	snapshot := q.URL.Query().Get("snapshot")
	cm, err := q.source.ConfigMap(q.Context(), r.Namespace, publish.Name(r.Kind, r.Name, snapshot))
	if err != nil {
		return err
	}
	content, ok := "", false
	if cm != nil && isReportOf(cm, r, snapshot != "") {
		content, ok = cm.Data[file]
	}
	if !ok {
		return errNotFound
	}
	name := strings.ToLower(r.Kind) + "-" + r.Name
	if snapshot != "" {
		name += "-" + snapshot
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+"-"+file))
	_, err = w.Write([]byte(content))
	return err
}

// isReportOf says whether a ConfigMap is one of r's own reports (its live
// report, or a snapshot): names alone do not say, since a snapshot suffix
// asked for can make the name of another object's report ("pmo" and
// "pmo-report-x" share a prefix), and that object's report may list what
// the viewer may not see.
func isReportOf(cm *corev1.ConfigMap, r ref, snapshot bool) bool {
	reportType := "live"
	if snapshot {
		reportType = "snapshot"
	}
	for k, v := range publish.Labels(r.Kind, r.Name, reportType) {
		if cm.Labels[k] != v {
			return false
		}
	}
	return true
}
