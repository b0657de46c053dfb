package network

import (
	"context"
	"net/netip"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/regions"
)

// VPCPeeringConnection connects two VPCs, which may belong to two accounts
// and lie in two regions. It is one resource seen by both sides, each in its
// own region: the record belongs to the requester's scope and is listed for
// the accepter's (see shared). Each side tags it for itself.
type VPCPeeringConnection struct {
	cloud.Meta // the requester's scope; Tags are the requester side's
	Requester  PeeringVPC
	Accepter   PeeringVPC
	// AccepterTags are the accepter side's tags when it sees the connection
	// from another scope than the requester.
	AccepterTags cloud.Tags `json:",omitempty"`

	// State is what the last action made it: pending-acceptance, active,
	// rejected, failed, deleted or expired. Status derives what AWS shows.
	State          string
	FailureMessage string `json:",omitempty"`
	CreateTime     time.Time
	ExpirationTime time.Time
	// ChangeTime is when it was rejected or deleted, and DeletedBy the scope
	// that deleted it.
	ChangeTime time.Time   `json:",omitempty"`
	DeletedBy  cloud.Scope `json:",omitempty"`
	// Accepted reports that the accepter accepted it: only then does the
	// requester see the accepter VPC's blocks and options.
	Accepted bool `json:",omitempty"`

	// Status and StatusMessage are derived on read.
	Status        string `json:"-"`
	StatusMessage string `json:"-"`
}

// PeeringVPC is one side of a peering connection: its VPC, as last seen,
// and the options its owner set.
type PeeringVPC struct {
	OwnerID        string
	Region         string
	VpcID          string
	CIDRBlocks     []string `json:",omitempty"` // IPv4, the primary block first
	IPv6CIDRBlocks []string `json:",omitempty"`
	// AllowDNSResolution lets the other VPC resolve this side's public DNS
	// names to private addresses (AllowDnsResolutionFromRemoteVpc).
	AllowDNSResolution bool `json:",omitempty"`
}

// Scope is the account and region of the side.
func (v *PeeringVPC) Scope() cloud.Scope { return cloud.Scope{Account: v.OwnerID, Region: v.Region} }

// Peering connection states.
const (
	PeeringInitiating   = "initiating-request"
	PeeringPending      = "pending-acceptance"
	PeeringProvisioning = "provisioning"
	PeeringActive       = "active"
	PeeringRejected     = "rejected"
	PeeringFailed       = "failed"
	PeeringExpired      = "expired"
	PeeringDeleting     = "deleting"
	PeeringDeleted      = "deleted"
)

// KindPeeringRequest names outstanding peering requests in errors: EC2 has
// a limit code of its own for them. No record has it.
const KindPeeringRequest cloud.Kind = "vpc-peering-connection-request"

const (
	// peeringExpiry is how long a request waits for an answer.
	peeringExpiry = 7 * 24 * time.Hour
	// AWS keeps showing a closed connection for a while: 2 hours or 2 days
	// depending on the state and the side (see visibleUntil).
	peeringLingerShort = 2 * time.Hour
	peeringLingerLong  = 2 * 24 * time.Hour
	// interRegionDeleting is how long an inter-region connection shows
	// deleting before deleted.
	interRegionDeleting = 2 * time.Second
)

// peeringFailure is AWS's status message for a request that cannot work.
const peeringFailure = "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range"

func (*VPCPeeringConnection) Kind() cloud.Kind { return cloud.KindVPCPeering }

func init() { cloud.RegisterType[VPCPeeringConnection]() }

// keys list the connection for both sides and by VPC; the vpc-id keys stay
// only while the connection holds its VPCs (pending or active), for the
// VPCs' delete checks.
// peeringIndexes are the filters DescribeVpcPeeringConnections finds by
// index.
var peeringIndexes = cloud.Declare(cloud.KindVPCPeering, cloud.Same("requester-vpc-info.vpc-id", "accepter-vpc-info.vpc-id"), nil)

