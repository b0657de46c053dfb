package directconnect

import (
	"context"
	"slices"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// SettableStates are the states SetState holds a connection in; a
// virtual interface (its BGP session) takes all but requested.
var SettableStates = []string{StateRequested, StatePending, StateAvailable, StateDown}

// SetState holds a connection or a virtual interface (its BGP sessions) of
// the caller's in a state, standing in for the physical world: a
// cross-connect that is not patched yet (requested, pending), a fibre cut
// or a router that stops answering BGP (down), or back up (available).
// What rests on it follows when read: a connection down takes its virtual
// interfaces, its hosted connections and (below its minimum links) its
// LAG down. It answers the state the record now shows.
func (s *Service) SetState(ctx context.Context, who cloud.Caller, id, state string) (string, error) {
	var now string
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		switch {
		case strings.HasPrefix(id, cloud.Prefix(cloud.KindDXConnection)):
			if !slices.Contains(SettableStates, state) {
				return refuse("A connection cannot be set %s: use one of %s.", state, strings.Join(SettableStates, ", "))
			}
			c, err := cloud.GetAny[Connection](t, id)
			if err != nil {
				return err
			}
			if c.Owner != t.Scope.Account && c.Partner != t.Scope.Account {
				return cloud.Missing(cloud.KindDXConnection, id)
			}
			switch c.State {
			case StateOrdering, StateRejected:
				return refuse("Connection %s is %s: its owner has not confirmed it.", c.ID, c.State)
			}
			c.Provisioning = Provisioning{State: state}
			if err := cloud.Put(t, c); err != nil {
				return err
			}
			sc, err := settled(t, c)
			if err != nil {
				return err
			}
			now = sc.State
			return nil
		case strings.HasPrefix(id, cloud.Prefix(cloud.KindDXVirtualInterface)):
			if state == StateRequested || !slices.Contains(SettableStates, state) {
				return refuse("A virtual interface cannot be set %s: use one of pending, available, down.", state)
			}
			v, err := cloud.GetAny[VirtualInterface](t, id)
			if err != nil {
				return err
			}
			if v.Owner != t.Scope.Account && v.ConnectionOwner != t.Scope.Account {
				return cloud.Missing(cloud.KindDXVirtualInterface, id)
			}
			switch v.State {
			case StateConfirming, StateRejected:
				return refuse("Virtual interface %s is %s: its owner has not confirmed it.", v.ID, v.State)
			}
			v.Provisioning = Provisioning{State: state}
			if state != StateDown { // down is the VIF's; its sessions stay as they were, down with it
				for i := range v.Peers {
					v.Peers[i].Provisioning = Provisioning{State: state}
				}
			}
			if err := cloud.Put(t, v); err != nil {
				return err
			}
			sv, err := settledVIF(t, v)
			if err != nil {
				return err
			}
			now = sv.State
			return nil
		default:
			return refuse("%s is neither a connection (dxcon-…) nor a virtual interface (dxvif-…).", id)
		}
	})
	return now, err
}
