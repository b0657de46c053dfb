package dataplane

import (
	"encoding/json"
	"errors"
	"io"
	"net"

	"golang.org/x/sys/unix"
)

// Handover is what `vpcemu run` sends on the socket with its TUN device
// (as SCM_RIGHTS): the token of its run configuration.
type Handover struct {
	Token string `json:"token"`
}

// HandoverAnswer says whether the fabric took the device.
type HandoverAnswer struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// ServeDevices takes the TUN devices `vpcemu run` hands over on ln and
// attaches them to f; a device stays attached while the connection that
// brought it is open (the run's life). It returns when ln is closed.
func (r *Runs) ServeDevices(ln *net.UnixListener, f *Fabric) error {
	for {
		c, err := ln.AcceptUnix()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go r.serveDevice(c, f)
	}
}

func (r *Runs) serveDevice(c *net.UnixConn, f *Fabric) {
	defer c.Close()
	buf := make([]byte, 4096)
	n, fd, err := ReceiveFD(c, buf)
	if err != nil {
		return
	}
	answer := func(a HandoverAnswer) { json.NewEncoder(c).Encode(a) }
	var h Handover
	if err := json.Unmarshal(buf[:n], &h); err != nil || fd < 0 {
		if fd >= 0 {
			unix.Close(fd)
		}
		answer(HandoverAnswer{Error: "a handover is one JSON object with a TUN device"})
		return
	}
	cfg, err := r.redeem(h.Token)
	if err == nil && cfg.Proxy != "" {
		err = errors.New("the run token is one of proxy mode")
	}
	if err != nil {
		unix.Close(fd)
		answer(HandoverAnswer{Error: err.Error()})
		return
	}
	detach, err := f.Attach(cfg, fd)
	if err != nil {
		unix.Close(fd)
		answer(HandoverAnswer{Error: err.Error()})
		return
	}
	defer detach()
	answer(HandoverAnswer{OK: true})
	io.Copy(io.Discard, c) // until the run ends
}

// ReceiveFD reads one message into buf with the one descriptor it carries
// (SCM_RIGHTS), or -1 when it carries none.
func ReceiveFD(c *net.UnixConn, buf []byte) (n, fd int, err error) {
	oob := make([]byte, unix.CmsgSpace(4))
	n, oobn, _, _, err := c.ReadMsgUnix(buf, oob)
	if err != nil {
		return n, -1, err
	}
	fd = -1
	if msgs, err := unix.ParseSocketControlMessage(oob[:oobn]); err == nil && len(msgs) == 1 {
		if fds, err := unix.ParseUnixRights(&msgs[0]); err == nil && len(fds) == 1 {
			fd = fds[0]
		}
	}
	return n, fd, nil
}

// SendDevice hands a TUN device over on the socket at path and returns the
// connection that keeps it attached: close it when the run ends.
func SendDevice(path, token string, fd int) (*net.UnixConn, error) {
	c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(Handover{Token: token})
	if _, _, err := c.WriteMsgUnix(body, unix.UnixRights(fd), nil); err != nil {
		c.Close()
		return nil, err
	}
	var a HandoverAnswer
	if err := json.NewDecoder(c).Decode(&a); err != nil {
		c.Close()
		return nil, err
	}
	if !a.OK {
		c.Close()
		return nil, errors.New(a.Error)
	}
	return c, nil
}