func (p *VPCPeeringConnection) Keys() []cloud.Key {
	keys := []cloud.Key{
		cloud.SeenByKey(p.Scope()), cloud.SeenByKey(p.Accepter.Scope()),
		peeringIndexes.Key("requester-vpc-info.vpc-id", p.Requester.VpcID),
		peeringIndexes.Key("accepter-vpc-info.vpc-id", p.Accepter.VpcID),
	}
	if p.State == PeeringPending || p.State == PeeringActive {
		keys = append(keys, cloud.Key{Name: "vpc-id", Value: p.Requester.VpcID}, cloud.Key{Name: "vpc-id", Value: p.Accepter.VpcID})
	}
	for k, v := range p.AccepterTags {
		keys = append(keys, cloud.Key{Name: "tag:" + k, Value: v}, cloud.Key{Name: "tag-key", Value: k})
	}
	return keys
}

// isRequester reports whether scope s sees the connection as its requester
// (a connection within one scope is seen from the requester's side).
func (p *VPCPeeringConnection) isRequester(s cloud.Scope) bool { return s == p.Scope() }

// TagsOf is the tag set of the side s sees the connection from.
func (p *VPCPeeringConnection) TagsOf(s cloud.Scope) *cloud.Tags {
	if p.isRequester(s) {
		return &p.Tags
	}
	return &p.AccepterTags
}

// InterRegion reports whether the two VPCs are in different regions.
func (p *VPCPeeringConnection) InterRegion() bool { return p.Requester.Region != p.Accepter.Region }

// StatusAt is the state AWS shows at now: a request nobody answered in
// time has expired, and an inter-region connection is deleting for a
// moment before it is deleted.
func (p *VPCPeeringConnection) StatusAt(now time.Time) string {
	switch {
	case p.State == PeeringPending && !now.Before(p.ExpirationTime):
		return PeeringExpired
	case p.State == PeeringDeleted && p.InterRegion() && now.Before(p.ChangeTime.Add(interRegionDeleting)):
		return PeeringDeleting
	}
	return p.State
}

// SeenBy implements shared: each side sees the connection while it is open
// and for a while after it closed.
func (p *VPCPeeringConnection) SeenBy(s cloud.Scope, now time.Time) bool {
	if s != p.Scope() && s != p.Accepter.Scope() {
		return false
	}
	until, closed := p.visibleUntil(s, now)
	return !closed || now.Before(until)
}

// visibleUntil is when scope s stops seeing a closed connection, as the
// VPC peering lifecycle documents it: failed 2 hours; expired 2 days;
// rejected 2 days to the requester and 2 hours to the accepter; deleted
// 2 hours to the side that deleted it and 2 days to the other.
func (p *VPCPeeringConnection) visibleUntil(s cloud.Scope, now time.Time) (time.Time, bool) {
	switch p.StatusAt(now) {
	case PeeringFailed:
		return p.CreateTime.Add(peeringLingerShort), true
	case PeeringExpired:
		return p.ExpirationTime.Add(peeringLingerLong), true
	case PeeringRejected:
		if p.isRequester(s) {
			return p.ChangeTime.Add(peeringLingerLong), true
		}
		return p.ChangeTime.Add(peeringLingerShort), true
	case PeeringDeleting, PeeringDeleted:
		if s == p.DeletedBy {
			return p.ChangeTime.Add(peeringLingerShort), true
		}
		return p.ChangeTime.Add(peeringLingerLong), true
	}
	return time.Time{}, false
}

// statusMessage is AWS's message for a status.
func (p *VPCPeeringConnection) statusMessage(status string) string {
	switch status {
	case PeeringInitiating:
		return "Initiating Request to " + p.Accepter.OwnerID
	case PeeringPending:
		return "Pending Acceptance by " + p.Accepter.OwnerID
	case PeeringProvisioning:
		return "Provisioning"
	case PeeringActive:
		return "Active"
	case PeeringRejected:
		return "Rejected by " + p.Accepter.OwnerID
	case PeeringFailed:
		return p.FailureMessage
	case PeeringExpired:
		return "Expired"
	case PeeringDeleting:
		return "Deleting"
	case PeeringDeleted:
		return "Deleted by " + p.DeletedBy.Account
	}
	return ""
}

