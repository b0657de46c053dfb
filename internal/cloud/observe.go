package cloud

import "time"

// Observer hears of the domain's work that vpcemu's own metrics count
// (the emulator wires it to Prometheus, which the domain does not know).
// Its methods must be quick and safe for concurrent use.
type Observer interface {
	// SnapshotBuilt: netview built an engine snapshot in d, of every
	// scope (the live one the data plane and DNS read) or of some (an
	// analysis, the web map); err is why it failed.
	SnapshotBuilt(every bool, d time.Duration, err error)
}

// WithObserver has the domain's work heard by o.
func WithObserver(o Observer) Option { return func(c *Cloud) { c.observer = o } }

// Observer is who hears of the domain's work: nobody unless WithObserver.
func (c *Cloud) Observer() Observer {
	if c.observer == nil {
		return nopObserver{}
	}
	return c.observer
}

type nopObserver struct{}

func (nopObserver) SnapshotBuilt(bool, time.Duration, error) {}
