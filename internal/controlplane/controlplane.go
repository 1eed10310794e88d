/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package controlplane starts the local control plane (a real etcd and
// kube-apiserver, through controller-runtime's envtest) with the operator's
// CRDs installed, for the test suites, make demo and make bench. The binaries
// are the ones hack/controlplane.sh builds from source into bin/.
package controlplane

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/yaml"
)

// ControlPlane is a running etcd and kube-apiserver with the CRDs installed.
type ControlPlane struct {
	// Env is the envtest environment.
	Env *envtest.Environment
	// Config is an admin client configuration.
	Config *rest.Config
	// Kubeconfig is the path of an admin kubeconfig file.
	Kubeconfig string
	// Root is the repository root.
	Root string
	// Assets is the folder holding etcd, kube-apiserver,
	// kube-controller-manager and kubectl.
	Assets string

	dir               string
	controllerManager *Operator
	apiServerLog      *os.File
}

// RepoRoot finds the repository root: the nearest parent folder of the
// working directory holding this module's go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(data, []byte("module p3o.dev/p3o-operator\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("repository root not found: no parent folder holds the p3o-operator go.mod")
		}
		dir = parent
	}
}

// Assets returns the folder of the control-plane binaries: KUBEBUILDER_ASSETS
// when set, else the output of hack/controlplane.sh, which builds them on
// first use and reuses them afterwards.
func Assets(root string) (string, error) {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
		return dir, nil
	}
	cmd := exec.Command("bash", filepath.Join(root, "hack", "controlplane.sh"))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("building the control plane with hack/controlplane.sh: %w", err)
	}
	return string(bytes.TrimSpace(out)), nil
}

// Option changes how Start starts the control plane.
type Option func(*options)

type options struct {
	auditPolicy, auditLog string
	controllerManager     bool
}

// WithControllerManager also runs kube-controller-manager (built by
// hack/controlplane.sh from the same Kubernetes source as kube-apiserver)
// with the garbage collector and the namespace controller, so that owned
// objects are collected and deleted namespaces are emptied and go away, as
// in a cluster. It talks to the API server as the admin, with the API
// server's service-account signing key.
func WithControllerManager() Option {
	return func(o *options) { o.controllerManager = true }
}

// WithAuditLog makes kube-apiserver write an audit log (JSON lines) to
// logFile under the audit policy in policyFile.
func WithAuditLog(policyFile, logFile string) Option {
	return func(o *options) { o.auditPolicy, o.auditLog = policyFile, logFile }
}