// Resolve derives the status the caller sees, its tags of the connection
// and the VPCs' current blocks.
func (p *VPCPeeringConnection) Resolve(t *cloud.Txn) error {
	p.Status = p.StatusAt(t.Now)
	p.StatusMessage = p.statusMessage(p.Status)
	if !p.isRequester(t.Scope) {
		p.Tags = p.AccepterTags
	}
	return p.refreshBlocks(t)
}

// refreshBlocks copies the VPCs' current blocks into the sides; a deleted
// VPC keeps the blocks it last had.
func (p *VPCPeeringConnection) refreshBlocks(t *cloud.Txn) error {
	for _, side := range []*PeeringVPC{&p.Requester, &p.Accepter} {
		vpc, err := cloud.GetAny[VPC](t.StoreTx, side.VpcID)
		if err := IgnoreNotFound(err); err != nil {
			return err
		}
		if vpc != nil && vpc.Scope() == side.Scope() {
			side.SetBlocks(vpc)
		}
	}
	return nil
}

// SetBlocks copies a VPC's blocks into the side.
func (v *PeeringVPC) SetBlocks(vpc *VPC) {
	v.CIDRBlocks, v.IPv6CIDRBlocks = nil, nil
	for _, a := range vpc.CIDRAssociations {
		v.CIDRBlocks = append(v.CIDRBlocks, a.CIDR)
	}
	for _, a := range vpc.IPv6Associations {
		v.IPv6CIDRBlocks = append(v.IPv6CIDRBlocks, a.CIDR)
	}
}

// ShowsExpiration reports whether AWS shows the connection's expiration
// time: while nobody answered it.
func (p *VPCPeeringConnection) ShowsExpiration() bool {
	switch p.Status {
	case PeeringInitiating, PeeringPending, PeeringExpired:
		return true
	}
	return false
}

// connects reports whether the connection joins VPCs a and b (either way).
func (p *VPCPeeringConnection) connects(a, b string) bool {
	return p.Requester.VpcID == a && p.Accepter.VpcID == b || p.Requester.VpcID == b && p.Accepter.VpcID == a
}

// Peer is the side of the connection across from VPC vpcID; ok is false
// when the connection does not hold that VPC.
func (p *VPCPeeringConnection) Peer(vpcID string) (side *PeeringVPC, ok bool) {
	switch vpcID {
	case p.Requester.VpcID:
		return &p.Accepter, true
	case p.Accepter.VpcID:
		return &p.Requester, true
	}
	return nil, false
}

// Blocks are the side's blocks, IPv4 then IPv6.
func (v *PeeringVPC) Blocks() []netip.Prefix {
	return append(cidr.ParseAll(v.CIDRBlocks), cidr.ParseAll(v.IPv6CIDRBlocks)...)
}

// viewed resolves a connection for the caller after a change.
func viewed(t *cloud.Txn, p *VPCPeeringConnection) (*VPCPeeringConnection, error) {
	return p, p.Resolve(t)
}

// peeringByID loads a connection the caller sees.
func peeringByID(t *cloud.Txn, id string) (*VPCPeeringConnection, error) {
	if !cloud.WellFormed(id, "pcx-") {
		return nil, malformedID(cloud.KindVPCPeering, id, "pcx-")
	}
	return cloud.GetVisible[VPCPeeringConnection](t, id)
}

// peeringsOf lists the connections that hold a VPC (pending or active, as
// last stored), with their status now.
func peeringsOf(t *cloud.Txn, vpcID string) ([]*VPCPeeringConnection, error) {
	ps, err := cloud.FindAny[VPCPeeringConnection](t, cloud.Key{Name: "vpc-id", Value: vpcID})
	for _, p := range ps {
		p.Status = p.StatusAt(t.Now)
	}
	return ps, err
}

