package directconnect

import (
	"context"
	"fmt"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Lag (dxlag-…) is a link aggregation group: dedicated connections of one
// bandwidth at one location bundled as one. Its connections are Connection
// records with its LagID.
type Lag struct {
	cloud.Meta
	Name      string
	Location  string
	Bandwidth string // each connection's
	Provisioning
	// MinimumLinks is how many connections must be up for the LAG to be.
	MinimumLinks   int
	ProviderName   string `json:",omitempty"`
	EncryptionMode string `json:",omitempty"`
	MACSecCapable  bool   `json:",omitempty"`
	AWSDevice      string
}

func (*Lag) Kind() cloud.Kind { return cloud.KindDXLag }

func init() { cloud.RegisterType[Lag]() }

func (*Lag) Keys() []cloud.Key { return nil }

// ARN is the LAG's Amazon Resource Name.
func (l *Lag) ARN() string { return dxARN(&l.Meta, "dxlag") }

// maxLinks is how many connections a LAG of the bandwidth may bundle: four
// of 1 or 10 Gbps, two of 100 or 400 Gbps (Direct Connect user guide, LAGs).
func maxLinks(bandwidth string) int {
	if mbps(bandwidth) >= 100000 {
		return 2
	}
	return 4
}

// LagWithConnections is a LAG as the API shows it, with its connections.
type LagWithConnections struct {
	*Lag
	Connections []*Connection
}

// ownLag reads a LAG of the caller's region that the caller owns.
func ownLag(t *cloud.Txn, id string) (*Lag, error) { return cloud.GetIn[Lag](t, id) }

// members lists a LAG's connections.
func members(t *cloud.Txn, lagID string) ([]*Connection, error) {
	cs, err := cloud.FindAny[Connection](t, parentKey(lagID))
	if err != nil {
		return nil, err
	}
	out := cs[:0]
	for _, c := range cs {
		if c.LagID == lagID {
			out = append(out, c)
		}
	}
	return out, nil
}

// admits checks that a connection may join the LAG: same location and
// bandwidth, and room left.
func (l *Lag) admits(c *Connection) error {
	if c.Location != l.Location || c.Bandwidth != l.Bandwidth {
		return refuse("Connection %s (%s at %s) cannot join LAG %s: a LAG's connections share its bandwidth (%s) and location (%s).",
			c.ID, c.Bandwidth, c.Location, l.ID, l.Bandwidth, l.Location)
	}
	return nil
}

// room refuses a LAG that would bundle more than its bandwidth allows.
func room(l *Lag, n int) error {
	if n > maxLinks(l.Bandwidth) {
		return refuse("A LAG of %s connections can have at most %d connections.", l.Bandwidth, maxLinks(l.Bandwidth))
	}
	return nil
}

// settledLag is the LAG as it is now: its own state at t.Now, down when
// fewer of its connections are up than it needs (at least one, once it
// has any).
func settledLag(t *cloud.Txn, l *Lag) (*Lag, error) {
	out := *l
	out.State = l.at(t.Now)
	if out.State != StateAvailable {
		return &out, nil
	}
	cs, err := members(t, l.ID)
	if err != nil || len(cs) == 0 {
		return &out, err
	}
	up := 0
	for _, c := range cs {
		if c.at(t.Now) == StateAvailable {
			up++
		}
	}
	if up < max(1, l.MinimumLinks) {
		out.State = StateDown
	}
	return &out, nil
}

// withConnections is the LAG now with its connections now.
func withConnections(t *cloud.Txn, l *Lag) (*LagWithConnections, error) {
	sl, err := settledLag(t, l)
	if err != nil {
		return nil, err
	}
	cs, err := members(t, l.ID)
	if err != nil {
		return nil, err
	}
	out := &LagWithConnections{Lag: sl}
	for _, c := range cs {
		c, err := settled(t, c)
		if err != nil {
			return nil, err
		}
		out.Connections = append(out.Connections, c)
	}
	return out, nil
}

// NewLag is what CreateLag asks for.
type NewLag struct {
	Name, Location, Bandwidth string
	NumberOfConnections       int
	// ConnectionID is an existing connection to bring in; it counts
	// among NumberOfConnections.
	ConnectionID    string
	ProviderName    string
	RequestMACSec   bool
	Tags, ChildTags cloud.Tags
}

// CreateLag orders a LAG of new dedicated connections (and an existing one
// when named), all requested until they come up.
func (s *Service) CreateLag(ctx context.Context, who cloud.Caller, in NewLag) (*LagWithConnections, error) {
	for _, tags := range []cloud.Tags{in.Tags, in.ChildTags} {
		if err := checkTags(tags); err != nil {
			return nil, err
		}
	}
	var out *LagWithConnections
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		if _, err := port(t, in.Location, in.Bandwidth); err != nil {
			return err
		}
		lag := &Lag{
			Meta: cloud.Meta{ID: newID(t, cloud.Prefix(cloud.KindDXLag)), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: in.Tags},
			Name: in.Name, Location: in.Location, Bandwidth: in.Bandwidth, ProviderName: in.ProviderName,
			Provisioning: s.provision(t, StateRequested), AWSDevice: awsDevice(t, in.Location),
		}
		if in.RequestMACSec {
			lag.MACSecCapable, lag.EncryptionMode = true, "no_encrypt"
		}
		if in.NumberOfConnections < 1 {
			return refuse("numberOfConnections must be at least 1.")
		}
		if err := room(lag, in.NumberOfConnections); err != nil {
			return err
		}
		out = &LagWithConnections{Lag: lag}
		n := in.NumberOfConnections
		if in.ConnectionID != "" {
			c, err := ownConnection(t, in.ConnectionID)
			if err != nil {
				return err
			}
			if err := join(t, lag, c); err != nil {
				return err
			}
			out.Connections = append(out.Connections, c)
			n--
		}
		for i := range n {
			c := &Connection{
				Meta: cloud.Meta{ID: newID(t, cloud.Prefix(cloud.KindDXConnection)), Owner: lag.Owner, Region: lag.Region, Tags: in.ChildTags},
				Name: fmt.Sprintf("Requested Connection %d for Lag %s", i+1, lag.ID), Location: lag.Location,
				Bandwidth: lag.Bandwidth, ProviderName: lag.ProviderName, LagID: lag.ID,
				Provisioning: lag.Provisioning, AWSDevice: lag.AWSDevice,
				MACSecCapable: lag.MACSecCapable, EncryptionMode: lag.EncryptionMode,
			}
			if err := cloud.Put(t, c); err != nil {
				return err
			}
			out.Connections = append(out.Connections, c)
		}
		return cloud.Put(t, lag)
	})
	return out, err
}

