/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package deploy

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"
)

// permission is one verb on one resource ("configmaps",
// "projects/status") of an API group ("" for the core group).
type permission struct{ group, resource, verb string }

func (p permission) String() string {
	group := p.group
	if group == "" {
		group = "core"
	}
	return fmt.Sprintf("%s %s/%s", p.verb, group, p.resource)
}

// The roles the operator's ServiceAccount is bound to.
const (
	managerRole        = "config/rbac/role.yaml (generated from the +kubebuilder:rbac markers)"
	leaderElectionRole = "config/rbac/leader_election_role.yaml"
)

// watchList says why list is not seen in the audit log: client-go's
// informers stream their initial list over the watch (WatchList) where the
// API server supports it, as this one does, and list where it does not.
const watchList = "informers list over the watch (WatchList) against this API server; list is their fallback"

// operatorPermissions is every permission the operator uses, and the role
// that grants it; each role grants exactly these. A permission not used in
// TestOperatorAsDeployed's run says why in unexercised.
var operatorPermissions = []struct {
	permission
	role, usedBy, unexercised string
}{
	{permission{"governance.p3o.dev", "offices", "list"}, managerRole, "informer", watchList},
	{permission{"governance.p3o.dev", "offices", "watch"}, managerRole, "informer", ""},
	{permission{"governance.p3o.dev", "offices/status", "patch"}, managerRole, "status patch (controllers/shared.go)", ""},
	{permission{"governance.p3o.dev", "portfolios", "list"}, managerRole, "informer", watchList},
	{permission{"governance.p3o.dev", "portfolios", "watch"}, managerRole, "informer", ""},
	{permission{"governance.p3o.dev", "portfolios/status", "patch"}, managerRole, "status patch", ""},
	{permission{"governance.p3o.dev", "programmes", "list"}, managerRole, "informer", watchList},
	{permission{"governance.p3o.dev", "programmes", "watch"}, managerRole, "informer", ""},
	{permission{"governance.p3o.dev", "programmes/status", "patch"}, managerRole, "status patch", ""},
	{permission{"governance.p3o.dev", "projects", "list"}, managerRole, "informer", watchList},
	{permission{"governance.p3o.dev", "projects", "watch"}, managerRole, "informer", ""},
	{permission{"governance.p3o.dev", "projects/status", "patch"}, managerRole, "status patch", ""},
	{permission{"governance.p3o.dev", "gatewayreviews", "list"}, managerRole, "informer", watchList},
	{permission{"governance.p3o.dev", "gatewayreviews", "watch"}, managerRole, "informer", ""},
	{permission{"governance.p3o.dev", "gatewayreviews/status", "patch"}, managerRole, "status patch", ""},
	{permission{"", "namespaces", "list"}, managerRole, "informer (attachment by namespace selector)", watchList},
	{permission{"", "namespaces", "watch"}, managerRole, "informer", ""},
	{permission{"", "configmaps", "get"}, managerRole, "a report ConfigMap the cache does not hold is read before adoption (internal/publish/live.go)", ""},
	{permission{"", "configmaps", "list"}, managerRole, "informer of report ConfigMaps", watchList},
	{permission{"", "configmaps", "watch"}, managerRole, "informer of report ConfigMaps", ""},
	{permission{"", "configmaps", "create"}, managerRole, "live reports and snapshots", ""},
	{permission{"", "configmaps", "update"}, managerRole, "live reports", ""},
	{permission{"", "configmaps", "delete"}, managerRole, "reports turned off, snapshots past retention", ""},
	{permission{"events.k8s.io", "events", "create"}, managerRole, "events on transitions", ""},
	{permission{"events.k8s.io", "events", "patch"}, managerRole, "an event repeated within minutes becomes a series, patched",
		"events record transitions of an assessed state, and this run makes each transition once: no event repeats"},
	{permission{"authentication.k8s.io", "tokenreviews", "create"}, managerRole, "metrics: who scrapes", ""},
	{permission{"authorization.k8s.io", "subjectaccessreviews", "create"}, managerRole, "metrics: may they get /metrics", ""},
	{permission{"coordination.k8s.io", "leases", "get"}, leaderElectionRole, "leader election", ""},
	{permission{"coordination.k8s.io", "leases", "create"}, leaderElectionRole, "leader election", ""},
	{permission{"coordination.k8s.io", "leases", "update"}, leaderElectionRole, "leader election (renewal)", ""},
	{permission{"", "events", "create"}, leaderElectionRole, "leader election records who became leader (each message names a new holder, so never a series to patch)", ""},
}

// grants expands a role's rules into permissions.
func grants(t *testing.T, rules []rbacv1.PolicyRule) []permission {
	t.Helper()
	var out []permission
	for _, r := range rules {
		if len(r.NonResourceURLs) > 0 || len(r.ResourceNames) > 0 {
			t.Errorf("unexpected rule %v", r)
		}
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				for _, v := range r.Verbs {
					out = append(out, permission{g, res, v})
				}
			}
		}
	}
	return out
}

