/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package release

import (
	"bufio"
	"bytes"
	"context"
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// platforms are what a release builds for, with the ELF machine each
// binary must be.
var platforms = []struct {
	goarch  string
	machine elf.Machine
}{
	{"amd64", elf.EM_X86_64},
	{"arm64", elf.EM_AARCH64},
}

// checkBinary says what is wrong with path as a static linux/goarch binary
// of the operator carrying the given strings (its version and commit, set
// with -X), or nothing.
func checkBinary(path, goarch string, machine elf.Machine, carries ...string) error {
	f, err := elf.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var problems []string
	if f.Machine != machine {
		problems = append(problems, fmt.Sprintf("ELF machine %s, want %s", f.Machine, machine))
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			problems = append(problems, "dynamically linked (has an interpreter): CGO was on")
		}
	}
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return err
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	for key, want := range map[string]string{"GOOS": "linux", "GOARCH": goarch, "CGO_ENABLED": "0"} {
		if settings[key] != want {
			problems = append(problems, fmt.Sprintf("built with %s=%q, want %q", key, settings[key], want))
		}
	}
	if info.Path != "p3o.dev/p3o-operator" {
		problems = append(problems, fmt.Sprintf("main package %s, want the operator", info.Path))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, c := range carries {
		if !bytes.Contains(data, []byte(c)) {
			problems = append(problems, fmt.Sprintf("does not carry %q (-X main.version, main.commit)", c))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %s", filepath.Base(path), strings.Join(problems, "; "))
	}
	return nil
}

// make build-multiarch cross-compiles static linux/amd64 and linux/arm64
// binaries carrying VERSION and COMMIT.
func TestMakeBuildMultiarch(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Minute)
	defer cancel()
	bindir := t.TempDir()
	const version, commit = "v9.8.7-multiarch", "abc1234"
	out, err := runMake(ctx, "build-multiarch", "BINDIR="+bindir, "VERSION="+version, "COMMIT="+commit)
	if err != nil {
		t.Fatalf("make build-multiarch: %v\n%s", err, out)
	}
	for _, p := range platforms {
		path := filepath.Join(bindir, "p3o-operator-linux-"+p.goarch)
		if err := checkBinary(path, p.goarch, p.machine, version, commit); err != nil {
			t.Error(err)
		}
	}
	entries, _ := os.ReadDir(bindir)
	if len(entries) != len(platforms) {
		t.Errorf("make build-multiarch wrote %d files, want %d", len(entries), len(platforms))
	}

	t.Run("the check tells the machines apart", func(t *testing.T) {
		amd64 := filepath.Join(bindir, "p3o-operator-linux-amd64")
		if err := checkBinary(amd64, "arm64", elf.EM_AARCH64, version); err == nil {
			t.Error("the amd64 binary passes as arm64")
		}
		if err := checkBinary(amd64, "amd64", elf.EM_X86_64, "v0.0.0-other"); err == nil {
			t.Error("the binary passes with another version")
		}
	})

	t.Run("the amd64 binary prints its version and commit", func(t *testing.T) {
		path := filepath.Join(bindir, "p3o-operator-linux-amd64")
		if goarchOfHost() != "amd64" {
			t.Skip("not an amd64 host")
		}
		out, err := exec.CommandContext(ctx, path, "--version").CombinedOutput()
		if err != nil || !strings.Contains(string(out), version) || !strings.Contains(string(out), commit) {
			t.Errorf("--version: %v\n%s", err, out)
		}
	})
}

func goarchOfHost() string {
	out, _ := exec.Command("go", "env", "GOARCH").Output()
	return strings.TrimSpace(string(out))
}

// dockerfile is the Dockerfile's instructions (comments dropped,
// continuation lines joined), by stage.
type dockerStage struct {
	from         string // the FROM line's arguments
	instructions [][2]string
}

func parseDockerfile(t *testing.T) []dockerStage {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repo, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var stages []dockerStage
	var line strings.Builder
	scanner := bufio.NewScanner(bytes.NewReader(data))
	for scanner.Scan() {
		text := strings.TrimSpace(scanner.Text())
		if strings.HasPrefix(text, "#") || (text == "" && line.Len() == 0) {
			continue
		}
		if cont, ok := strings.CutSuffix(text, `\`); ok {
			line.WriteString(cont + " ")
			continue
		}
		line.WriteString(text)
		instruction, args, _ := strings.Cut(strings.TrimSpace(line.String()), " ")
		line.Reset()
		switch instruction = strings.ToUpper(instruction); {
		case instruction == "FROM":
			stages = append(stages, dockerStage{from: args})
		case len(stages) == 0:
			t.Fatalf("Dockerfile: %s before FROM", instruction)
		default:
			stages[len(stages)-1].instructions = append(stages[len(stages)-1].instructions, [2]string{instruction, strings.TrimSpace(args)})
		}
	}
	return stages
}

// The Dockerfile builds on the build machine's platform and cross-compiles
// for the target one: its builder stage, run here without Docker as BuildKit
// runs it for `--platform linux/arm64` (TARGETOS, TARGETARCH and the VERSION
// and COMMIT build arguments set; only the files it copies in the context),
// yields a static linux/arm64 binary carrying the version, where the final
// stage copies it from.
func TestDockerfileCrossCompiles(t *testing.T) {
	stages := parseDockerfile(t)
	if len(stages) != 2 {
		t.Fatalf("want a builder and a final stage, found %d stages", len(stages))
	}
	builder, final := stages[0], stages[1]
	if !strings.HasPrefix(builder.from, "--platform=$BUILDPLATFORM ") || !strings.HasSuffix(builder.from, " AS builder") {
		t.Errorf("builder stage: FROM %s; want FROM --platform=$BUILDPLATFORM <image> AS builder", builder.from)
	}
	if strings.Contains(final.from, "--platform") {
		t.Errorf("final stage: FROM %s; it must be of the target platform", final.from)
	}

	const version, commit = "v9.8.7-docker", "def5678"
	buildArgs := map[string]string{
		// What BuildKit sets for `docker buildx build --platform linux/arm64`.
		"TARGETOS": "linux", "TARGETARCH": "arm64", "BUILDPLATFORM": "linux/" + goarchOfHost(),
		// --build-arg VERSION=... --build-arg COMMIT=...
		"VERSION": version, "COMMIT": commit,
	}
	buildContext := t.TempDir()
	workdir := "/"
	var env []string
	declared := map[string]bool{}
	local := func(path string) string { return filepath.Join(buildContext, filepath.FromSlash(path)) }
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Minute)
	defer cancel()
	for _, in := range builder.instructions {
		switch in[0] {
		case "ARG":
			name, def, hasDefault := strings.Cut(in[1], "=")
			declared[name] = true
			if v, ok := buildArgs[name]; ok {
				env = append(env, name+"="+v)
			} else if hasDefault {
				env = append(env, name+"="+def)
			}
		case "WORKDIR":
			workdir = in[1]
			if err := os.MkdirAll(local(workdir), 0o755); err != nil {
				t.Fatal(err)
			}
		case "COPY":
			fields := strings.Fields(in[1])
			if strings.HasPrefix(fields[0], "--") {
				t.Fatalf("builder stage: COPY %s: flags are not emulated", in[1])
			}
			dest := fields[len(fields)-1]
			if !strings.HasPrefix(dest, "/") {
				dest = workdir + "/" + dest
			}
			for _, src := range fields[:len(fields)-1] {
				to := local(dest)
				if strings.HasSuffix(dest, "/") && !strings.HasSuffix(src, "/") {
					to = filepath.Join(to, filepath.Base(src))
				}
				if out, err := exec.Command("mkdir", "-p", filepath.Dir(filepath.Clean(to))).CombinedOutput(); err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
				from := filepath.Join(repo, src)
				if strings.HasSuffix(src, "/") {
					from += "/."
				}
				if out, err := exec.Command("cp", "-R", from, filepath.Clean(to)).CombinedOutput(); err != nil {
					t.Fatalf("COPY %s: %v\n%s", in[1], err, out)
				}
			}
		case "RUN":
			cmd := exec.CommandContext(ctx, "sh", "-c", in[1])
			cmd.Dir = local(workdir)
			cmd.Env = append(os.Environ(), env...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("RUN %s: %v\n%s", in[1], err, out)
			}
		default:
			t.Fatalf("builder stage: %s is not emulated", in[0])
		}
	}
	for _, arg := range []string{"TARGETOS", "TARGETARCH", "VERSION", "COMMIT"} {
		if !declared[arg] {
			t.Errorf("builder stage does not declare ARG %s", arg)
		}
	}

	// The final stage copies the binary from the builder.
	copied := ""
	for _, in := range final.instructions {
		if m := regexp.MustCompile(`^--from=builder\s+(\S+)\s+\S+$`).FindStringSubmatch(in[1]); in[0] == "COPY" && m != nil {
			copied = m[1]
		}
	}
	if copied == "" {
		t.Fatal("the final stage copies nothing from the builder")
	}
	if err := checkBinary(local(copied), "arm64", elf.EM_AARCH64, version, commit); err != nil {
		t.Error(err)
	}
}