// join moves a connection into a LAG; the virtual interfaces on the
// connection move with it (AssociateConnectionWithLag's documentation).
func join(t *cloud.Txn, lag *Lag, c *Connection) error {
	if c.Hosted() {
		return refuse("Connection %s is a hosted connection; only dedicated connections join a LAG.", c.ID)
	}
	if c.LagID == lag.ID {
		return refuse("Connection %s is already associated with LAG %s.", c.ID, lag.ID)
	}
	if err := lag.admits(c); err != nil {
		return err
	}
	vifs, err := cloud.FindAny[VirtualInterface](t, parentKey(c.ID))
	if err != nil {
		return err
	}
	for _, v := range vifs {
		v.ConnectionID = lag.ID
		if err := cloud.Put(t, v); err != nil {
			return err
		}
	}
	c.LagID, c.AWSDevice = lag.ID, lag.AWSDevice
	return cloud.Put(t, c)
}

// DescribeLags lists the caller's LAGs in its region, or the one named.
func (s *Service) DescribeLags(ctx context.Context, who cloud.Caller, id string) ([]*LagWithConnections, error) {
	var out []*LagWithConnections
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		var lags []*Lag
		if id != "" {
			l, err := ownLag(t, id)
			if err != nil {
				return err
			}
			lags = []*Lag{l}
		} else {
			page, err := cloud.ListIn[Lag](t, cloud.Query{}, nil)
			if err != nil {
				return err
			}
			lags = page.Items
		}
		for _, l := range lags {
			w, err := withConnections(t, l)
			if err != nil {
				return err
			}
			out = append(out, w)
		}
		return nil
	})
	return out, err
}

