package network

import (
	"context"
	"errors"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// RouteTable is a VPC route table.
type RouteTable struct {
	cloud.Meta
	VpcID           string
	Routes          []Route
	Associations    []RouteTableAssociation `json:",omitempty"`
	PropagatingVGWs []string                `json:",omitempty"`
	// Propagated are the routes the propagating gateways have learned,
	// derived on read (Resolve), never stored.
	Propagated []Route `json:"-"`
}

// Route is one route. Exactly one destination and one target are set.
type Route struct {
	DestinationCIDR         string `json:",omitempty"`
	DestinationIPv6CIDR     string `json:",omitempty"`
	DestinationPrefixListID string `json:",omitempty"`

	GatewayID              string `json:",omitempty"` // igw-, vgw-, vpce- (gateway endpoint) or "local"
	EgressOnlyIGWID        string `json:",omitempty"`
	NATGatewayID           string `json:",omitempty"`
	InstanceID             string `json:",omitempty"`
	InstanceOwnerID        string `json:",omitempty"`
	NetworkInterfaceID     string `json:",omitempty"`
	VPCPeeringConnectionID string `json:",omitempty"`
	TransitGatewayID       string `json:",omitempty"`
	LocalGatewayID         string `json:",omitempty"`
	CarrierGatewayID       string `json:",omitempty"`
	CoreNetworkARN         string `json:",omitempty"`
	VPCEndpointID          string `json:",omitempty"` // Gateway Load Balancer endpoint

	Origin string // CreateRouteTable, CreateRoute, EnableVgwRoutePropagation
	// State is derived on read: blackhole when the target is gone.
	State string `json:"-"`
}

// Route origins.
const (
	OriginCreateRouteTable = "CreateRouteTable"
	OriginCreateRoute      = "CreateRoute"
	OriginPropagated       = "EnableVgwRoutePropagation"
)

// RouteTableAssociation ties a table to a subnet or an edge gateway, or
// marks it the VPC's main table.
type RouteTableAssociation struct {
	ID        string
	Main      bool   `json:",omitempty"`
	SubnetID  string `json:",omitempty"`
	GatewayID string `json:",omitempty"`
	State     string
}

func (*RouteTable) Kind() cloud.Kind { return cloud.KindRouteTable }

func init() { cloud.RegisterType[RouteTable]() }

// routeTableIndexes are the filters DescribeRouteTables finds by index.
// Route targets with ids of their own share one key, route-target.
var routeTableIndexes = cloud.Declare(cloud.KindRouteTable, func() cloud.Indexes {
	ix := cloud.Same("vpc-id", "association.main", "association.route-table-association-id", "association.subnet-id", "association.gateway-id")
	for _, f := range []string{"route.egress-only-internet-gateway-id", "route.nat-gateway-id", "route.transit-gateway-id", "route.vpc-peering-connection-id"} {
		ix[f] = cloud.Index{Key: routeTargetKey}
	}
	return ix
}(), nil)

const routeTargetKey = "route-target"

func (rt *RouteTable) Keys() []cloud.Key {
	ix := routeTableIndexes
	keys := []cloud.Key{ix.Key("vpc-id", rt.VpcID)}
	for _, a := range rt.Associations {
		keys = append(keys, ix.Key("association.route-table-association-id", a.ID),
			ix.Key("association.main", boolKey(a.Main)))
		if a.SubnetID != "" {
			keys = append(keys, ix.Key("association.subnet-id", a.SubnetID))
		}
		if a.GatewayID != "" {
			keys = append(keys, ix.Key("association.gateway-id", a.GatewayID))
		}
	}
	for _, r := range rt.Routes {
		if id := r.Target(); id != "" && id != "local" {
			keys = append(keys, cloud.Key{Name: routeTargetKey, Value: id})
		}
		if r.DestinationPrefixListID != "" {
			keys = append(keys, cloud.Key{Name: "route.destination-prefix-list-id", Value: r.DestinationPrefixListID})
		}
	}
	return keys
}

func boolKey(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// Target is the id of whatever the route sends traffic to.
func (r *Route) Target() string {
	for _, id := range r.targetIDs() {
		if id != "" {
			return id
		}
	}
	return ""
}

// Destination is the route's destination block or prefix list.
func (r *Route) Destination() string {
	switch {
	case r.DestinationCIDR != "":
		return r.DestinationCIDR
	case r.DestinationIPv6CIDR != "":
		return r.DestinationIPv6CIDR
	}
	return r.DestinationPrefixListID
}

// IsLocal reports whether the route is one of the table's routes for the
// VPC's own blocks (whatever its target now is).
func (r *Route) IsLocal() bool { return r.Origin == OriginCreateRouteTable }

// newRouteTable makes (but does not save) a table with the VPC's local routes.
func newRouteTable(t *cloud.Txn, vpc *VPC, tags cloud.Tags) *RouteTable {
	rt := &RouteTable{
		Meta:  cloud.Meta{ID: t.NewID("rtb-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags},
		VpcID: vpc.ID,
	}
	rt.syncLocalRoutes(vpc)
	return rt
}

// syncLocalRoutes gives the table one local route per VPC block, first. A
// local route whose target was replaced (middlebox routing) keeps it.
func (rt *RouteTable) syncLocalRoutes(vpc *VPC) {
	kept := map[string]Route{}
	for _, r := range rt.Routes {
		if r.IsLocal() {
			kept[r.Destination()] = r
		}
	}
	local := func(r Route) Route {
		if old, ok := kept[r.Destination()]; ok {
			return old
		}
		return r
	}
	routes := make([]Route, 0, len(rt.Routes)+2)
	for _, a := range vpc.CIDRAssociations {
		routes = append(routes, local(Route{DestinationCIDR: a.CIDR, GatewayID: "local", Origin: OriginCreateRouteTable}))
	}
	for _, a := range vpc.IPv6Associations {
		routes = append(routes, local(Route{DestinationIPv6CIDR: a.CIDR, GatewayID: "local", Origin: OriginCreateRouteTable}))
	}
	for _, r := range rt.Routes {
		if !r.IsLocal() {
			routes = append(routes, r)
		}
	}
	rt.Routes = routes
}

// Resolve derives each route's state (a route whose target no longer exists,
// or an internet gateway no longer attached to the VPC, is a blackhole) and,
// for a route to an interface attached to an instance, that instance.
func (rt *RouteTable) Resolve(t *cloud.Txn) error { return rt.ResolveWith(storeTargets{t}) }

// ResolveWith is resolve over any source of route targets: the store, or a
// snapshot's maps.
func (rt *RouteTable) ResolveWith(ts RouteTargets) error {
	for i := range rt.Routes {
		r := &rt.Routes[i]
		if r.NetworkInterfaceID != "" {
			eni, err := ts.NetworkInterface(r.NetworkInterfaceID)
			if err != nil {
				return err
			}
			if eni != nil && eni.Attachment != nil && eni.Attachment.InstanceID != "" {
				r.InstanceID, r.InstanceOwnerID = eni.Attachment.InstanceID, eni.Attachment.InstanceOwnerID
			}
		}
		ok, err := targetUsable(ts, rt.VpcID, r)
		if err != nil {
			return err
		}
		r.State = "active"
		if !ok {
			r.State = "blackhole"
		}
	}
	return rt.propagate(ts)
}

// RouteTargets finds what routes point at: each lookup returns nil (and no
// error) for a target that does not exist.
type RouteTargets interface {
	InternetGateway(id string) (*InternetGateway, error)
	EgressOnlyGateway(id string) (*EgressOnlyInternetGateway, error)
	NATGateway(id string) (*NATGateway, error)
	NetworkInterface(id string) (*NetworkInterface, error)
	Instance(id string) (*Instance, error)
	// EndpointAvailable reports whether the VPC endpoint id carries traffic.
	EndpointAvailable(id string) (bool, error)
	// PeeringStatus is the status AWS shows now, deleted when it is gone.
	PeeringStatus(id string) (string, error)
	Exists(kind cloud.Kind, id string) (bool, error)
	// Learned are the prefixes the virtual private gateway vgwID has
	// learned, none when it is not attached to VPC vpcID.
	Learned(vpcID, vgwID string) ([]string, error)
}

// storeTargets reads route targets from the store.
type storeTargets struct{ t *cloud.Txn }

func (s storeTargets) InternetGateway(id string) (*InternetGateway, error) {
	return OrNil(cloud.GetAny[InternetGateway](s.t.StoreTx, id))
}

func (s storeTargets) EgressOnlyGateway(id string) (*EgressOnlyInternetGateway, error) {
	return OrNil(cloud.GetAny[EgressOnlyInternetGateway](s.t.StoreTx, id))
}

func (s storeTargets) NATGateway(id string) (*NATGateway, error) {
	return OrNil(cloud.GetAny[NATGateway](s.t.StoreTx, id))
}

func (s storeTargets) NetworkInterface(id string) (*NetworkInterface, error) {
	return OrNil(cloud.GetAny[NetworkInterface](s.t.StoreTx, id))
}

func (s storeTargets) Instance(id string) (*Instance, error) {
	return OrNil(cloud.GetAny[Instance](s.t.StoreTx, id))
}

func (s storeTargets) EndpointAvailable(id string) (bool, error) {
	if endpoints == nil {
		return false, nil
	}
	return endpoints.Available(s.t.StoreTx, id)
}

func (s storeTargets) PeeringStatus(id string) (string, error) { return peeringStatus(s.t, id) }

func (s storeTargets) Exists(kind cloud.Kind, id string) (bool, error) {
	return RecordExists(s.t.StoreTx, kind, id)
}

func (s storeTargets) Learned(vpcID, vgwID string) ([]string, error) {
	return vgwLearned(s.t.StoreTx, s.t.Now, vpcID, vgwID)
}

// RecordExists reports whether the store has the record kind/id.
func RecordExists(tx cloud.StoreTx, kind cloud.Kind, id string) (bool, error) {
	_, err := tx.Get(kind, id)
	if errors.Is(err, cloud.ErrNoRecord) {
		return false, nil
	}
	return err == nil, err
}

// OrNil turns a NotFound into a nil resource and no error.
func OrNil[P any](p *P, err error) (*P, error) {
	if err != nil {
		return nil, IgnoreNotFound(err)
	}
	return p, nil
}

func targetUsable(ts RouteTargets, vpcID string, r *Route) (bool, error) {
	id := r.Target()
	if id == "local" {
		return true, nil
	}
	kind, ok := cloud.KindOfID(id)
	if !ok {
		return false, nil
	}
	switch kind {
	case cloud.KindInternetGateway:
		igw, err := ts.InternetGateway(id)
		return igw != nil && igw.AttachedTo(vpcID), err
	case cloud.KindEgressOnlyIGW:
		g, err := ts.EgressOnlyGateway(id)
		return g != nil && g.AttachedTo(vpcID), err
	case cloud.KindNATGateway:
		nat, err := ts.NATGateway(id)
		return nat != nil && (nat.State == NATAvailable || nat.State == NATPending), err
	case cloud.KindNetworkInterface:
		eni, err := ts.NetworkInterface(id)
		if eni == nil || err != nil {
			return false, err
		}
		// A detached interface forwards nothing; one on an instance only
		// while the instance runs.
		if eni.Attachment == nil {
			return eni.Status == "in-use", nil
		}
		if eni.Attachment.InstanceID == "" {
			return true, nil
		}
		return instanceRunning(ts, eni.Attachment.InstanceID)
	case cloud.KindInstance:
		return instanceRunning(ts, id)
	case cloud.KindVPCPeering:
		// Traffic crosses a peering connection only while it is active.
		st, err := ts.PeeringStatus(id)
		return st == PeeringActive, err
	case cloud.KindVPCEndpoint:
		// An endpoint carries traffic while it is available (a Gateway
		// Load Balancer endpoint waiting for acceptance does not).
		return ts.EndpointAvailable(id)
	}
	return ts.Exists(kind, id)
}

func instanceRunning(ts RouteTargets, id string) (bool, error) {
	inst, err := ts.Instance(id)
	return inst != nil && inst.Running(), err
}

// IgnoreNotFound turns a NotFound into "no error" (the caller already knows
// the answer is no).
func IgnoreNotFound(err error) error {
	if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
		return nil
	}
	return err
}

// CreateRouteTable creates a route table in a VPC, with its local routes.
func (c *Service) CreateRouteTable(ctx context.Context, who cloud.Caller, vpcID string, specs []cloud.TagSpec) (*RouteTable, error) {
	tags, err := cloud.TagsFor(specs, cloud.KindRouteTable)
	if err != nil {
		return nil, err
	}
	var rt *RouteTable
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		vpc, err := cloud.GetIn[VPC](t, vpcID)
		if err != nil {
			return err
		}
		rt = newRouteTable(t, vpc, tags[cloud.KindRouteTable])
		if err := cloud.Put(t, rt); err != nil {
			return err
		}
		return rt.Resolve(t)
	})
	return rt, err
}

// DeleteRouteTable deletes a table that no subnet or gateway uses and that
// is not its VPC's main table. Gateway endpoints routing through it let it
// go, as on AWS.
func (c *Service) DeleteRouteTable(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		rt, err := cloud.GetIn[RouteTable](t, id)
		if err != nil {
			return err
		}
		if len(rt.Associations) > 0 {
			return cloud.HasDependents(cloud.KindRouteTable, rt.ID)
		}
		if endpoints != nil {
			if err := endpoints.DropRouteTable(t, rt.ID); err != nil {
				return err
			}
		}
		return cloud.Remove(t, rt)
	})
}

