package directconnect

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/dxlocations"
)

// Connection (dxcon-…) is a Direct Connect connection: a dedicated port at
// a location, or a hosted connection a partner carved out of its own
// connection or LAG for another account (Parent, Partner, Vlan).
type Connection struct {
	cloud.Meta
	Name      string
	Location  string
	Bandwidth string
	Provisioning
	LagID        string `json:",omitempty"`
	ProviderName string `json:",omitempty"`
	// Parent is the connection or LAG a hosted connection is on, Partner
	// the account that allocated it (the parent's owner).
	Parent  string `json:",omitempty"`
	Partner string `json:",omitempty"`
	Vlan    int    `json:",omitempty"`
	// EncryptionMode is MACsec's (no_encrypt, should_encrypt,
	// must_encrypt); empty when MACsec was not asked for.
	EncryptionMode string `json:",omitempty"`
	MACSecCapable  bool   `json:",omitempty"`
	AWSDevice      string
}

func (*Connection) Kind() cloud.Kind { return cloud.KindDXConnection }

func init() { cloud.RegisterType[Connection]() }

func (c *Connection) Keys() []cloud.Key {
	var keys []cloud.Key
	if c.LagID != "" {
		keys = append(keys, parentKey(c.LagID))
	}
	if c.Parent != "" {
		keys = append(keys, parentKey(c.Parent))
	}
	return keys
}

// ARN is the connection's Amazon Resource Name.
func (c *Connection) ARN() string { return dxARN(&c.Meta, "dxcon") }

// Hosted reports whether a partner allocated the connection.
func (c *Connection) Hosted() bool { return c.Parent != "" }

// bandwidths are the speeds Direct Connect sells, slowest first: hosted
// connections take any, dedicated ports those of their location.
var bandwidths = []string{"50Mbps", "100Mbps", "200Mbps", "300Mbps", "400Mbps", "500Mbps", "1Gbps", "2Gbps", "5Gbps", "10Gbps", "25Gbps", "100Gbps", "400Gbps"}

// mbps is a bandwidth in Mbps, 0 for one Direct Connect does not sell.
func mbps(bw string) int {
	if !slices.Contains(bandwidths, bw) {
		return 0
	}
	if n, ok := strings.CutSuffix(bw, "Gbps"); ok {
		v, _ := strconv.Atoi(n)
		return v * 1000
	}
	v, _ := strconv.Atoi(strings.TrimSuffix(bw, "Mbps"))
	return v
}

// port checks a dedicated port's location and bandwidth in the caller's
// region.
func port(t *cloud.Txn, location, bandwidth string) (dxlocations.Location, error) {
	loc, ok := dxlocations.Find(t.Scope.Region, location)
	if !ok {
		return loc, refuse("Location %s is not a valid Direct Connect location in %s.", location, t.Scope.Region)
	}
	if !slices.Contains(loc.PortSpeeds, bandwidth) {
		return loc, refuse("Bandwidth %s is not available at location %s. Available port speeds: %s.", bandwidth, location, strings.Join(loc.PortSpeeds, ", "))
	}
	return loc, nil
}

// awsDevice names the AWS router a port lands on (EqDC2-2vb5xg7ipg0r4).
func awsDevice(t *cloud.Txn, location string) string {
	id := t.NewID("")
	return location + "-" + id[len(id)-13:]
}

// NewConnection is what CreateConnection asks for.
type NewConnection struct {
	Name, Location, Bandwidth string
	LagID                     string
	ProviderName              string
	RequestMACSec             bool
	Tags                      cloud.Tags
}

// CreateConnection orders a dedicated port: it stays requested until the
// cross-connect is up (the provision delay), and joins a LAG when asked.
func (s *Service) CreateConnection(ctx context.Context, who cloud.Caller, in NewConnection) (*Connection, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	var c *Connection
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		if _, err := port(t, in.Location, in.Bandwidth); err != nil {
			return err
		}
		c = &Connection{
			Meta: cloud.Meta{ID: newID(t, cloud.Prefix(cloud.KindDXConnection)), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: in.Tags},
			Name: in.Name, Location: in.Location, Bandwidth: in.Bandwidth, ProviderName: in.ProviderName,
			Provisioning: s.provision(t, StateRequested), AWSDevice: awsDevice(t, in.Location),
		}
		if in.RequestMACSec {
			c.MACSecCapable, c.EncryptionMode = true, "no_encrypt"
		}
		if in.LagID != "" {
			lag, err := ownLag(t, in.LagID)
			if err != nil {
				return err
			}
			if err := lag.admits(c); err != nil {
				return err
			}
			cs, err := members(t, lag.ID)
			if err != nil {
				return err
			}
			if err := room(lag, len(cs)+1); err != nil {
				return err
			}
			c.LagID, c.AWSDevice = lag.ID, lag.AWSDevice
		}
		return cloud.Put(t, c)
	})
	return c, err
}