// Start starts etcd and kube-apiserver on loopback, installs the CRDs from
// config/crd/bases and writes an admin kubeconfig into a temporary folder.
// Stop undoes all of it.
func Start(opts ...Option) (*ControlPlane, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	assets, err := Assets(root)
	if err != nil {
		return nil, err
	}
	env := &envtest.Environment{
		BinaryAssetsDirectory: assets,
		CRDDirectoryPaths:     []string{filepath.Join(root, "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
		// The webhook configurations point at a server on 127.0.0.1 with a
		// certificate envtest makes; see WebhookArgs.
		WebhookInstallOptions: envtest.WebhookInstallOptions{Paths: []string{filepath.Join(root, "config", "webhook")}},
	}
	// The API server's certificates live in a folder of ours, not one
	// envtest removes when it stops the API server, so that StartAPIServer
	// can start it again with the same certificates.
	dir, err := os.MkdirTemp("", "p3o-controlplane-")
	if err != nil {
		return nil, err
	}
	certDir := filepath.Join(dir, "apiserver")
	if err := os.Mkdir(certDir, 0o700); err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	env.ControlPlane.GetAPIServer().CertDir = certDir
	apiServerLog, err := os.Create(filepath.Join(dir, "kube-apiserver.log"))
	if err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	env.ControlPlane.GetAPIServer().Out, env.ControlPlane.GetAPIServer().Err = apiServerLog, apiServerLog
	if o.auditLog != "" {
		env.ControlPlane.GetAPIServer().Configure().
			Set("audit-policy-file", o.auditPolicy).
			Set("audit-log-path", o.auditLog).
			Set("audit-log-format", "json")
	}
	cfg, err := env.Start()
	if err != nil {
		return nil, errors.Join(fmt.Errorf("starting the control plane from %s: %w", assets, err), apiServerLog.Close(), os.RemoveAll(dir))
	}
	cp := &ControlPlane{Env: env, Config: cfg, Root: root, Assets: assets, dir: dir, apiServerLog: apiServerLog}
	if err := cp.writeKubeconfig(); err != nil {
		return nil, errors.Join(err, cp.Stop())
	}
	if o.controllerManager {
		if err := cp.startControllerManager(); err != nil {
			return nil, errors.Join(err, cp.Stop())
		}
	}
	return cp, nil
}

// startControllerManager runs kube-controller-manager on loopback.
func (cp *ControlPlane) startControllerManager() error {
	binary := filepath.Join(cp.Assets, "kube-controller-manager")
	if _, err := os.Stat(binary); err != nil {
		return fmt.Errorf("kube-controller-manager is not in %s (hack/controlplane.sh builds it): %w", cp.Assets, err)
	}
	logFile, err := os.Create(filepath.Join(cp.dir, "kube-controller-manager.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.Command(binary,
		"--kubeconfig", cp.Kubeconfig,
		"--controllers", "garbagecollector,namespace",
		"--leader-elect=false",
		"--service-account-private-key-file", filepath.Join(cp.Env.ControlPlane.APIServer.CertDir, "sa-signer.key"),
		"--use-service-account-credentials=false",
		"--bind-address", "127.0.0.1",
		"--secure-port", "0",
		"--concurrent-gc-syncs", "5",
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", binary, err)
	}
	cp.controllerManager = &Operator{cmd: cmd, done: make(chan struct{})}
	go func() {
		cp.controllerManager.exitErr = cmd.Wait()
		close(cp.controllerManager.done)
	}()
	return nil
}

// ControllerManagerLog is the path of kube-controller-manager's log, when
// it runs.
func (cp *ControlPlane) ControllerManagerLog() string {
	return filepath.Join(cp.dir, "kube-controller-manager.log")
}

func (cp *ControlPlane) writeKubeconfig() error {
	user, err := cp.Env.AddUser(envtest.User{Name: "p3o-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return fmt.Errorf("adding an admin user: %w", err)
	}
	data, err := user.KubeConfig()
	if err != nil {
		return fmt.Errorf("rendering the admin kubeconfig: %w", err)
	}
	cp.Kubeconfig = filepath.Join(cp.dir, "kubeconfig")
	return os.WriteFile(cp.Kubeconfig, data, 0o600)
}

// WebhookArgs are the operator flags that serve the webhooks where the
// installed webhook configurations expect them.
func (cp *ControlPlane) WebhookArgs() []string {
	w := cp.Env.WebhookInstallOptions
	return []string{
		"--enable-webhooks=true",
		"--webhook-host", w.LocalServingHost,
		"--webhook-port", strconv.Itoa(w.LocalServingPort),
		"--webhook-cert-dir", w.LocalServingCertDir,
	}
}

// Stop stops the control plane and removes its temporary files.
func (cp *ControlPlane) Stop() error {
	var err error
	if cp.controllerManager != nil {
		err = cp.controllerManager.Stop(30 * time.Second)
	}
	err = errors.Join(err, cp.Env.Stop(), cp.apiServerLog.Close())
	if cp.dir != "" {
		err = errors.Join(err, os.RemoveAll(cp.dir))
	}
	return err
}

// APIServerLog is the path of kube-apiserver's log.
func (cp *ControlPlane) APIServerLog() string {
	return filepath.Join(cp.dir, "kube-apiserver.log")
}

// KillAPIServer kills kube-apiserver with SIGKILL, as a crash or the OOM
// killer would, waits until it is gone, and leaves etcd running with its
// data. (A graceful stop can take longer than envtest's 20 s stop timeout
// while the operator keeps it busy, and envtest then kills it anyway.)
func (cp *ControlPlane) KillAPIServer() error {
	pid, err := childProcess("kube-apiserver", "--cert-dir="+cp.Env.ControlPlane.APIServer.CertDir)
	if err != nil {
		return err
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		return fmt.Errorf("killing kube-apiserver (pid %d): %w", pid, err)
	}
	// envtest waits for its process and so reaps it.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join("/proc", strconv.Itoa(pid))); errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("kube-apiserver (pid %d) is still there 10s after SIGKILL", pid)
		}
	}
}

// childProcess finds the child process of this one running the program
// name with arg among its arguments, from /proc.
func childProcess(name, arg string) (int, error) {
	dirs, err := filepath.Glob("/proc/[0-9]*")
	if err != nil {
		return 0, err
	}
	for _, dir := range dirs {
		cmdline, err := os.ReadFile(filepath.Join(dir, "cmdline"))
		if err != nil {
			continue
		}
		args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
		if filepath.Base(args[0]) != name || !slices.Contains(args, arg) {
			continue
		}
		stat, err := os.ReadFile(filepath.Join(dir, "stat"))
		// stat: pid (comm) state ppid ...
		if fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:])); err == nil && len(fields) > 1 && fields[1] == strconv.Itoa(os.Getpid()) {
			return strconv.Atoi(filepath.Base(dir))
		}
	}
	return 0, fmt.Errorf("no child process %s with %s", name, arg)
}