// GetRouteTable returns one of the caller's route tables, states resolved.
func (c *Service) GetRouteTable(ctx context.Context, who cloud.Caller, id string) (*RouteTable, error) {
	var rt *RouteTable
	err := c.View(ctx, who, func(t *cloud.Txn) (err error) {
		if rt, err = cloud.GetIn[RouteTable](t, id); err != nil {
			return err
		}
		return rt.Resolve(t)
	})
	return rt, err
}

// routeTableOfAssociation finds the caller's table that holds an association.
func routeTableOfAssociation(t *cloud.Txn, associationID string) (*RouteTable, int, error) {
	tables, err := cloud.FindIn[RouteTable](t, cloud.Key{Name: "association.route-table-association-id", Value: associationID})
	if err != nil {
		return nil, 0, err
	}
	for _, rt := range tables {
		for i, a := range rt.Associations {
			if a.ID == associationID {
				return rt, i, nil
			}
		}
	}
	return nil, 0, cloud.Errorf(cloud.NotFound, cloud.KindRouteTableAssoc, "The association ID '%s' does not exist", associationID)
}

// AssociateRouteTable associates a table with a subnet of its VPC, or with
// an internet gateway attached to its VPC (an edge association). Exactly
// one of subnetID and gatewayID is set.
func (c *Service) AssociateRouteTable(ctx context.Context, who cloud.Caller, tableID, subnetID, gatewayID string) (RouteTableAssociation, error) {
	var assoc RouteTableAssociation
	switch {
	case subnetID == "" && gatewayID == "":
		return assoc, cloud.Errorf(cloud.MissingParameter, "", "The request must contain exactly one of subnetId or gatewayId")
	case subnetID != "" && gatewayID != "":
		return assoc, cloud.Errorf(cloud.InvalidCombination, "", "The request must contain exactly one of subnetId or gatewayId")
	}
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		rt, err := cloud.GetIn[RouteTable](t, tableID)
		if err != nil {
			return err
		}
		key := cloud.Key{Name: "association.subnet-id", Value: subnetID}
		if subnetID != "" {
			s, err := cloud.GetIn[Subnet](t, subnetID)
			if err != nil {
				return err
			}
			if s.VpcID != rt.VpcID {
				return cloud.InvalidParam("route table %s and subnet %s belong to different networks", rt.ID, s.ID)
			}
		} else {
			if err := checkGateway(t, rt, gatewayID); err != nil {
				return err
			}
			key = cloud.Key{Name: "association.gateway-id", Value: gatewayID}
		}
		taken, err := cloud.Exists(t, cloud.KindRouteTable, key)
		if err != nil {
			return err
		}
		if taken {
			return cloud.Errorf(cloud.AlreadyAssociated, cloud.KindRouteTableAssoc, "the specified association for route table %s conflicts with an existing association", rt.ID)
		}
		assoc = RouteTableAssociation{ID: t.NewID("rtbassoc-"), SubnetID: subnetID, GatewayID: gatewayID, State: "associated"}
		rt.Associations = append(rt.Associations, assoc)
		return cloud.Put(t, rt)
	})
	return assoc, err
}

