package loadgen

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vpcemu/vpcemu/internal/progress"
)

// loop is a closed-loop load: Concurrency workers, each on its own
// keep-alive connection, each sending its next request as soon as the
// previous answer is read.
type loop struct {
	Addr        string
	Client      Client
	Concurrency int
	// Duration bounds the run unless Requests (a total over all workers)
	// is set.
	Duration time.Duration
	Requests int
	// Next returns worker w's i-th request.
	Next func(w, i int) *request
	// Count counts each answer, for the progress shown, and is done when
	// the loop ends; nil counts nothing.
	Count *progress.Counter
}

// loopResult is what a loop measured.
type loopResult struct {
	lat     latencies
	errors  int
	first   error // the first failure
	elapsed time.Duration
}

// run runs the loop. A failed request counts as an error and the worker
// goes on; only a failure to connect ends the run.
func (l loop) run(ctx context.Context) (loopResult, error) {
	defer l.Count.Done()
	open, done := l.Client.senders(l.Addr, l.Concurrency)
	defer done()
	conns := make([]sender, l.Concurrency)
	for w := range conns {
		c, err := open()
		if err != nil {
			closeAll(conns)
			return loopResult{}, err
		}
		conns[w] = c
	}
	defer closeAll(conns)

	var stop atomic.Bool
	var issued atomic.Int64
	if l.Requests <= 0 {
		t := time.AfterFunc(l.Duration, func() { stop.Store(true) })
		defer t.Stop()
	}
	ctxDone := context.AfterFunc(ctx, func() { stop.Store(true) })
	defer ctxDone()

	per := make([]loopResult, l.Concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range l.Concurrency {
		wg.Go(func() {
			res := &per[w]
			capHint := 1024
			if l.Requests > 0 {
				capHint = l.Requests/l.Concurrency + 1
			}
			res.lat = make(latencies, 0, capHint)
			for i := 0; !stop.Load(); i++ {
				if l.Requests > 0 && issued.Add(1) > int64(l.Requests) {
					break
				}
				req := l.Next(w, i)
				t0 := time.Now()
				status, body, err := conns[w].send(req)
				d := time.Since(t0)
				l.Count.Add(1)
				if err == nil {
					err = check(status, body)
				}
				if err != nil {
					res.errors++
					if res.first == nil {
						res.first = err
					}
					continue
				}
				res.lat = append(res.lat, d)
			}
		})
	}
	wg.Wait()
	out := loopResult{elapsed: time.Since(start)}
	for _, r := range per {
		out.lat = append(out.lat, r.lat...)
		out.errors += r.errors
		if out.first == nil {
			out.first = r.first
		}
	}
	if len(out.lat) == 0 && out.first != nil {
		return out, out.first
	}
	return out, ctx.Err()
}

// merge adds another run's measurements (of the same load) to lr.
func (lr *loopResult) merge(o loopResult) {
	lr.lat = append(lr.lat, o.lat...)
	lr.errors += o.errors
	lr.elapsed += o.elapsed
	if lr.first == nil {
		lr.first = o.first
	}
}

func closeAll(conns []sender) {
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
}

// call sends one request on c and returns the answer's body, or an
// *APIError for an error answer.
func call(c sender, req *request) ([]byte, error) {
	status, body, err := c.send(req)
	if err != nil {
		return nil, err
	}
	return body, check(status, body)
}

// isCode reports whether err is an API error with this code.
func isCode(err error, code string) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == code
}
