// Package directconnect is the Direct Connect family of the domain:
// dedicated and hosted connections, link aggregation groups, Direct Connect
// gateways with their associations and cross-account proposals, virtual
// interfaces and their BGP peers, with AWS's states and refusals.
//
// Nothing physical exists, so provisioning is a rule of time: a connection,
// a LAG or a virtual interface waiting for the world (a cross-connect, a
// BGP session) comes up ProvisionDelay after it was asked for, unless
// SetState holds it in a state; whatever rests on it follows (a connection
// down takes its virtual interfaces down). States are derived when a
// record is read, never by a background task, so the same clock gives the
// same answers.
package directconnect

import (
	"fmt"
	"time"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Service runs the family's use cases on the kernel.
type Service struct {
	*cloud.Cloud
	delay time.Duration
}

// Option configures the family.
type Option func(*Service)

// WithProvisionDelay sets how long a new connection, LAG, virtual interface
// or BGP peer takes to come up (default: at once, on the next read).
func WithProvisionDelay(d time.Duration) Option { return func(s *Service) { s.delay = d } }

// New returns the family's service over the kernel c.
func New(c *cloud.Cloud, opts ...Option) *Service {
	s := &Service{Cloud: c}
	for _, o := range opts {
		o(s)
	}
	return s
}

// The states a record is stored in, as the API names them. Records are
// removed when deleted; "deleting" and "deleted" appear only in the answers
// to the delete calls.
const (
	StateOrdering   = "ordering"
	StateRequested  = "requested"
	StatePending    = "pending"
	StateAvailable  = "available"
	StateDown       = "down"
	StateDeleting   = "deleting"
	StateDeleted    = "deleted"
	StateRejected   = "rejected"
	StateConfirming = "confirming"
	StateVerifying  = "verifying"
)

// Provisioning is the state of something that comes up by itself: State,
// until ReadyAt passes, when a state waiting for the world becomes
// available. A zero ReadyAt holds State (SetState, or a state nothing
// moves on from).
type Provisioning struct {
	State   string
	ReadyAt time.Time `json:",omitzero"`
}

// at is the state at now.
func (p Provisioning) at(now time.Time) string {
	switch p.State {
	case StateRequested, StatePending, StateVerifying:
		if !p.ReadyAt.IsZero() && !now.Before(p.ReadyAt) {
			return StateAvailable
		}
	}
	return p.State
}

// provision starts a state that comes up after the family's delay.
func (s *Service) provision(t *cloud.Txn, state string) Provisioning {
	return Provisioning{State: state, ReadyAt: t.Now.Add(s.delay)}
}

// newID is an id as Direct Connect makes them: a prefix and eight
// characters (dxcon-fgq8ig1h). The kernel's ids end in hex digits; the
// last eight keep them unique.
func newID(t *cloud.Txn, prefix string) string {
	id := t.NewID(prefix)
	return prefix + id[len(id)-8:]
}

// newUUID is an id as Direct Connect names gateways, associations and
// proposals: a UUID made of the kernel's ids.
func newUUID(t *cloud.Txn) string {
	a, b := t.NewID(""), t.NewID("")
	h := a[len(a)-16:] + b[len(b)-16:]
	return fmt.Sprintf("%s-%s-4%s-8%s-%s", h[:8], h[8:12], h[13:16], h[17:20], h[20:])
}

// dxARN is a regional Direct Connect resource's ARN
// (arn:aws:directconnect:us-east-1:111111111111:dxcon/dxcon-fgq8ig1h).
func dxARN(m *cloud.Meta, resourceType string) string {
	return arn.New("directconnect", m.Region, m.Owner, resourceType+"/"+m.ID)
}

// refuse is Direct Connect's refusal of a request (a
// DirectConnectClientException).
func refuse(format string, args ...any) *cloud.Error {
	return cloud.Errorf(cloud.InvalidParameter, "", format, args...)
}

// Index keys the family looks records up by.
func parentKey(id string) cloud.Key  { return cloud.Key{Name: "dx-parent", Value: id} }
func gatewayKey(id string) cloud.Key { return cloud.Key{Name: "dx-gateway", Value: id} }

// accountKey finds a global record (a gateway, an association) for the
// accounts that see it.
func accountKey(account string) cloud.Key { return cloud.Key{Name: "dx-account", Value: account} }