// ownConnection reads a connection of the caller's region that the caller
// owns.
func ownConnection(t *cloud.Txn, id string) (*Connection, error) {
	return cloud.GetIn[Connection](t, id)
}

// settled is the connection as it is now: its own state at t.Now, and for
// a hosted connection, down while its parent is not up.
func settled(t *cloud.Txn, c *Connection) (*Connection, error) {
	out := *c
	out.State = c.at(t.Now)
	if c.Hosted() && out.State == StateAvailable {
		up, err := parentUp(t, c.Parent)
		if err != nil {
			return nil, err
		}
		if !up {
			out.State = StateDown
		}
	}
	return &out, nil
}

// parentUp reports whether the connection or LAG id is available now.
func parentUp(t *cloud.Txn, id string) (bool, error) {
	state, err := parentState(t, id)
	return state == StateAvailable, err
}

// parentState is the state now of what virtual interfaces and hosted
// connections rest on: a connection or a LAG.
func parentState(t *cloud.Txn, id string) (string, error) {
	if strings.HasPrefix(id, cloud.Prefix(cloud.KindDXLag)) {
		lag, err := cloud.GetAny[Lag](t, id)
		if err != nil {
			return "", err
		}
		lag, err = settledLag(t, lag)
		if err != nil {
			return "", err
		}
		return lag.State, nil
	}
	c, err := cloud.GetAny[Connection](t, id)
	if err != nil {
		return "", err
	}
	c, err = settled(t, c)
	if err != nil {
		return "", err
	}
	return c.State, nil
}

// DescribeConnections lists the caller's connections in its region, or
// the one named (which must be the caller's).
func (s *Service) DescribeConnections(ctx context.Context, who cloud.Caller, id string) ([]*Connection, error) {
	var out []*Connection
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		var cs []*Connection
		if id != "" {
			c, err := ownConnection(t, id)
			if err != nil {
				return err
			}
			cs = []*Connection{c}
		} else {
			page, err := cloud.ListIn[Connection](t, cloud.Query{}, nil)
			if err != nil {
				return err
			}
			cs = page.Items
		}
		for _, c := range cs {
			c, err := settled(t, c)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// ConnectionUpdate is what UpdateConnection changes; nil leaves a field.
type ConnectionUpdate struct {
	Name, EncryptionMode *string
}

// encryptionModes are MACsec's modes.
var encryptionModes = []string{"no_encrypt", "should_encrypt", "must_encrypt"}

// UpdateConnection renames a connection or sets its MACsec mode.
func (s *Service) UpdateConnection(ctx context.Context, who cloud.Caller, id string, u ConnectionUpdate) (*Connection, error) {
	var out *Connection
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		c, err := ownConnection(t, id)
		if err != nil {
			return err
		}
		if u.Name != nil {
			c.Name = *u.Name
		}
		if u.EncryptionMode != nil {
			if !c.MACSecCapable {
				return refuse("Connection %s does not support MAC Security (MACsec).", c.ID)
			}
			if !slices.Contains(encryptionModes, *u.EncryptionMode) {
				return refuse("Encryption mode %s is not valid. Valid modes: %s.", *u.EncryptionMode, strings.Join(encryptionModes, ", "))
			}
			c.EncryptionMode = *u.EncryptionMode
		}
		if err := cloud.Put(t, c); err != nil {
			return err
		}
		out, err = settled(t, c)
		return err
	})
	return out, err
}

// DeleteConnection deletes a connection without virtual interfaces or
// hosted connections on it. The owner deleting a hosted connection it has
// not confirmed rejects it; the partner that allocated it may delete it
// too.
func (s *Service) DeleteConnection(ctx context.Context, who cloud.Caller, id string) (*Connection, error) {
	var out *Connection
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		c, err := cloud.GetAny[Connection](t, id)
		if err != nil {
			return err
		}
		mine := c.Scope() == t.Scope
		if !mine && (c.Partner != t.Scope.Account || c.Region != t.Scope.Region) {
			return cloud.Missing(cloud.KindDXConnection, id)
		}
		if mine && c.State == StateOrdering {
			c.Provisioning = Provisioning{State: StateRejected}
			out = c
			return cloud.Put(t, c)
		}
		if err := noneOn(t, c.ID, "Connection"); err != nil {
			return err
		}
		out, err = settled(t, c)
		if err != nil {
			return err
		}
		out.State = StateDeleted
		return cloud.Remove(t, c)
	})
	return out, err
}

// noneOn refuses to delete a connection or LAG that virtual interfaces or
// hosted connections still use.
func noneOn(t *cloud.Txn, id, noun string) error {
	vifs, err := cloud.FindAny[VirtualInterface](t, parentKey(id))
	if err != nil {
		return err
	}
	if len(vifs) > 0 {
		return refuse("%s %s has virtual interfaces (%s). Delete them first.", noun, id, vifs[0].ID)
	}
	hosted, err := cloud.FindAny[Connection](t, parentKey(id))
	if err != nil {
		return err
	}
	for _, h := range hosted {
		if h.Parent == id {
			return refuse("%s %s has hosted connections (%s). Delete them first.", noun, id, h.ID)
		}
	}
	return nil
}