// CreatePeeringInput is what CreateVpcPeeringConnection takes.
type CreatePeeringInput struct {
	VpcID       string
	PeerVpcID   string
	PeerOwnerID string // "" is the caller's account
	PeerRegion  string // "" is the caller's region
	Tags        []cloud.TagSpec
}

// CreateVPCPeeringConnection requests a connection from one of the caller's
// VPCs to a VPC of any account and region. As on AWS, a request that cannot
// work (no such peer VPC, overlapping IPv4 blocks) is made and fails at
// once, and asking again for a connection that is pending or active between
// the same requester and accepter VPCs returns that connection.
func (c *Service) CreateVPCPeeringConnection(ctx context.Context, who cloud.Caller, in CreatePeeringInput) (*VPCPeeringConnection, error) {
	if in.PeerVpcID == "" {
		return nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter peerVpcId")
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindVPCPeering)
	if err != nil {
		return nil, err
	}
	peer := cloud.Caller{Account: in.PeerOwnerID, Region: in.PeerRegion}
	if peer.Account == "" {
		peer.Account = who.Account
	}
	if peer.Region == "" {
		peer.Region = who.Region
	}
	if _, ok := regions.Lookup(peer.Region); !ok {
		return nil, cloud.InvalidParam("Value (%s) for parameter peerRegion is invalid.", peer.Region)
	}
	if arn.IsAccount(peer.Account) {
		// The peer account's default resources exist, as they do on AWS.
		if err := c.EnsureScope(ctx, peer); err != nil {
			return nil, err
		}
	}
	var p *VPCPeeringConnection
	created := false
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		if err := purgeClosedPeerings(t); err != nil {
			return err
		}
		vpc, err := cloud.GetIn[VPC](t, in.VpcID)
		if err != nil {
			return err
		}
		if p, err = openPeering(t, vpc.ID, in.PeerVpcID, peer.Scope()); p != nil || err != nil {
			return err
		}
		if err := checkPendingQuota(t); err != nil {
			return err
		}
		p = &VPCPeeringConnection{
			Meta:           cloud.Meta{ID: t.NewID("pcx-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[cloud.KindVPCPeering]},
			Requester:      PeeringVPC{OwnerID: t.Scope.Account, Region: t.Scope.Region, VpcID: vpc.ID},
			Accepter:       PeeringVPC{OwnerID: peer.Account, Region: peer.Region, VpcID: in.PeerVpcID},
			State:          PeeringPending,
			CreateTime:     t.Now,
			ExpirationTime: t.Now.Add(peeringExpiry),
		}
		p.Requester.SetBlocks(vpc)
		if err := checkPeerVPC(t, p, vpc); err != nil {
			return err
		}
		created = true
		return cloud.Put(t, p)
	})
	if err != nil {
		return nil, err
	}
	if created {
		// The answer shows the request as AWS does at first; Describe then
		// shows where it went.
		p.Status, p.StatusMessage = PeeringInitiating, p.statusMessage(PeeringInitiating)
	}
	return p, nil
}

// openPeering returns the pending or active connection from vpcID to the
// peer VPC, if there is one.
func openPeering(t *cloud.Txn, vpcID, peerVpcID string, peer cloud.Scope) (*VPCPeeringConnection, error) {
	ps, err := peeringsOf(t, vpcID)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.Requester.VpcID == vpcID && p.Accepter.VpcID == peerVpcID && p.Accepter.Scope() == peer &&
			(p.Status == PeeringPending || p.Status == PeeringActive) {
			return viewed(t, p)
		}
	}
	return nil, nil
}

// checkPendingQuota refuses a request beyond the outstanding requests an
// account may have.
func checkPendingQuota(t *cloud.Txn) error {
	n := 0
	err := t.Find(cloud.KindVPCPeering, cloud.SeenByKey(t.Scope), func(r *cloud.Record) bool {
		p, err := cloud.Decode[VPCPeeringConnection](r)
		if err == nil && p.isRequester(t.Scope) && p.StatusAt(t.Now) == PeeringPending {
			n++
		}
		return true
	})
	if err == nil && n >= t.Limit("pending-peerings") {
		err = cloud.Errorf(cloud.LimitExceeded, KindPeeringRequest, "Vpc peering connection request limit exceeded.")
	}
	return err
}

