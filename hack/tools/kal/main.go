// Command kube-api-linter runs the Kube API Linter (KAL) analyzers as a
// standalone go/analysis multichecker, without golangci-lint.
//
// Usage:
//
//	kube-api-linter [-config FILE] [multichecker flags] PACKAGES...
//
// FILE holds what golangci-lint would take under
// linters.settings.custom.kubeapilinter.settings: a `linters` block
// (enable/disable) and a `lintersConfig` block. Without it, KAL's default
// linters run with their default settings. Every diagnostic is prefixed
// with the name of the KAL rule that reported it. The exit code is
// multichecker's: 0 clean, 3 findings, 1 errors.
package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"
	"sigs.k8s.io/yaml"

	pluginbase "sigs.k8s.io/kube-api-linter/pkg/plugin/base"
	// The default set of KAL linters, as the golangci-lint module registers.
	_ "sigs.k8s.io/kube-api-linter/pkg/registration"
)

func main() {
	path, args, err := configFlag(os.Args[1:])
	if err != nil {
		fail(err)
	}
	analyzers, err := load(path)
	if err != nil {
		fail(err)
	}
	os.Args = append(os.Args[:1], args...)
	multichecker.Main(analyzers...)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "kube-api-linter: %v\n", err)
	os.Exit(1)
}

// configFlag takes -config FILE (or -config=FILE, one or two dashes) out of
// args, leaving the rest to multichecker's own flag parsing.
func configFlag(args []string) (string, []string, error) {
	var path string
	rest := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "config" {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				return "", nil, fmt.Errorf("flag -config needs a file")
			}
			i++
			value = args[i]
		}
		path = value
	}
	return path, rest, nil
}

// load builds the enabled KAL analyzers from the settings file (none: KAL's
// defaults) the same way the golangci-lint module does (pluginbase.New, then
// BuildAnalyzers, which validates the settings).
func load(path string) ([]*analysis.Analyzer, error) {
	settings := map[string]any{}
	source := "default settings"
	if path != "" {
		source = path
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		// sigs.k8s.io/yaml goes through JSON, as golangci-lint's settings do.
		if err := yaml.Unmarshal(data, &settings); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if settings == nil {
			settings = map[string]any{}
		}
	}
	plugin, err := pluginbase.New(settings)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	analyzers, err := plugin.BuildAnalyzers()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	for _, a := range analyzers {
		prefixDiagnostics(a)
	}
	return analyzers, nil
}

// prefixDiagnostics makes each diagnostic of a start with "a.Name: ", so the
// plain-text output says which rule fired (as golangci-lint's does).
func prefixDiagnostics(a *analysis.Analyzer) {
	run := a.Run
	a.Run = func(pass *analysis.Pass) (any, error) {
		report := pass.Report
		pass.Report = func(d analysis.Diagnostic) {
			d.Message = a.Name + ": " + d.Message
			report(d)
		}
		return run(pass)
	}
}
