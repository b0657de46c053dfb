package store

import "context"

// Shared is one write transaction that several use cases of a request join,
// so they commit as one: a create that carries a client token and the answer
// the token remembers are written together, or not at all (a crash between
// two transactions would lose the token, and the client's retry would create
// the resource twice).
//
// Whoever opens the transaction (Update) puts it in the request's context
// with WithShared; code that would open its own transaction runs in the
// shared one instead (Update, View); a failure there marks it failed, since
// the failed use case's writes cannot be rolled back on their own.
type Shared struct {
	tx     Tx
	failed bool
}

type sharedKey struct{}

// WithShared returns a context whose transactions join tx.
func WithShared(ctx context.Context, tx Tx) (context.Context, *Shared) {
	sh := &Shared{tx: tx}
	return context.WithValue(ctx, sharedKey{}, sh), sh
}

// SharedFrom returns the shared transaction of ctx, or nil.
func SharedFrom(ctx context.Context) *Shared {
	sh, _ := ctx.Value(sharedKey{}).(*Shared)
	return sh
}

// Failed reports whether a use case failed inside it.
func (sh *Shared) Failed() bool { return sh.failed }

// Update runs fn in ctx's shared transaction if it has one (a failure marks
// it failed), else in a transaction of its own.
func Update(ctx context.Context, s Store, fn func(Tx) error) error {
	if sh := SharedFrom(ctx); sh != nil {
		err := fn(sh.tx)
		if err != nil {
			sh.failed = true
		}
		return err
	}
	return s.Update(ctx, fn)
}

// View runs fn in ctx's shared transaction if it has one (reading what the
// request wrote so far), else over a snapshot of its own.
func View(ctx context.Context, s Store, fn func(Tx) error) error {
	if sh := SharedFrom(ctx); sh != nil {
		return fn(sh.tx)
	}
	return s.View(ctx, fn)
}