// checkPeerVPC fails a new request whose peer VPC does not exist where the
// request says, or has an IPv4 block that overlaps one of the requester's.
func checkPeerVPC(t *cloud.Txn, p *VPCPeeringConnection, vpc *VPC) error {
	peer, err := cloud.GetAny[VPC](t.StoreTx, p.Accepter.VpcID)
	if err := IgnoreNotFound(err); err != nil {
		return err
	}
	if peer == nil || peer.Scope() != p.Accepter.Scope() {
		p.fail()
		return nil
	}
	p.Accepter.SetBlocks(peer)
	for _, a := range vpc.Prefixes() {
		for _, b := range peer.Prefixes() {
			if cidr.Overlap(a, b) {
				p.fail()
				return nil
			}
		}
	}
	return nil
}

func (p *VPCPeeringConnection) fail() {
	p.State, p.FailureMessage = PeeringFailed, peeringFailure
}

// purgeClosedPeerings removes the caller's connections neither side sees
// any more.
func purgeClosedPeerings(t *cloud.Txn) error {
	var closed []string
	err := t.Find(cloud.KindVPCPeering, cloud.SeenByKey(t.Scope), func(r *cloud.Record) bool {
		p, err := cloud.Decode[VPCPeeringConnection](r)
		if err == nil && !p.SeenBy(p.Scope(), t.Now) && !p.SeenBy(p.Accepter.Scope(), t.Now) {
			closed = append(closed, p.ID)
		}
		return true
	})
	for _, id := range closed {
		if err == nil {
			err = t.Delete(cloud.KindVPCPeering, id)
		}
	}
	return err
}

// answerable loads a connection for its accepter to accept or reject in
// the accepter's region: verb names the action in AWS's refusals, where
// the region is named.
func answerable(t *cloud.Txn, id, verb, where string) (*VPCPeeringConnection, error) {
	p, err := peeringByID(t, id)
	if err != nil {
		return nil, err
	}
	if t.Scope.Account != p.Accepter.OwnerID {
		return nil, cloud.Errorf(cloud.OperationNotPermitted, cloud.KindVPCPeering, "User %s cannot %s peering %s", t.Scope.Account, verb, p.ID)
	}
	if t.Scope.Region != p.Accepter.Region {
		return nil, cloud.Errorf(cloud.OperationNotPermitted, cloud.KindVPCPeering, "Incorrect region (%s) specified for this request. VPC peering connection %s must be %s in region %s",
			t.Scope.Region, p.ID, where, p.Accepter.Region)
	}
	return p, nil
}

// transition checks that a connection may go from its status now to state.
func (p *VPCPeeringConnection) transition(now time.Time, allowed []string, to string) error {
	st := p.StatusAt(now)
	for _, a := range allowed {
		if st == a {
			return nil
		}
	}
	return cloud.Errorf(cloud.IncorrectState, cloud.KindVPCPeering, "Invalid state transition for %s, attempted to transition from %s to %s", p.ID, st, to)
}

// AcceptVPCPeeringConnection activates a pending connection. Only the
// accepter VPC's owner accepts, in the accepter VPC's region; two VPCs have
// at most one active connection, and each VPC a limited number.
func (c *Service) AcceptVPCPeeringConnection(ctx context.Context, who cloud.Caller, id string) (*VPCPeeringConnection, error) {
	var p *VPCPeeringConnection
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if p, err = answerable(t, id, "accept", "accepted"); err != nil {
			return err
		}
		if err := p.transition(t.Now, []string{PeeringPending}, PeeringActive); err != nil {
			return err
		}
		for _, vpcID := range []string{p.Requester.VpcID, p.Accepter.VpcID} {
			if err := checkActiveLimits(t, p, vpcID); err != nil {
				return err
			}
		}
		if err := p.refreshBlocks(t); err != nil {
			return err
		}
		p.State, p.Accepted = PeeringActive, true
		if err := cloud.Put(t, p); err != nil {
			return err
		}
		_, err = viewed(t, p)
		return err
	})
	return p, err
}

