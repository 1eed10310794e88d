/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Command kubectl-p3o is a kubectl plugin for the p3o-operator: `kubectl p3o
// tree`, `why`, `gates` and `report` show the P3O organisation as the
// operator published it (object status and report ConfigMaps). It only
// reads, and never recomputes health or gates.
//
// Install it on your PATH and kubectl finds it:
//
//	go install p3o.dev/p3o-operator/cmd/kubectl-p3o@latest
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	terminal := term.IsTerminal(int(os.Stdout.Fd()))
	p := printer{terminal: terminal, color: terminal && os.Getenv("NO_COLOR") == "", now: time.Now()}
	err := newRootCommand(os.Stdout, os.Stderr, p).ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", clean(err.Error()))
		os.Exit(1)
	}
}

// app holds what every command shares.
type app struct {
	flags  *genericclioptions.ConfigFlags
	out    io.Writer
	errOut io.Writer
	p      printer
}

func newRootCommand(out, errOut io.Writer, p printer) *cobra.Command {
	a := &app{flags: genericclioptions.NewConfigFlags(true), out: out, errOut: errOut, p: p}
	root := &cobra.Command{
		Use:   "kubectl-p3o",
		Short: "Read the P3O organisation the p3o-operator publishes",
		Long: `kubectl p3o shows Offices, Portfolios, Programmes, Projects and Gateway Reviews
as the p3o-operator published them: object status (health and its reasons,
rollups, gates, conditions) and report ConfigMaps. It only reads; health and
gates are the operator's, never recomputed here.

The namespace is that of -n, else of the kubeconfig context.`,
		Example: `  # The whole organisation, from every root office down
  kubectl p3o tree -A

  # Why a project is Red, and which gates it misses
  kubectl p3o why project -n p3o-central erp-migration
  kubectl p3o gates project -n p3o-central erp-migration

  # The Portfolio Office's dashboard, and an older snapshot of it
  kubectl p3o report office -n p3o-central portfolio-office
  kubectl p3o report office -n p3o-central portfolio-office --list-snapshots`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Annotations:   map[string]string{cobra.CommandDisplayNameAnnotation: "kubectl p3o"},
	}
	root.CompletionOptions.HiddenDefaultCmd = true
	a.flags.AddFlags(root.PersistentFlags())
	root.AddCommand(a.treeCommand(), a.whyCommand(), a.gatesCommand(), a.reportCommand(), a.dashboardCommand())
	return root
}

// kindArgs accepts KIND NAME or KIND/NAME.
func kindArgs(optional bool) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) == 0 && optional:
			return nil
		case len(args) == 1 && strings.Count(args[0], "/") == 1, len(args) == 2:
			return nil
		}
		return fmt.Errorf("%s takes KIND NAME (or KIND/NAME); see kubectl p3o %s --help", cmd.Name(), cmd.Name())
	}
}

func (a *app) treeCommand() *cobra.Command {
	var showAll, allNamespaces bool
	var output string
	cmd := &cobra.Command{
		Use:   "tree [office|portfolio|programme NAME]",
		Short: "Show the hierarchy from an Office down, with health, compliance and money",
		Long: `tree shows the hierarchy from an Office down: its satellite offices (hubRef),
portfolios (officeRef), programmes (portfolioRef) and projects (programmeRef or
portfolioRef), one line each with phase (an office's type), health, the
Compliant condition, the number of projects and budget and forecast with their
currency (an office's, portfolio's or programme's rollup; a project's plan and
forecast) and, for anything not Green, the first reason.

Without a name it shows every object of the namespace from the highest down;
with -A every root office (one without a hub) in all namespaces. What an
office supports or governs outside its portfolios is shown beneath it too,
marked [supports] or [governs]. A child whose parent does not admit it, or
whose parent is missing, is marked [NotPermitted] or [ParentNotFound].
Green projects are folded into a count line unless --show-all; -o json and
-o yaml always list every object.`,
		Example: `  # Every root office in all namespaces
  kubectl p3o tree -A

  # One portfolio, every project shown
  kubectl p3o tree portfolio digital-transformation -n p3o-central --show-all

  # For scripts
  kubectl p3o tree office portfolio-office -n p3o-central -o json`,
		Args: kindArgs(true),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			if allNamespaces && len(args) > 0 {
				return errors.New("-A shows every root office: leave out KIND NAME, or -A")
			}
			return a.tree(cmd.Context(), args, allNamespaces, showAll, output)
		},
	}
	cmd.Flags().BoolVar(&showAll, "show-all", false, "Show Green projects instead of folding them into a count line.")
	cmd.Flags().BoolVarP(&allNamespaces, "all-namespaces", "A", false, "Show every root office (an office without hubRef) in all namespaces.")
	cmd.Flags().StringVarP(&output, "output", "o", "", "Output format: json or yaml (default: text).")
	return cmd
}

