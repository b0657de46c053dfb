//go:build !linux

package nsrun

import (
	"errors"
	"io"

	"github.com/vpcemu/vpcemu/internal/dataplane"
)

// ChildArg is the first argument of the re-executed child (Linux only).
const ChildArg = "__vpcemu-ns-child"

// Run needs Linux's namespaces and TUN devices.
func Run(string, dataplane.RunConfig, []string, io.Reader, io.Writer, io.Writer) (int, error) {
	return 0, errors.New("vpcemu run's transparent mode needs Linux (network namespaces and TUN devices); use proxy mode (--proxy)")
}

// Child is never run off Linux.
func Child([]string) error { return errors.New("not on Linux") }