// StartAPIServer starts kube-apiserver again after KillAPIServer, on the
// same address, with the same certificates and the same etcd, so that
// clients reconnect with the credentials they have.
func (cp *ControlPlane) StartAPIServer() error {
	return cp.Env.ControlPlane.APIServer.Start()
}

// Kubectl runs the built kubectl against the control plane and returns its
// combined output.
func (cp *ControlPlane) Kubectl(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(cp.Assets, "kubectl"), append([]string{"--kubeconfig", cp.Kubeconfig}, args...)...)
	cmd.Dir = cp.Root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("kubectl %v: %w\n%s", args, err, out)
	}
	return string(out), nil
}

// FreeLoopbackAddress returns a 127.0.0.1 address with a port that was free
// a moment ago.
func FreeLoopbackAddress() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

// Operator is the operator binary running as a child process.
type Operator struct {
	cmd     *exec.Cmd
	done    chan struct{}
	exitErr error
	// MetricsAddress is where the metrics endpoint listens.
	MetricsAddress string
	// ProbeAddress is where /healthz and /readyz listen.
	ProbeAddress string

	metricsCA []byte
}

// CommandLine is the operator's command line, quoted for a POSIX shell.
func (op *Operator) CommandLine() string {
	quoted := make([]string, len(op.cmd.Args))
	for i, a := range append([]string{op.cmd.Path}, op.cmd.Args[1:]...) {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:,@") == "" {
			quoted[i] = a
		} else {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(quoted, " ")
}

// Err is how the operator exited; nil while it runs or after a clean stop.
func (op *Operator) Err() error {
	select {
	case <-op.done:
		return ignoreSignalExit(op.exitErr)
	default:
		return nil
	}
}

// MetricsCAFile writes the CA that signed the metrics endpoint's certificate
// into the control plane's temporary folder (for curl --cacert) and returns
// its path.
func (cp *ControlPlane) MetricsCAFile() (string, error) {
	path := filepath.Join(cp.dir, "metrics-ca.crt")
	return path, os.WriteFile(path, cp.Env.WebhookInstallOptions.LocalServingCAData, 0o600)
}

// MetricsURL is the operator's metrics endpoint.
func (op *Operator) MetricsURL() string { return "https://" + op.MetricsAddress + "/metrics" }

// Scrape reads the metrics endpoint as Prometheus does: over HTTPS, checking
// the server's certificate, with token as the bearer token (none when empty).
// It returns the HTTP status code and the body.
func (op *Operator) Scrape(ctx context.Context, token string) (int, string, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(op.metricsCA) {
		return 0, "", errors.New("no CA for the metrics endpoint")
	}
	httpClient := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}},
	}
	defer httpClient.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, op.MetricsURL(), nil)
	if err != nil {
		return 0, "", err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// StartOperator runs the operator binary against the control plane, with its
// metrics and probe endpoints on free loopback ports, writing its log to
// logFile. The metrics endpoint serves HTTPS with the certificate envtest
// made for the webhooks (valid for 127.0.0.1), so that Scrape can verify it.
func (cp *ControlPlane) StartOperator(binary string, logFile *os.File, extraArgs ...string) (*Operator, error) {
	return cp.StartOperatorWithKubeconfig(binary, cp.Kubeconfig, logFile, extraArgs...)
}

// StartOperatorWithKubeconfig is StartOperator with the operator's
// credentials taken from kubeconfig instead of the admin's.
func (cp *ControlPlane) StartOperatorWithKubeconfig(binary, kubeconfig string, logFile *os.File, extraArgs ...string) (*Operator, error) {
	metrics, err := FreeLoopbackAddress()
	if err != nil {
		return nil, err
	}
	probe, err := FreeLoopbackAddress()
	if err != nil {
		return nil, err
	}
	args := append([]string{
		"--kubeconfig", kubeconfig,
		"--metrics-bind-address", metrics,
		"--metrics-cert-dir", cp.Env.WebhookInstallOptions.LocalServingCertDir,
		"--health-probe-bind-address", probe,
	}, cp.WebhookArgs()...)
	args = append(args, extraArgs...)
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", binary, err)
	}
	op := &Operator{cmd: cmd, done: make(chan struct{}), MetricsAddress: metrics, ProbeAddress: probe,
		metricsCA: cp.Env.WebhookInstallOptions.LocalServingCAData}
	go func() {
		op.exitErr = cmd.Wait()
		close(op.done)
	}()
	return op, nil
}

