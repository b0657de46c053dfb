package dataplane

import (
	"log/slog"
	"time"
)

// Config is what the data plane is started with.
type Config struct {
	// Internet are the stand-ins for internet addresses (loopback only).
	Internet []InternetStandIn
	Logger   *slog.Logger
	// Records takes the flow-log records of each closed window, every
	// Window (DefaultWindow when zero); nil keeps none.
	Records Sink
	Window  time.Duration
}
