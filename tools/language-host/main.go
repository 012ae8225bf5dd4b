// Command pulumi-language-nodejs is a minimal Node.js language host for the Pulumi CLI.
//
// The upstream language host module is not served by the Go module proxy we can reach, so
// scripts/setup-pulumi.sh compiles this file instead (inside its throwaway build module, against
// github.com/pulumi/pulumi/sdk/v3 at the CLI's version). It implements just enough of the
// pulumirpc.LanguageRuntime service for `pulumi preview/up/refresh/destroy` on Node.js programs
// that use only dynamic providers: Run starts `node <@pulumi/pulumi/cmd/run> <flags> <program>`.
//
// Launch convention (sdk/go/common/resource/plugin): the CLI runs
//
//	pulumi-language-nodejs [--logtostderr] [-v=N] [--tracing URL] <engine address>
//
// and reads the gRPC port this process prints as the first line on stdout.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is reported by GetPluginInfo; set with -ldflags "-X main.version=3.248.0".
var version = "3.248.0"

// exitLogged is the exit code @pulumi/pulumi/cmd/run uses when it has already reported the
// error to the engine (nodeJSProcessExitedAfterLoggingUserActionableMessage).
const exitLogged = 32

func main() {
	engineAddr, tracing, err := parseArgs(os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(2)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if engineAddr != "" {
		// Exit when the engine goes away.
		if err := rpcutil.Healthcheck(ctx, engineAddr, 5*time.Minute, cancel); err != nil {
			fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start health check: %v\n", err)
			os.Exit(1)
		}
	}

	host := &languageHost{engineAddr: engineAddr, tracing: tracing}
	stop := make(chan bool)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start gRPC server: %v\n", err)
		os.Exit(1)
	}
	go func() {
		<-ctx.Done()
		close(stop)
	}()

	// The engine reads exactly one line from stdout: our port.
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

// parseArgs accepts the flags the CLI may pass (and ignores unknown ones); the last positional
// argument is the engine address.
func parseArgs(args []string) (engine, tracing string, err error) {
	takesValue := map[string]bool{
		"tracing": true, "root": true, "tsconfig": true, "nodeargs": true, "packagemanager": true,
	}
	var positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		name := strings.TrimLeft(a, "-")
		value, hasValue := "", false
		if k, v, ok := strings.Cut(name, "="); ok {
			name, value, hasValue = k, v, true
		}
		if takesValue[name] && !hasValue {
			if i+1 >= len(args) {
				return "", "", fmt.Errorf("flag -%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if name == "tracing" {
			tracing = value
		}
	}
	if len(positional) > 1 {
		return "", "", fmt.Errorf("expected at most one argument (the engine address), got %q", positional)
	}
	if len(positional) == 1 {
		engine = positional[0]
	}
	return engine, tracing, nil
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu         sync.Mutex
	engineAddr string
	tracing    string
}

func (h *languageHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddr
}

func (h *languageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if req.GetEngineAddress() != "" {
		h.engineAddr = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// Our programs use only dynamic providers (served by the bundled pulumi-resource-pulumi-nodejs),
// so nothing has to be installed ahead of the run.
func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *languageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	// Runs are tied to their gRPC contexts; the engine cancels those.
	return &emptypb.Empty{}, nil
}

func (h *languageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node was not found on PATH")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("running %s --version: %w", node, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

// GetProgramDependencies lists the direct dependencies from the nearest package.json, with the
// versions installed in node_modules.
func (h *languageHost) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd())
	pkgDir, ok := findUp(dir, "package.json")
	if !ok {
		return nil, fmt.Errorf("no package.json found in %s or its parents", dir)
	}
	var pkg struct {
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := readJSON(filepath.Join(pkgDir, "package.json"), &pkg); err != nil {
		return nil, err
	}
	var deps []*pulumirpc.DependencyInfo
	for _, m := range []map[string]string{pkg.Dependencies, pkg.DevDependencies} {
		for name, wanted := range m {
			v := wanted
			if d, ok := findUp(pkgDir, filepath.Join("node_modules", name, "package.json")); ok {
				var installed struct {
					Version string `json:"version"`
				}
				if readJSON(filepath.Join(d, "node_modules", name, "package.json"), &installed) == nil &&
					installed.Version != "" {
					v = installed.Version
				}
			}
			deps = append(deps, &pulumirpc.DependencyInfo{Name: name, Version: v})
		}
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// InstallDependencies does nothing when @pulumi/pulumi already resolves from the program; otherwise
// it runs `npm ci` (with a package-lock.json) or `npm install`.
func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	dir := req.GetDirectory()
	if info := req.GetInfo(); info != nil && info.GetProgramDirectory() != "" {
		dir = info.GetProgramDirectory()
	}
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()

	if _, ok := findUp(dir, filepath.Join("node_modules", "@pulumi", "pulumi", "package.json")); ok {
		fmt.Fprintf(stdout, "node_modules with @pulumi/pulumi found for %s; nothing to install\n", dir)
		return nil
	}
	pkgDir, ok := findUp(dir, "package.json")
	if !ok {
		return fmt.Errorf("cannot install dependencies: no package.json in %s or its parents", dir)
	}
	args := []string{"install"}
	if _, err := os.Stat(filepath.Join(pkgDir, "package-lock.json")); err == nil {
		args = []string{"ci"}
	}
	fmt.Fprintf(stdout, "running npm %s in %s\n", strings.Join(args, " "), pkgDir)
	cmd := exec.CommandContext(server.Context(), "npm", args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = pkgDir, stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm %s in %s failed: %w", strings.Join(args, " "), pkgDir, err)
	}
	return nil
}

// Run executes the program through the Node SDK's runner, @pulumi/pulumi/cmd/run, which reads
// its settings from flags (see its usage text) and the config from PULUMI_CONFIG and
// PULUMI_CONFIG_SECRET_KEYS.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	pwd := req.GetPwd()
	progDir := programDir(info, pwd)
	if pwd == "" {
		pwd = progDir
	}

	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "node was not found on PATH; install Node.js to run this program"}, nil
	}
	runner, err := resolveRunner(ctx, node, progDir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	opts := info.GetOptions().AsMap()
	var args []string
	if s, ok := opts["nodeargs"].(string); ok && strings.TrimSpace(s) != "" {
		args = append(args, strings.Fields(s)...)
	}
	args = append(args, runner)
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name+"="+value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", h.engine())
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("stack", req.GetStack())
	flag("pwd", pwd)
	if info != nil {
		flag("root-directory", info.GetRootDirectory())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		flag("parallel", fmt.Sprint(req.GetParallel()))
	}
	flag("tracing", h.tracing)
	args = append(args, programArg(info, req.GetProgram(), pwd, progDir))
	args = append(args, req.GetArgs()...)

	config := req.GetConfig()
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON),
	)
	// TypeScript is on unless Pulumi.yaml says `runtime.options.typescript: false`; cmd/run then
	// registers ts-node (resolved from the program) and .ts entry points just work.
	typescript := true
	if b, ok := opts["typescript"].(bool); ok {
		typescript = b
	}
	env = append(env, fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", typescript))
	if s, ok := opts["tsconfig"].(string); ok && s != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+s)
	}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = pwd
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = 10 * time.Second

	err = cmd.Run()
	if err == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if exitErr.ExitCode() == exitLogged {
			// cmd/run already reported the error through the engine.
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		if exitErr.ExitCode() >= 0 {
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("the Node.js program exited with code %d", exitErr.ExitCode()),
			}, nil
		}
	}
	if ctx.Err() != nil {
		return &pulumirpc.RunResponse{Error: "the Node.js program was cancelled"}, nil
	}
	return &pulumirpc.RunResponse{Error: fmt.Sprintf("running the Node.js program: %v", err)}, nil
}