// LagUpdate is what UpdateLag changes; nil leaves a field.
type LagUpdate struct {
	Name, EncryptionMode *string
	MinimumLinks         *int
}

// UpdateLag renames a LAG, sets how many links it needs, or its MACsec
// mode.
func (s *Service) UpdateLag(ctx context.Context, who cloud.Caller, id string, u LagUpdate) (*LagWithConnections, error) {
	var out *LagWithConnections
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		l, err := ownLag(t, id)
		if err != nil {
			return err
		}
		if u.Name != nil {
			l.Name = *u.Name
		}
		if u.MinimumLinks != nil {
			if *u.MinimumLinks < 0 || *u.MinimumLinks > maxLinks(l.Bandwidth) {
				return refuse("minimumLinks %d is not valid for LAG %s: it must be between 0 and %d.", *u.MinimumLinks, l.ID, maxLinks(l.Bandwidth))
			}
			l.MinimumLinks = *u.MinimumLinks
		}
		if u.EncryptionMode != nil {
			if !l.MACSecCapable {
				return refuse("LAG %s does not support MAC Security (MACsec).", l.ID)
			}
			l.EncryptionMode = *u.EncryptionMode
		}
		if err := cloud.Put(t, l); err != nil {
			return err
		}
		out, err = withConnections(t, l)
		return err
	})
	return out, err
}

// DeleteLag deletes a LAG without virtual interfaces or hosted connections
// on it, and its connections with it.
func (s *Service) DeleteLag(ctx context.Context, who cloud.Caller, id string) (*LagWithConnections, error) {
	var out *LagWithConnections
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		l, err := ownLag(t, id)
		if err != nil {
			return err
		}
		if err := noneOn(t, l.ID, "LAG"); err != nil {
			return err
		}
		if out, err = withConnections(t, l); err != nil {
			return err
		}
		out.State = StateDeleted
		for _, c := range out.Connections {
			if err := noneOn(t, c.ID, "Connection"); err != nil {
				return err
			}
			c.State = StateDeleted
			if err := cloud.Remove(t, c); err != nil {
				return err
			}
		}
		return cloud.Remove(t, l)
	})
	return out, err
}

// AssociateConnectionWithLag moves a dedicated connection into a LAG, with
// the virtual interfaces on it.
func (s *Service) AssociateConnectionWithLag(ctx context.Context, who cloud.Caller, connectionID, lagID string) (*Connection, error) {
	var out *Connection
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		c, err := ownConnection(t, connectionID)
		if err != nil {
			return err
		}
		l, err := ownLag(t, lagID)
		if err != nil {
			return err
		}
		cs, err := members(t, l.ID)
		if err != nil {
			return err
		}
		if c.LagID != l.ID {
			if err := room(l, len(cs)+1); err != nil {
				return err
			}
		}
		if err := join(t, l, c); err != nil {
			return err
		}
		out, err = settled(t, c)
		return err
	})
	return out, err
}

// DisassociateConnectionFromLag takes a connection out of its LAG; the
// virtual interfaces stay on the LAG.
func (s *Service) DisassociateConnectionFromLag(ctx context.Context, who cloud.Caller, connectionID, lagID string) (*Connection, error) {
	var out *Connection
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		c, err := ownConnection(t, connectionID)
		if err != nil {
			return err
		}
		l, err := ownLag(t, lagID)
		if err != nil {
			return err
		}
		if c.LagID != l.ID {
			return refuse("Connection %s is not associated with LAG %s.", c.ID, l.ID)
		}
		c.LagID = ""
		if err := cloud.Put(t, c); err != nil {
			return err
		}
		out, err = settled(t, c)
		return err
	})
	return out, err
}