func readRole(t *testing.T, path string) []rbacv1.PolicyRule {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repo, path))
	if err != nil {
		t.Fatal(err)
	}
	role := &rbacv1.ClusterRole{}
	if err := yaml.UnmarshalStrict(data, role); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return role.Rules
}

// auditedRequest is what the API server's audit log says of one request.
type auditedRequest struct {
	Verb string `json:"verb"`
	User struct {
		Username string `json:"username"`
	} `json:"user"`
	ObjectRef *struct {
		APIGroup    string `json:"apiGroup"`
		Resource    string `json:"resource"`
		Subresource string `json:"subresource"`
		Namespace   string `json:"namespace"`
		Name        string `json:"name"`
	} `json:"objectRef"`
	RequestURI     string `json:"requestURI"`
	ResponseStatus *struct {
		Code int `json:"code"`
	} `json:"responseStatus"`
	Stage string `json:"stage"`
}

// audited returns the permissions user exercised, by the audit log, and
// the requests the API server refused as forbidden.
func audited(t *testing.T, path, user string) (map[permission]int, []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	used := map[permission]int{}
	var forbidden []string
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	for scanner.Scan() {
		var r auditedRequest
		if err := json.Unmarshal(scanner.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		// A watch still open at the end has only its ResponseStarted
		// record, so every stage counts.
		if r.User.Username != user {
			continue
		}
		if r.ResponseStatus != nil && r.ResponseStatus.Code == 403 {
			forbidden = append(forbidden, r.Verb+" "+r.RequestURI)
		}
		if r.ObjectRef == nil {
			continue // discovery: non-resource URLs every authenticated user may get
		}
		resource := r.ObjectRef.Resource
		if r.ObjectRef.Subresource != "" {
			resource += "/" + r.ObjectRef.Subresource
		}
		used[permission{r.ObjectRef.APIGroup, resource, r.Verb}]++
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}
	return used, forbidden
}

// checkLeastPrivilege compares three things: the operatorPermissions table,
// the roles config/rbac grants, and what the operator did in this run by
// the audit log (and its own log). It fails on a permission granted but not
// in the table, in the table but not granted, used but not in the table,
// or in the table, said to be exercised, and not used.
func checkLeastPrivilege(t *testing.T, d *deployed) {
	t.Helper()
	table := map[string][]permission{}
	for _, p := range operatorPermissions {
		table[p.role] = append(table[p.role], p.permission)
	}
	leaderElection := only(d.rendered, "Role")
	if len(leaderElection) != 1 {
		t.Fatalf("want one Role (leader election) in config/default, found %d", len(leaderElection))
	}
	rendered := &rbacv1.Role{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(leaderElection[0].Object, rendered); err != nil {
		t.Fatal(err)
	}
	for role, rules := range map[string][]rbacv1.PolicyRule{
		managerRole:        readRole(t, "config/rbac/role.yaml"),
		leaderElectionRole: rendered.Rules,
	} {
		granted := grants(t, rules)
		for _, p := range granted {
			if !slices.Contains(table[role], p) {
				t.Errorf("%s grants %s, which the operator does not use (not in operatorPermissions)", role, p)
			}
		}
		for _, p := range table[role] {
			if !slices.Contains(granted, p) {
				t.Errorf("%s lacks %s, which the operator uses", role, p)
			}
		}
	}

	used, forbidden := audited(t, d.auditLog, d.username())
	if len(used) == 0 {
		t.Fatalf("the audit log %s holds no request of %s", d.auditLog, d.username())
	}
	for _, f := range forbidden {
		t.Errorf("the API server refused the operator: %s", f)
	}
	var seen []string
	for p, n := range used {
		seen = append(seen, fmt.Sprintf("%s (%d)", p, n))
	}
	slices.Sort(seen)
	t.Logf("the operator's requests by the audit log:\n%s", strings.Join(seen, "\n"))
	for p, n := range used {
		if !slices.ContainsFunc(operatorPermissions, func(e struct {
			permission
			role, usedBy, unexercised string
		}) bool {
			return e.permission == p
		}) {
			t.Errorf("the operator used %s (%d requests), which operatorPermissions does not list", p, n)
		}
	}
	for _, e := range operatorPermissions {
		switch n := used[e.permission]; {
		case n == 0 && e.unexercised == "":
			t.Errorf("operatorPermissions lists %s (%s), which the operator did not use in this run", e.permission, e.usedBy)
		case n > 0 && e.unexercised != "":
			t.Logf("%s is marked unexercised (%s) but was used %d times", e.permission, e.unexercised, n)
		}
	}
	log, err := os.ReadFile(d.logPath)
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(log)) {
		if strings.Contains(strings.ToLower(line), "forbidden") {
			t.Errorf("the operator's log says forbidden: %s", line)
		}
	}
}