func (a *app) tree(ctx context.Context, args []string, allNamespaces, showAll bool, output string) error {
	s, err := connect(a.flags)
	if err != nil {
		return err
	}
	var root *objectID
	if len(args) > 0 {
		k, name, err := parseTarget(args, []kind{kindOffice, kindPortfolio, kindProgramme})
		if err != nil {
			return err
		}
		if _, err := s.get(ctx, k, s.namespace, name); err != nil {
			return err
		}
		root = &objectID{k.Kind, s.namespace, name}
	}
	o, err := a.readOrg(ctx, s, allNamespaces)
	if err != nil {
		return err
	}
	trees := forestOf(o, root, s.namespace, allNamespaces)
	if output != "" {
		if trees == nil {
			trees = []*Node{}
		}
		return writeStructured(a.out, output, trees)
	}
	if len(trees) == 0 {
		where := "in namespace " + s.namespace
		if allNamespaces {
			where = "in any namespace"
		}
		_, err := fmt.Fprintf(a.errOut, "No offices, portfolios, programmes or projects found %s.\n", where)
		return err
	}
	return writeTree(a.out, a.p, trees, showAll)
}

// readOrg lists every office, portfolio, programme and project. Children
// may live in other namespaces than their parents, so it lists all
// namespaces; when that is refused and -A was not asked for, it lists the
// current namespace only and says so.
func (a *app) readOrg(ctx context.Context, s *session, allNamespaces bool) (org, error) {
	var o org
	lists := []struct {
		k    kind
		list client.ObjectList
	}{
		{kindOffice, &v1alpha1.OfficeList{}}, {kindPortfolio, &v1alpha1.PortfolioList{}},
		{kindProgramme, &v1alpha1.ProgrammeList{}}, {kindProject, &v1alpha1.ProjectList{}},
	}
	namespace := ""
	for _, l := range lists {
		err := s.list(ctx, l.k, l.list, namespace)
		var forbidden *forbiddenError
		if errors.As(err, &forbidden) && namespace == "" && !allNamespaces {
			fmt.Fprintf(a.errOut, "Warning: %s; showing namespace %s only, so children in other namespaces are missing.\n", err, s.namespace)
			namespace = s.namespace
			err = s.list(ctx, l.k, l.list, namespace)
		}
		if err != nil {
			return org{}, err
		}
	}
	o.Offices = lists[0].list.(*v1alpha1.OfficeList).Items
	o.Portfolios = lists[1].list.(*v1alpha1.PortfolioList).Items
	o.Programmes = lists[2].list.(*v1alpha1.ProgrammeList).Items
	o.Projects = lists[3].list.(*v1alpha1.ProjectList).Items
	if namespace != "" {
		// Lists made before the fallback hold other namespaces too.
		o = o.in(namespace)
	}
	return o, nil
}

// in keeps the objects of one namespace.
func (o org) in(namespace string) org {
	var out org
	for _, x := range o.Offices {
		if x.Namespace == namespace {
			out.Offices = append(out.Offices, x)
		}
	}
	for _, x := range o.Portfolios {
		if x.Namespace == namespace {
			out.Portfolios = append(out.Portfolios, x)
		}
	}
	for _, x := range o.Programmes {
		if x.Namespace == namespace {
			out.Programmes = append(out.Programmes, x)
		}
	}
	for _, x := range o.Projects {
		if x.Namespace == namespace {
			out.Projects = append(out.Projects, x)
		}
	}
	return out
}