// checkActiveLimits refuses to activate a connection where another one
// already joins the same VPCs, or that would pass a VPC's quota.
func checkActiveLimits(t *cloud.Txn, p *VPCPeeringConnection, vpcID string) error {
	ps, err := peeringsOf(t, vpcID)
	if err != nil {
		return err
	}
	active := 0
	for _, o := range ps {
		if o.ID == p.ID || o.Status != PeeringActive {
			continue
		}
		if o.connects(p.Requester.VpcID, p.Accepter.VpcID) {
			return cloud.Errorf(cloud.Duplicate, cloud.KindVPCPeering, "The vpc peering connection identified by %s already exists.", p.ID)
		}
		active++
	}
	if active >= t.Limit("active-peerings-per-vpc") {
		return cloud.Errorf(cloud.LimitExceeded, cloud.KindVPCPeering, "The maximum number of active VPC peering connections for %s has been reached.", vpcID)
	}
	return nil
}

// RejectVPCPeeringConnection turns down a pending request. Only the
// accepter VPC's owner rejects, in the accepter VPC's region.
func (c *Service) RejectVPCPeeringConnection(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		p, err := answerable(t, id, "reject", "accepted or rejected")
		if err != nil {
			return err
		}
		if err := p.transition(t.Now, []string{PeeringPending}, PeeringRejected); err != nil {
			return err
		}
		p.State, p.ChangeTime = PeeringRejected, t.Now
		return cloud.Put(t, p)
	})
}

// DeleteVPCPeeringConnection deletes a connection: an active one by either
// owner, a pending request by its requester. Closed connections (failed,
// rejected, expired, deleted) cannot be deleted.
func (c *Service) DeleteVPCPeeringConnection(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		p, err := peeringByID(t, id)
		if err != nil {
			return err
		}
		if err := p.transition(t.Now, []string{PeeringPending, PeeringActive}, PeeringDeleting); err != nil {
			return err
		}
		if p.StatusAt(t.Now) == PeeringPending && t.Scope.Account != p.Requester.OwnerID {
			return cloud.Errorf(cloud.OperationNotPermitted, cloud.KindVPCPeering, "User %s cannot delete peering %s", t.Scope.Account, p.ID)
		}
		p.markDeleted(t)
		return cloud.Put(t, p)
	})
}

// markDeleted closes a connection on behalf of the caller's side.
func (p *VPCPeeringConnection) markDeleted(t *cloud.Txn) {
	p.State, p.ChangeTime, p.DeletedBy = PeeringDeleted, t.Now, t.Scope
}

// PeeringOptions are the options one side sets (nil leaves one as it is).
// ClassicLink was retired: its options can only be false.
type PeeringOptions struct {
	AllowDNSResolution     *bool
	ClassicLinkToRemoteVPC *bool
	VPCToRemoteClassicLink *bool
}

// ModifyPeeringOptionsInput is what ModifyVpcPeeringConnectionOptions takes.
type ModifyPeeringOptionsInput struct {
	ID        string
	Requester *PeeringOptions
	Accepter  *PeeringOptions
}

// ModifyVPCPeeringConnectionOptions sets each side's options on an active
// connection: only that side's owner may, from that side's region.
func (c *Service) ModifyVPCPeeringConnectionOptions(ctx context.Context, who cloud.Caller, in ModifyPeeringOptionsInput) (*VPCPeeringConnection, error) {
	var p *VPCPeeringConnection
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if p, err = peeringByID(t, in.ID); err != nil {
			return err
		}
		if p.StatusAt(t.Now) != PeeringActive {
			return cloud.Errorf(cloud.OperationNotPermitted, cloud.KindVPCPeering, "Peering %s is not active. Peering options can be added only to active peerings.", p.ID)
		}
		for _, s := range []struct {
			name string
			side *PeeringVPC
			opts *PeeringOptions
		}{{"requester", &p.Requester, in.Requester}, {"accepter", &p.Accepter, in.Accepter}} {
			if err := setPeeringOptions(t, s.name, s.side, s.opts); err != nil {
				return err
			}
		}
		if err := cloud.Put(t, p); err != nil {
			return err
		}
		_, err = viewed(t, p)
		return err
	})
	return p, err
}