// programDir is the directory holding the program (Pulumi.yaml `main`), falling back to pwd.
func programDir(info *pulumirpc.ProgramInfo, pwd string) string {
	if d := info.GetProgramDirectory(); d != "" {
		return d
	}
	if d := info.GetRootDirectory(); d != "" {
		return d
	}
	if pwd != "" {
		return pwd
	}
	d, _ := os.Getwd()
	return d
}

// programArg is the program argument for cmd/run: "." (let cmd/run consult package.json) when the
// entry point is the program directory and that is the working directory, otherwise a path.
func programArg(info *pulumirpc.ProgramInfo, program, pwd, progDir string) string {
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = program
	}
	if entry == "" {
		entry = "."
	}
	if filepath.IsAbs(entry) {
		return entry
	}
	if entry == "." && filepath.Clean(pwd) == filepath.Clean(progDir) {
		return "."
	}
	return filepath.Join(progDir, entry)
}

// resolveRunner asks node where @pulumi/pulumi/cmd/run resolves from the program directory, so the
// program and its runner share one copy of @pulumi/pulumi.
func resolveRunner(ctx context.Context, node, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, node, "-e",
		"process.stdout.write(require.resolve('@pulumi/pulumi/cmd/run', {paths: [process.cwd()]}))")
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || len(out) == 0 {
		return "", fmt.Errorf("cannot find @pulumi/pulumi from %s (is node_modules installed? run `npm ci`): %v %s",
			dir, err, strings.TrimSpace(errorLine(stderr.String())))
	}
	return string(out), nil
}

func errorLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "Error") {
			return l
		}
	}
	return ""
}

// findUp returns the first directory from dir upwards that contains rel.
func findUp(dir, rel string) (string, bool) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, rel)); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func readJSON(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
