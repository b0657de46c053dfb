// Package nsrun starts a command as an instance (`vpcemu run`): in new
// network, mount and UTS namespaces, with the instance's addresses on a
// TUN device named eth0 whose other end the server's fabric takes, a
// default route through the subnet's router, /etc/resolv.conf naming the
// VPC's DNS server, and the instance's host name. As root, or as any user
// where the kernel lets users make user namespaces.
package nsrun

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/vpcemu/vpcemu/internal/dataplane"
)

// ChildArg is the first argument of the vpcemu process re-executed inside
// the namespaces (see Child).
const ChildArg = "__vpcemu-ns-child"

// Device is the TUN device's name inside the namespace.
const Device = dataplane.DeviceName

// Run runs argv as the instance cfg describes and returns its exit code.
// exe is the vpcemu binary (re-executed inside the namespaces). As root it
// makes network, mount and UTS namespaces; as another user, a user
// namespace too, in which the command is root (as `unshare -r` does), so
// no privilege is needed where the kernel lets users make them.
func Run(exe string, cfg dataplane.RunConfig, argv []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	resolv, err := os.CreateTemp("", "vpcemu-resolv-*.conf")
	if err != nil {
		return 0, err
	}
	defer os.Remove(resolv.Name())
	if cfg.Via != "" {
		fmt.Fprintf(resolv, "# vpcemu: on premises behind %s, names resolve as on the internet (vpcemu's public view)\nnameserver %s\n", cfg.Via, cfg.Resolver)
	} else {
		fmt.Fprintf(resolv, "# vpcemu: the DNS server of %s\nnameserver %s\nsearch %s\n", cfg.VPC, cfg.Resolver, cfg.Search)
	}
	resolv.Close()

	// The child makes and configures its own network (it alone may, in a
	// user namespace) and hands the TUN device back on this socket pair.
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	parentEnd, childEnd := os.NewFile(uintptr(pair[0]), "run"), os.NewFile(uintptr(pair[1]), "child")
	link, err := net.FileConn(parentEnd)
	parentEnd.Close() // link has its own: closing link alone must end the child's wait
	if err != nil {
		childEnd.Close()
		return 0, err
	}
	defer link.Close()
	cmd := exec.Command(exe, append([]string{ChildArg, resolv.Name(), hostLabel(cfg.Hostname), "--"}, argv...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	cmd.ExtraFiles = []*os.File{childEnd} // fd 3
	// The command dies with vpcemu run, however that ends.
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: unix.CLONE_NEWNET | unix.CLONE_NEWNS | unix.CLONE_NEWUTS, Pdeathsig: syscall.SIGKILL}
	rootless := os.Geteuid() != 0
	if rootless {
		cmd.SysProcAttr.Cloneflags |= unix.CLONE_NEWUSER
		cmd.SysProcAttr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Geteuid(), Size: 1}}
		cmd.SysProcAttr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getegid(), Size: 1}}
	}
	err = cmd.Start()
	childEnd.Close()
	if err != nil {
		if rootless {
			return 0, fmt.Errorf("this kernel does not let %s make a user namespace (%w): run vpcemu run as root, or with CAP_SYS_ADMIN and CAP_NET_ADMIN, or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu, kernel.apparmor_restrict_unprivileged_userns=0)", userName(), err)
		}
		return 0, fmt.Errorf("starting the instance's namespaces: %w", err)
	}
	session, err := setUp(link.(*net.UnixConn), cfg)
	if err != nil {
		link.Close() // the child sees no go and exits
		cmd.Wait()
		return 0, err
	}
	defer session.Close()
	// The server ending ends the instance's network: the command goes too.
	return dataplane.Supervise(cmd, argv[0], session, stderr, func() {
		link.Write([]byte("go"))
		link.Close()
	})
}

// setUp sends the child its network's configuration, takes the TUN device
// it made, and hands that to the fabric; the connection it returns keeps
// the device attached.
func setUp(link *net.UnixConn, cfg dataplane.RunConfig) (*net.UnixConn, error) {
	body, _ := json.Marshal(cfg)
	if _, err := link.Write(body); err != nil {
		return nil, fmt.Errorf("setting up the instance's network: %w", err)
	}
	buf := make([]byte, 4096)
	n, fd, err := dataplane.ReceiveFD(link, buf)
	if err != nil || n == 0 {
		return nil, fmt.Errorf("setting up the instance's network: the namespace's process ended (%v)", err)
	}
	if msg := string(buf[:n]); msg != "ok" {
		if fd >= 0 {
			unix.Close(fd)
		}
		return nil, fmt.Errorf("setting up the instance's network: %s", msg)
	}
	if fd < 0 {
		return nil, errors.New("setting up the instance's network: no TUN device came back")
	}
	defer unix.Close(fd) // the fabric has its own copy
	return dataplane.SendDevice(cfg.Socket, cfg.Token, fd)
}

func userName() string {
	if u, err := user.Current(); err == nil {
		return "user " + u.Username
	}
	return fmt.Sprintf("uid %d", os.Geteuid())
}

// hostLabel is the first label of a host name.
func hostLabel(host string) string {
	label, _, _ := strings.Cut(host, ".")
	return label
}

// Child runs inside the namespaces: it takes its network's configuration
// on fd 3, makes and configures the TUN device and hands it back, waits
// for the parent's go, names the host, puts the VPC's resolv.conf in place
// (in its own mount namespace, so nothing outside changes) and execs the
// command. args are what follows ChildArg: resolv.conf's path, the host
// name, "--", argv.
func Child(args []string) error {
	if len(args) < 4 || args[2] != "--" {
		return errors.New("usage: " + ChildArg + " RESOLV HOSTNAME -- CMD…")
	}
	resolv, host, argv := args[0], args[1], args[3:]
	f := os.NewFile(3, "run")
	c, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return err
	}
	link := c.(*net.UnixConn)
	buf := make([]byte, 8192)
	n, err := link.Read(buf)
	if err != nil {
		return errors.New("the instance's network was not set up")
	}
	var cfg dataplane.RunConfig
	if err := json.Unmarshal(buf[:n], &cfg); err != nil {
		return err
	}
	fd, err := dataplane.MakeDevice(cfg)
	if err != nil {
		link.Write([]byte(err.Error()))
		return err
	}
	if _, _, err := link.WriteMsgUnix([]byte("ok"), unix.UnixRights(fd), nil); err != nil {
		return err
	}
	unix.Close(fd)
	if n, _ := link.Read(buf); n != 2 {
		return errors.New("the instance's network was not set up")
	}
	link.Close()
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