// setPeeringOptions applies one side's options, which only its owner may
// change, from its region.
func setPeeringOptions(t *cloud.Txn, name string, side *PeeringVPC, o *PeeringOptions) error {
	if o == nil {
		return nil
	}
	if t.Scope.Account != side.OwnerID {
		return cloud.Errorf(cloud.OperationNotPermitted, cloud.KindVPCPeering, "User %s does not have permission to modify the %s side peering options", t.Scope.Account, name)
	}
	if t.Scope.Region != side.Region {
		return cloud.Errorf(cloud.OperationNotPermitted, cloud.KindVPCPeering, "%s's VPC Peering connection options cannot be modified for a different region", strings.ToUpper(name[:1])+name[1:])
	}
	for _, b := range []*bool{o.ClassicLinkToRemoteVPC, o.VPCToRemoteClassicLink} {
		if b != nil && *b {
			return cloud.Errorf(cloud.Unsupported, cloud.KindVPCPeering, "ClassicLink is no longer supported: EC2-Classic was retired.")
		}
	}
	if o.AllowDNSResolution != nil {
		side.AllowDNSResolution = *o.AllowDNSResolution
	}
	return nil
}

// settlePeerings brings the connections of a VPC being deleted up to date:
// a request nobody answered has expired, and a pending request from this
// VPC goes with it (AWS deletes it). What is left pending or active then
// blocks the delete.
func settlePeerings(t *cloud.Txn, vpcID string) error {
	ps, err := peeringsOf(t, vpcID)
	if err != nil {
		return err
	}
	for _, p := range ps {
		switch {
		case p.Status == PeeringExpired:
			p.State = PeeringExpired
		case p.Status == PeeringPending && p.Requester.VpcID == vpcID:
			p.markDeleted(t)
		default:
			continue
		}
		if err := cloud.Put(t, p); err != nil {
			return err
		}
	}
	return nil
}

// activePeering returns the active connection between two VPCs of the
// caller's region, or nil.
func activePeering(t *cloud.Txn, a, b string) (*VPCPeeringConnection, error) {
	ps, err := peeringsOf(t, a)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.Status == PeeringActive && !p.InterRegion() && p.connects(a, b) {
			return p, nil
		}
	}
	return nil, nil
}

// peeringStatus is the status of a connection a rule or route names, or
// deleted when AWS no longer shows it.
func peeringStatus(t *cloud.Txn, id string) (string, error) {
	p, err := cloud.GetAny[VPCPeeringConnection](t.StoreTx, id)
	if ErrIsNotFound(err) {
		return PeeringDeleted, nil
	}
	if err != nil {
		return "", err
	}
	return p.StatusAt(t.Now), nil
}

// checkPeeringTarget accepts as a route target a connection the caller
// sees, pending or active, that joins the table's VPC. A route to a pending
// connection is a blackhole until it is accepted.
func checkPeeringTarget(t *cloud.Txn, rt *RouteTable, id string) error {
	missing := cloud.Errorf(cloud.NotFound, cloud.KindVPCPeering, "The vpcPeeringConnection ID '%s' does not exist", id)
	p, err := cloud.GetVisible[VPCPeeringConnection](t, id)
	if ErrIsNotFound(err) {
		return missing
	}
	if err != nil {
		return err
	}
	if st := p.StatusAt(t.Now); st != PeeringPending && st != PeeringActive {
		return missing
	}
	if p.Requester.VpcID != rt.VpcID && p.Accepter.VpcID != rt.VpcID {
		return DifferentNetworks(rt, "VPC peering connection", id)
	}
	return nil
}
