package dataplane

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
)

// startDevices listens for the TUN devices `vpcemu run` hands over, on a
// unix socket in a directory of its own, and attaches them to f; it
// returns what stops it and the socket's path.
func startDevices(r *Runs, f *Fabric) (io.Closer, string, error) {
	dir, err := os.MkdirTemp("", "vpcemu-dataplane-")
	if err != nil {
		return nil, "", err
	}
	path := filepath.Join(dir, "devices.sock")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err == nil {
		// Rootless runs of other users reach it too.
		err = errors.Join(os.Chmod(dir, 0o711), os.Chmod(path, 0o666))
	}
	if err != nil {
		if ln != nil {
			ln.Close()
		}
		os.RemoveAll(dir)
		return nil, "", err
	}
	go r.ServeDevices(ln, f)
	return socketDir{ln, dir}, path, nil
}

// socketDir is the devices' socket and its directory.
type socketDir struct {
	ln  *net.UnixListener
	dir string
}

func (s socketDir) Close() error {
	err := s.ln.Close()
	os.RemoveAll(s.dir)
	return err
}
