// Package nsrun starts a command as an instance (`vpcemu run`): in new
// network, mount and UTS namespaces, with the instance's addresses on a
// TUN device named eth0 whose other end the server's fabric takes, a
// default route through the subnet's router, /etc/resolv.conf naming the
// VPC's DNS server, and the instance's host name. Creating namespaces and
// TUN devices needs root (or CAP_SYS_ADMIN and CAP_NET_ADMIN).
package nsrun

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
	"gvisor.dev/gvisor/pkg/tcpip/link/tun"

	"github.com/vpcemu/vpcemu/internal/dataplane"
)

// ChildArg is the first argument of the vpcemu process re-executed inside
// the namespaces (see Child).
const ChildArg = "__vpcemu-ns-child"

// Device is the TUN device's name inside the namespace.
const Device = "eth0"

// Run runs argv as the instance cfg describes and returns its exit code.
// exe is the vpcemu binary (re-executed inside the namespaces).
func Run(exe string, cfg dataplane.RunConfig, argv []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	if os.Geteuid() != 0 {
		return 0, errors.New("vpcemu run needs root (or CAP_SYS_ADMIN and CAP_NET_ADMIN) to make the instance's network namespace and TUN device")
	}
	resolv, err := os.CreateTemp("", "vpcemu-resolv-*.conf")
	if err != nil {
		return 0, err
	}
	defer os.Remove(resolv.Name())
	fmt.Fprintf(resolv, "# vpcemu: the DNS server of %s\nnameserver %s\nsearch %s\n", cfg.VPC, cfg.Resolver, cfg.Search)
	resolv.Close()

	goR, goW, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	cmd := exec.Command(exe, append([]string{ChildArg, resolv.Name(), hostLabel(cfg.Hostname), "--"}, argv...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	cmd.ExtraFiles = []*os.File{goR} // fd 3: the parent's go
	// The command dies with vpcemu run, however that ends.
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: unix.CLONE_NEWNET | unix.CLONE_NEWNS | unix.CLONE_NEWUTS, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		goR.Close()
		goW.Close()
		return 0, fmt.Errorf("starting the instance's namespaces: %w", err)
	}
	goR.Close()
	session, err := setUp(cmd.Process.Pid, cfg)
	if err != nil {
		goW.Close() // the child sees no go and exits
		cmd.Wait()
		return 0, err
	}
	defer session.Close()
	// Signals for vpcemu run are for the command, as for docker run.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sig)
	go func() {
		for s := range sig {
			cmd.Process.Signal(s)
		}
	}()
	// The server ending ends the instance's network: the command goes too.
	exited := make(chan struct{})
	go func() {
		io.Copy(io.Discard, session)
		select {
		case <-exited:
		default:
			fmt.Fprintln(stderr, "vpcemu run: the server's data plane went away; stopping", argv[0])
			cmd.Process.Signal(syscall.SIGTERM)
		}
	}()
	goW.Write([]byte("go"))
	goW.Close()
	err = cmd.Wait()
	close(exited)
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()), nil // as a shell says it
		}
		return exit.ExitCode(), nil
	}
	return 0, err
}

// setUp makes the TUN device in the child's network namespace, configures
// it, and hands it to the fabric; the connection it returns keeps it
// attached.
func setUp(pid int, cfg dataplane.RunConfig) (*net.UnixConn, error) {
	target, err := netns.GetFromPid(pid)
	if err != nil {
		return nil, err
	}
	defer target.Close()
	fd, err := inNamespace(target, func() (int, error) { return configure(cfg) })
	if err != nil {
		return nil, fmt.Errorf("setting up the instance's network: %w", err)
	}
	defer unix.Close(fd) // the fabric has its own copy
	return dataplane.SendDevice(cfg.Socket, cfg.Token, fd)
}

// inNamespace runs fn on a thread switched into ns.
func inNamespace(ns netns.NsHandle, fn func() (int, error)) (int, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	home, err := netns.Get()
	if err != nil {
		return -1, err
	}
	defer home.Close()
	if err := netns.Set(ns); err != nil {
		return -1, err
	}
	defer netns.Set(home)
	return fn()
}

// configure makes and configures the namespace's devices: lo up, the TUN
// device with the instance's addresses, the default route via the router.
func configure(cfg dataplane.RunConfig) (int, error) {
	fd, err := tun.Open(Device)
	if err != nil {
		return -1, fmt.Errorf("opening a TUN device: %w", err)
	}
	fail := func(err error) (int, error) { unix.Close(fd); return -1, err }
	lo, err := netlink.LinkByName("lo")
	if err != nil {
		return fail(err)
	}
	if err := netlink.LinkSetUp(lo); err != nil {
		return fail(err)
	}
	link, err := netlink.LinkByName(Device)
	if err != nil {
		return fail(err)
	}
	if err := netlink.LinkSetMTU(link, cfg.MTU); err != nil {
		return fail(err)
	}
	for _, a := range cfg.Addresses {
		p, err := netip.ParsePrefix(a)
		if err != nil {
			return fail(err)
		}
		addr := &netlink.Addr{IPNet: &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}}
		if p.Addr().Is6() {
			addr.Flags = unix.IFA_F_NODAD // no duplicate detection: nobody else is on the link
		}
		if err := netlink.AddrAdd(link, addr); err != nil {
			return fail(fmt.Errorf("address %s: %w", a, err))
		}
	}
	if err := netlink.LinkSetUp(link); err != nil {
		return fail(err)
	}
	gw := net.ParseIP(cfg.Gateway)
	if err := netlink.RouteAdd(&netlink.Route{LinkIndex: link.Attrs().Index, Gw: gw}); err != nil {
		return fail(fmt.Errorf("default route via %s: %w", cfg.Gateway, err))
	}
	// IPv6 leaves by the device too (the fabric answers for every address).
	netlink.RouteAdd(&netlink.Route{LinkIndex: link.Attrs().Index, Dst: &net.IPNet{IP: net.IPv6zero, Mask: net.CIDRMask(0, 128)}})
	return fd, nil
}

// hostLabel is the first label of a host name.
func hostLabel(host string) string {
	label, _, _ := strings.Cut(host, ".")
	return label
}

// Child runs inside the namespaces: it waits for the parent's go (fd 3),
// names the host, puts the VPC's resolv.conf in place (in its own mount
// namespace, so nothing outside changes) and execs the command. args are
// what follows ChildArg: resolv.conf's path, the host name, "--", argv.
func Child(args []string) error {
	if len(args) < 4 || args[2] != "--" {
		return errors.New("usage: " + ChildArg + " RESOLV HOSTNAME -- CMD…")
	}
	resolv, host, argv := args[0], args[1], args[3:]
	goR := os.NewFile(3, "go")
	buf := make([]byte, 2)
	if n, _ := io.ReadFull(goR, buf); n != 2 {
		return errors.New("the instance's network was not set up")
	}
	goR.Close()
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making the mounts private: %w", err)
	}
	if err := unix.Mount(resolv, "/etc/resolv.conf", "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("putting resolv.conf in place: %w", err)
	}
	if host != "" {
		unix.Sethostname([]byte(host))
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return err
	}
	if !filepath.IsAbs(path) {
		if path, err = filepath.Abs(path); err != nil {
			return err
		}
	}
	return unix.Exec(path, argv, os.Environ())
}