// DisassociateRouteTable removes a subnet or edge association; the subnet
// goes back to its VPC's main table. The main association stays.
func (c *Service) DisassociateRouteTable(ctx context.Context, who cloud.Caller, associationID string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		rt, i, err := routeTableOfAssociation(t, associationID)
		if err != nil {
			return err
		}
		if rt.Associations[i].Main {
			return cloud.InvalidParam("cannot disassociate the main route table association %s", associationID)
		}
		rt.Associations = append(rt.Associations[:i:i], rt.Associations[i+1:]...)
		return cloud.Put(t, rt)
	})
}

// ReplaceRouteTableAssociation moves an association to another table of the
// same VPC, under a new id. Moving the main association makes the table the
// VPC's main table.
func (c *Service) ReplaceRouteTableAssociation(ctx context.Context, who cloud.Caller, associationID, tableID string) (RouteTableAssociation, error) {
	var assoc RouteTableAssociation
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		from, i, err := routeTableOfAssociation(t, associationID)
		if err != nil {
			return err
		}
		to := from
		if tableID != from.ID {
			if to, err = cloud.GetIn[RouteTable](t, tableID); err != nil {
				return err
			}
		}
		if to.VpcID != from.VpcID {
			return cloud.InvalidParam("route table %s and route table association %s belong to different networks", to.ID, associationID)
		}
		assoc = from.Associations[i]
		assoc.ID = t.NewID("rtbassoc-")
		from.Associations = append(from.Associations[:i:i], from.Associations[i+1:]...)
		to.Associations = append(to.Associations, assoc)
		if err := cloud.Put(t, from); err != nil {
			return err
		}
		if err := cloud.Put(t, to); err != nil {
			return err
		}
		if !assoc.Main {
			return nil
		}
		vpc, err := cloud.GetIn[VPC](t, to.VpcID)
		if err != nil {
			return err
		}
		vpc.MainRouteTableID = to.ID
		return cloud.Put(t, vpc)
	})
	return assoc, err
}

// Endpoints is what routes need of VPC endpoints, which the privatelink
// family above this one keeps (it registers them): a route may target a
// Gateway Load Balancer endpoint, and gateway endpoints name route tables.
type Endpoints interface {
	// RouteTarget is the caller's endpoint id as a route target; ok is
	// false when the caller has no such endpoint, or it is deleted.
	RouteTarget(t *cloud.Txn, id string) (target EndpointTarget, ok bool, err error)
	// Available reports whether the endpoint id (of any account) carries
	// traffic.
	Available(tx cloud.StoreTx, id string) (bool, error)
	// DropRouteTable forgets a deleted route table in the endpoints that
	// name it.
	DropRouteTable(t *cloud.Txn, id string) error
}

// EndpointTarget is what a route checks of the endpoint it targets.
type EndpointTarget struct {
	VpcID               string
	GatewayLoadBalancer bool
}

// endpoints is the registered Endpoints; nil when no family keeps them.
var endpoints Endpoints

// RegisterEndpoints tells the network family who keeps VPC endpoints.
func RegisterEndpoints(e Endpoints) { endpoints = e }
