package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/dataplane"
	"github.com/vpcemu/vpcemu/internal/dnsserver"
	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/servicegate"
	"github.com/vpcemu/vpcemu/internal/sigv4"
)

// envBool reads a boolean environment variable (unset: false).
func envBool(key string) (bool, error) {
	v := os.Getenv(key)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q: want true or false", key, v)
	}
	return b, nil
}

// envDuration reads a duration environment variable (unset: 0).
func envDuration(key string) (time.Duration, error) {
	v := os.Getenv(key)
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: want a duration such as 30s", key, v)
	}
	return d, nil
}

// signatures says, for the start-up log, how requests are authenticated.
func signatures(keys *sigv4.Keys, verify bool) string {
	switch {
	case verify:
		return fmt.Sprintf("verified (%d keys)", keys.Len())
	case keys != nil:
		return fmt.Sprintf("not checked (%d keys map to accounts)", keys.Len())
	default:
		return "not checked"
	}
}

// defaultDataDir is $XDG_DATA_HOME/vpcemu, or ~/.local/share/vpcemu.
func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "vpcemu")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "vpcemu")
	}
	return "vpcemu-data"
}

func serve(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "[flags]", stderr)
	addr := fs.String("addr", envOr("VPCEMU_ADDR", "127.0.0.1:4566"), "listen address host:port (env VPCEMU_ADDR)")
	dataDir := fs.String("data-dir", envOr("VPCEMU_DATA_DIR", defaultDataDir()), "directory of the state file "+emulator.DBFile+" (env VPCEMU_DATA_DIR)")
	inMemory := fs.Bool("in-memory", false, "keep state in memory only; it is lost on exit (for tests)")
	logLevel := fs.String("log-level", envOr("VPCEMU_LOG_LEVEL", "info"), "log level: debug, info, warn or error (env VPCEMU_LOG_LEVEL)")
	quotas := map[string]int{}
	setQuota := func(s string) error {
		name, n, err := cloud.ParseQuota(s)
		if err == nil {
			quotas[name] = n
		}
		return err
	}
	for _, q := range strings.FieldsFunc(os.Getenv("VPCEMU_QUOTAS"), func(r rune) bool { return r == ',' || r == ' ' }) {
		if err := setQuota(q); err != nil {
			return fmt.Errorf("VPCEMU_QUOTAS: %w", err)
		}
	}
	credentials := fs.String("credentials", os.Getenv("VPCEMU_CREDENTIALS"), "a JSON list of access keys, [{\"accessKeyId\": …, \"secretAccessKey\": …, \"account\": \"<12 digits>\"}]: each key acts in its account (env VPCEMU_CREDENTIALS)")
	verify, err := envBool("VPCEMU_VERIFY_SIGNATURES")
	if err != nil {
		return usageError{err}
	}
	fs.BoolVar(&verify, "verify-signatures", verify, "refuse every request not signed (SigV4) by a key of --credentials, as AWS does (env VPCEMU_VERIFY_SIGNATURES=true)")
	dxDelay, err := envDuration("VPCEMU_DX_PROVISION_DELAY")
	if err != nil {
		return usageError{err}
	}
	fs.DurationVar(&dxDelay, "dx-provision-delay", dxDelay, "how long a new Direct Connect connection, LAG, virtual interface or BGP peer takes to come up, e.g. 30s (default: at once; env VPCEMU_DX_PROVISION_DELAY); 'vpcemu dx set-state' holds one in a state")
	var internet []dataplane.InternetStandIn
	fs.Func("internet", "a local server standing in for one on the internet, PUBLIC_IP:PORT=127.0.0.1:PORT or NAME:PORT=127.0.0.1:PORT (the name answered by the VPCs' DNS with an address of 198.51.100.0/24): what an internet gateway carries there, TCP or UDP, from a 'vpcemu run' process reaches it (repeatable); other internet destinations refuse", func(s string) error {
		st, err := dataplane.ParseInternetStandIn(s)
		if err == nil {
			internet = append(internet, st)
		}
		return err
	})
	upstreams := map[string]*url.URL{}
	addUpstream := func(s string) error {
		service, u, err := servicegate.ParseUpstream(s)
		if err == nil {
			upstreams[service] = u
		}
		return err
	}
	for _, u := range strings.FieldsFunc(os.Getenv("VPCEMU_UPSTREAMS"), func(r rune) bool { return r == ',' || r == ' ' }) {
		if err := addUpstream(u); err != nil {
			return usageError{fmt.Errorf("VPCEMU_UPSTREAMS: %w", err)}
		}
	}
	fs.Func("upstream", "a local server standing in for an AWS service, SERVICE=http://127.0.0.1:PORT (SERVICE its IAM prefix: s3, sqs, ssm…): what a 'vpcemu run' process sends that service through a VPC endpoint reaches it, over TLS with vpcemu's local CA, each request checked against the endpoint's policy (repeatable; env VPCEMU_UPSTREAMS, comma-separated)", addUpstream)
	noDataPlane := fs.Bool("no-data-plane", false, "do not start the data plane (which carries the traffic of 'vpcemu run' processes; it needs Linux and root)")
	var dnsAddrs []emulator.DNSListener
	addDNS := func(s string) error {
		d, err := parseDNSAddr(s)
		if err == nil {
			dnsAddrs = append(dnsAddrs, d)
		}
		return err
	}
	for _, d := range strings.FieldsFunc(os.Getenv("VPCEMU_DNS_ADDR"), func(r rune) bool { return r == ',' || r == ' ' }) {
		if err := addDNS(d); err != nil {
			return usageError{fmt.Errorf("VPCEMU_DNS_ADDR: %w", err)}
		}
	}
	fs.Func("dns-addr", "also answer DNS on this loopback address, UDP and TCP: ADDR for the public view, vpc-…=ADDR for that VPC's resolver, e.g. 127.0.0.1:5353 (repeatable; env VPCEMU_DNS_ADDR, comma-separated)", addDNS)
	fs.Func("quota", "set an AWS quota for every account, NAME=VALUE (repeatable; env VPCEMU_QUOTAS, comma-separated; 'vpcemu quotas' lists them)", setQuota)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := noArguments(fs); err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageError{fmt.Errorf("--log-level: %w", err)}
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	var keys *sigv4.Keys
	if *credentials != "" {
		if keys, err = sigv4.LoadKeys(*credentials); err != nil {
			return usageError{fmt.Errorf("--credentials: %w", err)}
		}
	}
	if dxDelay < 0 {
		return usageError{fmt.Errorf("--dx-provision-delay %s: a delay cannot be negative", dxDelay)}
	}
	if verify && keys == nil {
		return usageError{errors.New("--verify-signatures needs --credentials FILE: the keys to verify with")}
	}

	// Catch signals before anything can be told we are up, so an early
	// SIGTERM still shuts down gracefully.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)

	emu, err := emulator.New(emulator.Config{DataDir: *dataDir, InMemory: *inMemory, Logger: log, Version: buildVersion(),
		CloudOptions: []cloud.Option{cloud.WithQuotas(quotas)}, Keys: keys, VerifySignatures: verify, BeforeAnswer: killBeforeAnswer(log), DXProvisionDelay: dxDelay,
		DNS: dnsAddrs, DataPlane: !*noDataPlane, Internet: internet, Upstreams: upstreams})
	if err != nil {
		return err
	}
	if err := emu.Listen(*addr); err != nil {
		emu.Shutdown(context.Background())
		var dnsErr *emulator.DNSListenError
		if errors.As(err, &dnsErr) {
			return exitStatus{1, dnsListenError(dnsErr)}
		}
		return exitStatus{1, listenError(*addr, err)}
	}
	where := filepath.Join(*dataDir, emulator.DBFile)
	if *inMemory {
		where = "memory (not kept)"
	}
	if emu.PlaneOff == nil {
		log.Info("data plane on: 'vpcemu run --instance i-… -- CMD' plays an instance", "proxy", emu.Plane.Proxy.Addr().String(), "internet stand-ins", len(internet), "upstreams", len(upstreams))
	} else if !*noDataPlane {
		log.Warn("data plane off: 'vpcemu run' cannot play instances", "why", emu.PlaneOff)
	}
	for _, l := range emu.DNS {
		view := l.View.VPC
		if view == "" {
			view = "public"
		}
		log.Info("vpcemu DNS listening", "addr", l.Addr(), "view", view, "protocols", "udp,tcp")
	}
	// Last, as the line scripts and tests wait for: everything above is
	// listening by the time it is printed.
	log.Info("vpcemu listening", "endpoint", emu.URL(), "state", where, "version", buildVersion(), "signatures", signatures(keys, verify))

	done := make(chan error, 1)
	go func() { done <- emu.Serve() }()
	select {
	case err := <-done:
		emu.Shutdown(context.Background())
		return err
	case s := <-sig:
		log.Info("shutting down", "signal", s.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return emu.Shutdown(ctx)
}

// dnsListenError explains why a --dns-addr cannot be bound: a port taken
// (by a DNS server of the machine's, often) or one that needs privileges.
func dnsListenError(e *emulator.DNSListenError) error {
	switch {
	case errors.Is(e.Err, syscall.EADDRINUSE):
		return fmt.Errorf("--dns-addr %s is already in use, UDP or TCP (by the machine's own DNS server perhaps, such as systemd-resolved or dnsmasq); choose another port, e.g. 127.0.0.1:5353, or port 0 for a free one", e.Addr)
	case errors.Is(e.Err, syscall.EACCES):
		return fmt.Errorf("--dns-addr %s: a port below 1024 needs root or CAP_NET_BIND_SERVICE; choose a higher one, e.g. 127.0.0.1:5353", e.Addr)
	}
	return e
}

// parseDNSAddr reads a --dns-addr: ADDR (the public view) or vpc-…=ADDR
// (that VPC's resolver), ADDR a loopback host:port.
func parseDNSAddr(s string) (emulator.DNSListener, error) {
	var d emulator.DNSListener
	d.Addr = s
	if vpc, addr, ok := strings.Cut(s, "="); ok {
		if !strings.HasPrefix(vpc, "vpc-") || len(vpc) == len("vpc-") {
			return d, fmt.Errorf("%q: want ADDR or vpc-…=ADDR (a VPC id before the =)", s)
		}
		d.VPC, d.Addr = vpc, addr
	}
	_, err := dnsserver.ParseAddr(d.Addr)
	return d, err
}

// killBeforeAnswer is a crash test's hook: with VPCEMU_TEST_KILL_BEFORE_ANSWER
// naming an operation, the server kills itself (SIGKILL where there are
// signals) once such a request with a client token has committed, before
// answering it. Without the variable it is nil and costs nothing.
func killBeforeAnswer(log *slog.Logger) func(string) {
	op := os.Getenv("VPCEMU_TEST_KILL_BEFORE_ANSWER")
	if op == "" {
		return nil
	}
	log.Warn("test hook: the server kills itself before answering", "operation", op)
	return func(got string) {
		if got == op {
			self, _ := os.FindProcess(os.Getpid())
			self.Kill()
			select {} // the signal is on its way
		}
	}
}
