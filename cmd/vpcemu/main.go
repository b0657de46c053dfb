// Command vpcemu emulates AWS VPC private connectivity on one machine: the
// EC2 VPC API (and STS) on 127.0.0.1:4566, backed by a SQLite file.
//
//	vpcemu serve [--addr 127.0.0.1:4566] [--data-dir DIR | --in-memory] [--dx-provision-delay D] [--dns-addr [vpc-…=]127.0.0.1:5353]
//	vpcemu analyze --from X --to Y [--port N] [--protocol tcp|udp|icmp] [--json]
//	vpcemu run --instance i-… [--] CMD [ARG…]
//	vpcemu flows [--json]
//	vpcemu dig [--vpc vpc-…] [--zone us-east-1a] NAME [TYPE]
//	vpcemu dx set-state dxcon-…|dxvif-… requested|pending|available|down
//	vpcemu dx advertise dxvif-… [PREFIX…]
//	vpcemu ui [--no-open]
//	vpcemu bench …
//	vpcemu version
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/vpcemu/vpcemu/internal/dataplane/nsrun"
)

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the emulator", serve},
		{"analyze", "explain whether traffic gets from one place to another, hop by hop", analyze},
		{"run", "run a command as an instance, its traffic carried as AWS would carry it (Linux, root)", runCommand},
		{"flows", "list the connections the data plane carries now, with their path and bytes", flowsCommand},
		{"dig", "ask vpcemu's DNS server a name, as a VPC's resolver or the public view answers it", dig},
		{"dx", "hold a Direct Connect connection or BGP session in a state (set-state), say what on premises advertises (advertise)", dxCommand},
		{"cost", "price the configuration and its traffic (metered, or an Infracost usage file), each price with its source", costCommand},
		{"ui", "print (and open) the address of the web page that draws the network and its paths", uiCommand},
		{"bench", "measure throughput, latency and memory (load generator)", bench},
		{"quotas", "list the AWS quotas vpcemu enforces and their defaults", listQuotas},
		{"version", "print the version", version},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return 0
	}
	if args[0] == nsrun.ChildArg {
		return nsChild(args[1:], stderr)
	}
	if args[0] == baselineCommand {
		if err := benchBaseline(stderr); err != nil {
			fmt.Fprintln(stderr, "vpcemu:", err)
			return 1
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(args[1:], stdout, stderr)
			var bad usageError
			var status exitStatus
			switch {
			case err == nil, errors.Is(err, flag.ErrHelp):
				return 0
			case errors.As(err, &bad):
				fmt.Fprintf(stderr, "vpcemu %s: %v\nRun 'vpcemu %s --help' for usage.\n", c.name, bad.error, c.name)
				return 2
			case errors.As(err, &status):
				if status.err != nil {
					fmt.Fprintf(stderr, "vpcemu %s: %v\n", c.name, status.err)
				}
				return status.code
			default:
				fmt.Fprintln(stderr, "vpcemu:", err)
				return 1
			}
		}
	}
	fmt.Fprintf(stderr, "vpcemu: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "vpcemu emulates AWS VPC networking on one machine.\n\nUsage: vpcemu <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'vpcemu <command> --help' for a command's flags.")
}

// newFlags makes a command's flag set with a usage line.
func newFlags(name, synopsis string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: vpcemu %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// usageError is a command line the command cannot run: vpcemu says why,
// points to --help and exits with status 2.
type usageError struct{ error }

// exitStatus ends a command with a status of its own, saying err first when
// there is one (analyze exits 1 for a blocked path, which is no error).
type exitStatus struct {
	code int
	err  error
}

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d: %v", e.code, e.err) }

// noArguments refuses what is left after a command's flags, for commands
// that take none.
func noArguments(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected arguments %q", strings.Join(fs.Args(), " "))}
	}
	return nil
}

// parseFlags parses a command's flags. Help that was asked for goes to
// stdout (so it can be paged or grepped) and returns flag.ErrHelp; a bad
// flag is a usageError.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	out := fs.Output()
	fs.SetOutput(io.Discard) // the flag package would print the usage after any error
	err := fs.Parse(args)
	fs.SetOutput(out)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		fs.SetOutput(out)
		return err
	case err != nil:
		return usageError{err}
	}
	return nil
}

// envOr returns the environment variable's value, or def.
func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// buildVersion is the module version and VCS revision of this binary.
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " (" + s.Value[:12] + ")"
		}
	}
	return v
}

func version(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "", stderr)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := noArguments(fs); err != nil {
		return err
	}
	info, _ := debug.ReadBuildInfo()
	goVersion := ""
	if info != nil {
		goVersion = info.GoVersion
	}
	fmt.Fprintf(stdout, "vpcemu %s %s\n", buildVersion(), goVersion)
	return nil
}