func (a *app) whyCommand() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "why KIND NAME",
		Short: "Say why an object has its health, which gates it meets and what its conditions are",
		Long: `why explains one object from its status, in a few lines: its health and each
reason (for an office or portfolio, the descendants that cause it), each gate's
state and cause with the review that satisfies it or what is missing and its
due and expiry dates, the next gate, and its conditions (ParentResolved, Ready,
Reconciling and Stalled first) with their reasons. KIND is office, portfolio,
programme, project or gatewayreview (or pf, prog, proj, gr).`,
		Example: `  kubectl p3o why project -n p3o-central erp-migration
  kubectl p3o why office/portfolio-office -n p3o-central
  kubectl p3o why gr -n p3o-assurance erp-migration-gate-3-2026 -o yaml`,
		Args: kindArgs(false),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			obj, err := a.getTarget(cmd.Context(), args, allKinds)
			if err != nil {
				return err
			}
			e := explain(obj)
			if output != "" {
				return writeStructured(a.out, output, e)
			}
			return writeWhy(a.out, a.p, e)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "Output format: json or yaml (default: text).")
	return cmd
}

func (a *app) gatesCommand() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "gates KIND NAME",
		Short: "List the gates that apply to a project or programme, with state, cause, dates and review",
		Long: `gates lists the gates of the effective policy that apply to a Project or
Programme (status.compliance.gates): state, cause, due date, expiry, the review
that satisfies it (or did not) and the operator's message, then the
enforcement and the next gate. For an Office it lists the gates of its
effective policy.`,
		Example: `  kubectl p3o gates project -n p3o-central erp-migration
  kubectl p3o gates programme -n p3o-central cloud-migration -o json`,
		Args: kindArgs(false),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			obj, err := a.getTarget(cmd.Context(), args, []kind{kindOffice, kindProgramme, kindProject})
			if err != nil {
				return err
			}
			v := gatesOf(obj)
			if output != "" {
				return writeStructured(a.out, output, v)
			}
			return writeGates(a.out, a.p, v)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "Output format: json or yaml (default: text).")
	return cmd
}

func (a *app) getTarget(ctx context.Context, args []string, allowed []kind) (client.Object, error) {
	k, name, err := parseTarget(args, allowed)
	if err != nil {
		return nil, err
	}
	s, err := connect(a.flags)
	if err != nil {
		return nil, err
	}
	return s.get(ctx, k, s.namespace, name)
}

