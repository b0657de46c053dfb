//go:build !linux

package loadgen

import "errors"

type pinning struct{}

func pinTogether(pids ...string) (*pinning, error) {
	return nil, errors.New("placing processes on one CPU needs Linux")
}

func (*pinning) undo() {}
