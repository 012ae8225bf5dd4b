// Command pulumi-language-nodejs is a minimal Node.js language host for the Pulumi CLI.
//
// The upstream language host module is not served by the Go module proxy we can reach, so
// scripts/setup-pulumi.sh compiles this file instead (inside its throwaway build module, against
// github.com/pulumi/pulumi/sdk/v3 at the CLI's version). It implements just enough of the
// pulumirpc.LanguageRuntime service for `pulumi preview/up/refresh/destroy` on Node.js programs
// that use only dynamic providers: Run starts `node <@pulumi/pulumi/cmd/run> <flags> <program>`,
// and RunPlugin starts a Node.js policy pack (`pulumi preview --policy-pack <dir>`):
// `node <@pulumi/pulumi/cmd/run-policy-pack> <engine address> <pack dir>`.
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
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
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

// analyzerKind is the plugin kind the engine gives RunPlugin for a policy pack
// (apitype.AnalyzerPlugin in sdk/go/common/apitype/plugins.go).
const analyzerKind = "analyzer"

// RunPlugin runs a Node.js policy pack for the engine, which calls it when it loads a
// PulumiPolicy.yaml of runtime nodejs and finds this language host (NewPolicyAnalyzer in
// sdk/go/common/resource/plugin/analyzer_plugin.go). The pack runs through the Node SDK's
// @pulumi/pulumi/cmd/run-policy-pack (usage `RUN <engine-address> <program>`), resolved from the
// pack directory so the pack, @pulumi/policy and the runner share one @pulumi/pulumi. It runs in
// the pack directory: @pulumi/policy reads the pack's version from ./package.json. Its output is
// streamed back as it comes (the engine waits for the gRPC port on the first stdout line), then
// its exit code. Other plugin kinds (a resource provider written in Node.js) are not served here.
func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	if req.GetKind() != analyzerKind {
		return status.Errorf(codes.Unimplemented,
			"this language host runs Node.js policy packs only, not %q plugins", req.GetKind())
	}
	info := req.GetInfo()
	packDir := info.GetProgramDirectory()
	if packDir == "" {
		packDir = req.GetProgram() // the field older engines set instead of info
	}
	if packDir == "" {
		return status.Error(codes.InvalidArgument, "RunPlugin: no policy pack directory given (info.program_directory)")
	}
	engine, _, err := parseArgs(req.GetArgs())
	if err != nil || engine == "" {
		return status.Errorf(codes.InvalidArgument, "RunPlugin: want the engine address as the argument, got %q", req.GetArgs())
	}

	ctx := server.Context()
	node, err := exec.LookPath("node")
	if err != nil {
		return errors.New("node was not found on PATH; install Node.js to run this policy pack")
	}
	runner, err := resolveModule(ctx, node, packDir, "@pulumi/pulumi/cmd/run-policy-pack")
	if err != nil {
		return err
	}

	var args []string
	if s, ok := info.GetOptions().AsMap()["nodeargs"].(string); ok && strings.TrimSpace(s) != "" {
		args = append(args, strings.Fields(s)...)
	}
	args = append(args, runner, engine, packDir)

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = packDir
	// The engine passes its whole environment (with anything the pack's config adds).
	cmd.Env = req.GetEnv()
	if len(cmd.Env) == 0 {
		cmd.Env = os.Environ()
	}
	// The engine ends a policy pack by cancelling this call; node's default for SIGTERM is to exit.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second

	stream := &pluginStream{server: server}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the policy pack in %s: %w", packDir, err)
	}
	var copying sync.WaitGroup
	copying.Add(2)
	go func() { defer copying.Done(); stream.copy(stdout, false) }()
	go func() { defer copying.Done(); stream.copy(stderr, true) }()
	// All output is sent before the exit code, which the engine takes as the last message.
	copying.Wait()
	err = cmd.Wait()
	code := 0
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode() // -1 when a signal ended it
	case ctx.Err() != nil:
		return ctx.Err()
	default:
		return fmt.Errorf("running the policy pack in %s: %w", packDir, err)
	}
	if ctx.Err() != nil {
		return ctx.Err() // the engine stopped listening; nothing more to send
	}
	return stream.send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}})
}

// pluginStream sends a plugin's output chunks to the engine; gRPC allows one sender at a time.
type pluginStream struct {
	mu     sync.Mutex
	server pulumirpc.LanguageRuntime_RunPluginServer
	failed error
}

func (s *pluginStream) send(msg *pulumirpc.RunPluginResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed != nil {
		return s.failed
	}
	s.failed = s.server.Send(msg)
	return s.failed
}

// copy forwards what r yields as it comes, chunk by chunk (the port line must not wait for more).
// After a failed send it keeps reading, so the plugin never blocks on a full pipe.
func (s *pluginStream) copy(r io.Reader, isStderr bool) {
	buf := make([]byte, 32*1024)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			chunk := append([]byte(nil), buf[:n]...)
			msg := &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: chunk}}
			if isStderr {
				msg = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: chunk}}
			}
			_ = s.send(msg)
		}
		if err != nil {
			return
		}
	}
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
	return resolveModule(ctx, node, dir, "@pulumi/pulumi/cmd/run")
}

// resolveModule asks node where module resolves from dir (node's own lookup: dir's node_modules,
// then its parents'). The module name travels as an argument, never inside the script text.
func resolveModule(ctx context.Context, node, dir, module string) (string, error) {
	cmd := exec.CommandContext(ctx, node, "-e",
		"process.stdout.write(require.resolve(process.argv[1], {paths: [process.cwd()]}))", module)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || len(out) == 0 {
		return "", fmt.Errorf("cannot find %s from %s (is node_modules installed? run `npm ci`): %v %s",
			module, dir, err, strings.TrimSpace(errorLine(stderr.String())))
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