func (a *app) reportCommand() *cobra.Command {
	var format, period, output string
	var list, since bool
	cmd := &cobra.Command{
		Use:   "report KIND NAME [--format md|json|csv | --since-last-period [-o json|yaml]] [--snapshot PERIOD | --list-snapshots]",
		Short: "Print the report an office, portfolio or programme publishes, live or a snapshot",
		Long: `report prints the report ConfigMap the operator publishes for an Office,
Portfolio or Programme: report.md (--format md, the default), report.json
(json) or projects.csv (csv), of the live report or of the snapshot of a
period. PERIOD is the period as --list-snapshots lists it: its start date
(YYYY-MM-DD), or its start time in UTC (2026-11-23T06:00:00Z) for all the
snapshots of an object whose periods are shorter than a day. The snapshot's
ConfigMap name, or its suffix, names it too.

--since-last-period prints the report's direction of travel instead: how the
object and each project beneath it moved since the last sealed snapshot
(health then and now, forecast, variance and Delivery Confidence, periods Red
or Amber in a row), and the projects that left (report.json's
directionOfTravel and each row's movement).`,
		Example: `  kubectl p3o report office -n p3o-central portfolio-office
  kubectl p3o report portfolio -n p3o-central digital-transformation --format csv
  kubectl p3o report office -n p3o-central portfolio-office --list-snapshots
  kubectl p3o report office -n p3o-central portfolio-office --snapshot 2026-11-23 --format json
  kubectl p3o report office -n p3o-central portfolio-office --since-last-period`,
		Args: kindArgs(false),
		RunE: func(cmd *cobra.Command, args []string) error {
			key, ok := reportKeys[format]
			if !ok {
				return fmt.Errorf("unknown format %q: use --format md, json or csv", format)
			}
			if err := checkOutput(output); err != nil {
				return err
			}
			if since {
				key = report.KeyJSON
			}
			return a.report(cmd.Context(), args, key, period, list, travelOutput{since: since, output: output})
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "Which part of the report: md (report.md), json (report.json) or csv (projects.csv).")
	cmd.Flags().StringVar(&period, "snapshot", "", "Print the snapshot of this period (as --list-snapshots prints it, or the ConfigMap name suffix) instead of the live report.")
	cmd.Flags().BoolVar(&list, "list-snapshots", false, "List the snapshots with their periods, newest first.")
	cmd.Flags().BoolVar(&since, "since-last-period", false, "Print the direction of travel since the last sealed snapshot instead of the report.")
	cmd.Flags().StringVarP(&output, "output", "o", "", "With --since-last-period: json or yaml (default: text).")
	cmd.MarkFlagsMutuallyExclusive("snapshot", "list-snapshots")
	cmd.MarkFlagsMutuallyExclusive("since-last-period", "list-snapshots")
	cmd.MarkFlagsMutuallyExclusive("since-last-period", "format")
	return cmd
}

// travelOutput says whether the report command prints the direction of
// travel, and in which output format.
type travelOutput struct {
	since  bool
	output string
}

func (a *app) report(ctx context.Context, args []string, key, period string, list bool, travel travelOutput) error {
	k, name, err := parseTarget(args, []kind{kindOffice, kindPortfolio, kindProgramme})
	if err != nil {
		return err
	}
	s, err := connect(a.flags)
	if err != nil {
		return err
	}
	obj, err := s.get(ctx, k, s.namespace, name)
	if err != nil {
		return err
	}
	var cms corev1.ConfigMapList
	if err := s.list(ctx, kindConfigMap, &cms, s.namespace, client.MatchingLabels{v1alpha1.LabelReportKind: k.Kind}); err != nil {
		return err
	}
	live, snaps := reportsOf(cms.Items, obj.GetUID(), snapshotInterval(obj))
	what := k.singular + " " + name
	var cm *corev1.ConfigMap
	switch {
	case list:
		if len(snaps) == 0 {
			_, err := fmt.Fprintf(a.errOut, "No snapshots of %s (spec.reports.snapshotInterval asks for them).\n", what)
			return err
		}
		t := &table{header: []string{"PERIOD", "NAME"}, healthCol: -1}
		for _, sn := range snaps {
			t.add(sn.period(), sn.Name)
		}
		return t.write(a.out, a.p)
	case period != "":
		sn, err := matchSnapshot(snaps, period)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		cm = sn.cm
	default:
		if live == nil {
			return noLiveReport(obj, k, name)
		}
		cm = live
	}
	data, ok := cm.Data[key]
	if !ok {
		return fmt.Errorf("ConfigMap %s holds no %s", cm.Name, key)
	}
	if travel.since {
		v, err := readTravel(data)
		switch {
		case err != nil:
			return err
		case travel.output != "":
			return writeStructured(a.out, travel.output, v)
		}
		return writeTravel(a.out, a.p, what, v)
	}
	return writeReport(a.out, data)
}

// writeReport prints a report key, whatever its format (report.md,
// report.json or projects.csv) and wherever it goes: cleaned (cleanLines),
// so that nothing in it can drive a terminal, even through a pipe.
func writeReport(w io.Writer, data string) error {
	data = cleanLines(data)
	if !strings.HasSuffix(data, "\n") {
		data += "\n"
	}
	_, err := io.WriteString(w, data)
	return err
}

// noLiveReport says why an object has no live report, from its
// ReportPublished condition.
func noLiveReport(obj client.Object, k kind, name string) error {
	what := k.singular + " " + name
	mode := reportSettings(obj).Mode
	c := condition(obj.(v1alpha1.Conditioned).GetConditions(), v1alpha1.ConditionReportPublished)
	switch {
	case mode == v1alpha1.ReportsDisabled:
		return fmt.Errorf("%s publishes no report: its spec.reports.mode is Disabled", what)
	case c == nil && k.Kind == kindProgramme.Kind && mode != v1alpha1.ReportsEnabled:
		return fmt.Errorf("%s publishes no report: programmes publish one only with spec.reports.mode: Enabled", what)
	case c == nil:
		return fmt.Errorf("%s has no live report yet: the operator has not published it (is it running? see kubectl p3o why %s %s)", what, k.singular, name)
	case c.Status != "True":
		return fmt.Errorf("%s has no live report: ReportPublished is %s (%s): %s", what, c.Status, c.Reason, c.Message)
	}
	return fmt.Errorf("%s has no live report ConfigMap although ReportPublished is True; list them with kubectl get cm -n %s -l %s", what, obj.GetNamespace(), v1alpha1.LabelReport)
}

// cleanLines is clean for a document: line breaks and tabs stay. JSON stays
// JSON with the same structure: the characters clean replaces occur raw
// only inside strings.
func cleanLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		parts := strings.Split(strings.TrimSuffix(l, "\r"), "\t")
		for j := range parts {
			parts[j] = clean(parts[j])
		}
		lines[i] = strings.Join(parts, "\t")
	}
	return strings.Join(lines, "\n")
}