// Stop sends the operator SIGTERM and waits for it to exit, killing it after
// the timeout.
func (op *Operator) Stop(timeout time.Duration) error {
	if err := op.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stopping the operator: %w", err)
	}
	select {
	case <-op.done:
		return ignoreSignalExit(op.exitErr)
	case <-time.After(timeout):
		_ = op.cmd.Process.Kill()
		<-op.done
		return fmt.Errorf("the operator did not stop within %s and was killed", timeout)
	}
}

// Kill sends the operator SIGKILL, as a node failure or the OOM killer
// would, and waits for it to exit.
func (op *Operator) Kill() error {
	if err := op.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("killing the operator: %w", err)
	}
	<-op.done
	return nil
}

// PID is the operator's process id.
func (op *Operator) PID() int { return op.cmd.Process.Pid }

// Exited is closed when the operator process has exited.
func (op *Operator) Exited() <-chan struct{} { return op.done }

func ignoreSignalExit(err error) error {
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() <= 0 {
		return nil
	}
	return err
}

// ServiceAccountToken creates the ServiceAccount namespace/name (and its
// namespace) when missing and returns a token for it from the TokenRequest
// API, valid for an hour.
func (cp *ControlPlane) ServiceAccountToken(ctx context.Context, namespace, name string) (string, error) {
	cs, err := kubernetes.NewForConfig(cp.Config)
	if err != nil {
		return "", err
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}
	if _, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return "", fmt.Errorf("creating namespace %s: %w", namespace, err)
	}
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name}}
	if _, err := cs.CoreV1().ServiceAccounts(namespace).Create(ctx, sa, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return "", fmt.Errorf("creating service account %s/%s: %w", namespace, name, err)
	}
	expiry := int64(3600)
	tr, err := cs.CoreV1().ServiceAccounts(namespace).CreateToken(ctx, name, &authenticationv1.TokenRequest{
		Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: &expiry},
	}, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("requesting a token for %s/%s: %w", namespace, name, err)
	}
	return tr.Status.Token, nil
}

// MetricsReaderRole is the file holding the ClusterRole that may scrape the
// operator's metrics, relative to the repository root.
const MetricsReaderRole = "config/rbac/metrics_reader_role.yaml"

// MetricsReaderToken installs the metrics-reader ClusterRole of
// config/rbac, binds it to the ServiceAccount kube-system/p3o-metrics-reader
// and returns a token for that account: what Prometheus presents when it
// scrapes the operator.
func (cp *ControlPlane) MetricsReaderToken(ctx context.Context) (string, error) {
	const namespace, name = "kube-system", "p3o-metrics-reader"
	data, err := os.ReadFile(filepath.Join(cp.Root, MetricsReaderRole))
	if err != nil {
		return "", err
	}
	role := &rbacv1.ClusterRole{}
	if err := yaml.UnmarshalStrict(data, role); err != nil {
		return "", fmt.Errorf("reading %s: %w", MetricsReaderRole, err)
	}
	cs, err := kubernetes.NewForConfig(cp.Config)
	if err != nil {
		return "", err
	}
	if _, err := cs.RbacV1().ClusterRoles().Create(ctx, role, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return "", fmt.Errorf("creating ClusterRole %s: %w", role.Name, err)
	}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Namespace: namespace, Name: name}},
	}
	if _, err := cs.RbacV1().ClusterRoleBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return "", fmt.Errorf("creating ClusterRoleBinding %s: %w", name, err)
	}
	return cp.ServiceAccountToken(ctx, namespace, name)
}

// KubeconfigForToken writes a kubeconfig that reaches the control plane with
// token as its only credential (a ServiceAccount's, say) and returns its
// path. Stop removes it.
func (cp *ControlPlane) KubeconfigForToken(name, token string) (string, error) {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["p3o"] = &clientcmdapi.Cluster{Server: cp.Config.Host, CertificateAuthorityData: cp.Config.CAData}
	cfg.AuthInfos[name] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts[name] = &clientcmdapi.Context{Cluster: "p3o", AuthInfo: name}
	cfg.CurrentContext = name
	path := filepath.Join(cp.dir, "kubeconfig-"+name)
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return "", err
	}
	return path, nil
}