// NewHostedConnection is what AllocateHostedConnection asks for.
type NewHostedConnection struct {
	Parent, Owner, Name, Bandwidth string
	Vlan                           int
	Tags                           cloud.Tags
}

// AllocateHostedConnection is a partner carving a hosted connection for
// another account out of its own connection or LAG: the connection is the
// other account's, in state ordering until it confirms it.
func (s *Service) AllocateHostedConnection(ctx context.Context, who cloud.Caller, in NewHostedConnection) (*Connection, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	if err := checkAccount(in.Owner); err != nil {
		return nil, err
	}
	var c *Connection
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		location, bw, device, err := hostParent(t, in.Parent)
		if err != nil {
			return err
		}
		if in.Owner == t.Scope.Account {
			return refuse("Cannot allocate a hosted connection for the connection owner.")
		}
		if n := mbps(in.Bandwidth); n == 0 || n > mbps(bw) {
			return refuse("Bandwidth %s is not available for a hosted connection on %s (%s). Valid bandwidths: %s, up to the parent's.", in.Bandwidth, in.Parent, bw, strings.Join(bandwidths[:11], ", "))
		}
		if err := freeVlan(t, in.Parent, in.Vlan); err != nil {
			return err
		}
		c = &Connection{
			Meta: cloud.Meta{ID: newID(t, cloud.Prefix(cloud.KindDXConnection)), Owner: in.Owner, Region: t.Scope.Region, Tags: in.Tags},
			Name: in.Name, Location: location, Bandwidth: in.Bandwidth, Parent: in.Parent, Partner: t.Scope.Account,
			Vlan: in.Vlan, Provisioning: Provisioning{State: StateOrdering}, AWSDevice: device,
		}
		return cloud.Put(t, c)
	})
	return c, err
}

// hostParent checks that the caller owns the connection or LAG a hosted
// connection or virtual interface goes on, and returns its location,
// bandwidth and device.
func hostParent(t *cloud.Txn, id string) (location, bandwidth, device string, err error) {
	if strings.HasPrefix(id, cloud.Prefix(cloud.KindDXLag)) {
		lag, err := ownLag(t, id)
		if err != nil {
			return "", "", "", err
		}
		return lag.Location, lag.Bandwidth, lag.AWSDevice, nil
	}
	c, err := ownConnection(t, id)
	if err != nil {
		return "", "", "", err
	}
	switch c.State {
	case StateOrdering, StateRejected:
		return "", "", "", refuse("Connection %s is in the %s state.", c.ID, c.State)
	}
	return c.Location, c.Bandwidth, c.AWSDevice, nil
}

// ConfirmConnection is the owner accepting a hosted connection: it goes
// from ordering to pending, and up after the provision delay.
func (s *Service) ConfirmConnection(ctx context.Context, who cloud.Caller, id string) (string, error) {
	var state string
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		c, err := ownConnection(t, id)
		if err != nil {
			return err
		}
		if c.State != StateOrdering {
			return refuse("Connection %s is not in the ordering state (it is %s).", c.ID, c.at(t.Now))
		}
		c.Provisioning = s.provision(t, StatePending)
		state = c.State
		return cloud.Put(t, c)
	})
	return state, err
}

// vlanMin and vlanMax bound an 802.1Q VLAN id.
const vlanMin, vlanMax = 1, 4094

// freeVlan checks that vlan is a VLAN id no virtual interface or hosted
// connection on the connection or LAG parent uses.
func freeVlan(t *cloud.Txn, parent string, vlan int) error {
	if vlan < vlanMin || vlan > vlanMax {
		return refuse("VLAN %d is not valid. A VLAN must be between %d and %d.", vlan, vlanMin, vlanMax)
	}
	hosted, err := cloud.FindAny[Connection](t, parentKey(parent))
	if err != nil {
		return err
	}
	for _, h := range hosted {
		if h.Parent == parent && h.Vlan == vlan {
			return vlanTaken(vlan, parent, h.ID)
		}
	}
	vifs, err := cloud.FindAny[VirtualInterface](t, parentKey(parent))
	if err != nil {
		return err
	}
	for _, v := range vifs {
		if v.Vlan == vlan {
			return vlanTaken(vlan, parent, v.ID)
		}
	}
	return nil
}

func vlanTaken(vlan int, parent, user string) error {
	return refuse("VLAN %d is already in use on %s (by %s).", vlan, parent, user)
}

// checkAccount refuses what is not an account id.
func checkAccount(a string) error {
	if !arn.IsAccount(a) {
		return refuse("%q is not a valid AWS account ID (12 digits).", a)
	}
	return nil
}
