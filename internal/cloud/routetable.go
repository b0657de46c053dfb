package cloud

import (
	"github.com/vpcemu/vpcemu/internal/store"
)

// RouteTable is a VPC route table.
type RouteTable struct {
	Meta
	VpcID           string
	Routes          []Route
	Associations    []RouteTableAssociation `json:",omitempty"`
	PropagatingVGWs []string                `json:",omitempty"`
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

// RouteTableAssociation ties a table to a subnet or an edge gateway, or
// marks it the VPC's main table.
type RouteTableAssociation struct {
	ID        string
	Main      bool   `json:",omitempty"`
	SubnetID  string `json:",omitempty"`
	GatewayID string `json:",omitempty"`
	State     string
}

func (*RouteTable) kind() Kind { return KindRouteTable }

func (rt *RouteTable) keys() []store.Key {
	keys := []store.Key{{Name: "vpc-id", Value: rt.VpcID}}
	for _, a := range rt.Associations {
		keys = append(keys, store.Key{Name: "association.route-table-association-id", Value: a.ID})
		if a.SubnetID != "" {
			keys = append(keys, store.Key{Name: "association.subnet-id", Value: a.SubnetID})
		}
		if a.GatewayID != "" {
			keys = append(keys, store.Key{Name: "association.gateway-id", Value: a.GatewayID})
		}
		if a.Main {
			keys = append(keys, store.Key{Name: "main-for", Value: rt.VpcID})
		}
	}
	for _, r := range rt.Routes {
		if id := r.Target(); id != "" && id != "local" {
			keys = append(keys, store.Key{Name: "route-target", Value: id})
		}
	}
	return keys
}

// Target is the id of whatever the route sends traffic to.
func (r *Route) Target() string {
	for _, id := range []string{r.GatewayID, r.EgressOnlyIGWID, r.NATGatewayID, r.NetworkInterfaceID, r.InstanceID,
		r.VPCPeeringConnectionID, r.TransitGatewayID, r.LocalGatewayID, r.CarrierGatewayID, r.CoreNetworkARN, r.VPCEndpointID} {
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

// newRouteTable makes (but does not save) a table with the VPC's local routes.
func newRouteTable(t *txn, vpc *VPC, tags Tags) *RouteTable {
	rt := &RouteTable{
		Meta:  Meta{ID: t.newID("rtb-"), Owner: t.scope.Account, Region: t.scope.Region, Tags: tags},
		VpcID: vpc.ID,
	}
	rt.syncLocalRoutes(vpc)
	return rt
}

// syncLocalRoutes gives the table one local route per VPC block, first.
func (rt *RouteTable) syncLocalRoutes(vpc *VPC) {
	routes := make([]Route, 0, len(rt.Routes)+2)
	for _, a := range vpc.CIDRAssociations {
		routes = append(routes, Route{DestinationCIDR: a.CIDR, GatewayID: "local", Origin: "CreateRouteTable"})
	}
	for _, a := range vpc.IPv6Associations {
		routes = append(routes, Route{DestinationIPv6CIDR: a.CIDR, GatewayID: "local", Origin: "CreateRouteTable"})
	}
	for _, r := range rt.Routes {
		if r.GatewayID != "local" {
			routes = append(routes, r)
		}
	}
	rt.Routes = routes
}

// resolve derives each route's state: a route whose target no longer exists
// (or an internet gateway no longer attached to the VPC) is a blackhole.
func (rt *RouteTable) resolve(t *txn) error {
	for i := range rt.Routes {
		r := &rt.Routes[i]
		ok, err := routeTargetUsable(t, rt.VpcID, r)
		if err != nil {
			return err
		}
		r.State = "active"
		if !ok {
			r.State = "blackhole"
		}
	}
	return nil
}

// routeTargetUsable reports whether a route's target exists and can carry
// traffic for the VPC.
func routeTargetUsable(t *txn, vpcID string, r *Route) (bool, error) {
	id := r.Target()
	if id == "local" {
		return true, nil
	}
	kind, ok := KindOfID(id)
	if !ok {
		return false, nil
	}
	switch kind {
	case KindInternetGateway:
		igw, err := getAny[InternetGateway](t.Tx, id)
		if err != nil {
			return false, ignoreNotFound(err)
		}
		return igw.AttachedTo(vpcID), nil
	case KindNATGateway:
		nat, err := getAny[NATGateway](t.Tx, id)
		if err != nil {
			return false, ignoreNotFound(err)
		}
		return nat.State == "available" || nat.State == "pending", nil
	case KindInstance:
		inst, err := getAny[Instance](t.Tx, id)
		if err != nil {
			return false, ignoreNotFound(err)
		}
		return inst.State == "running" || inst.State == "pending", nil
	}
	_, err := t.Get(kind, id)
	if err != nil {
		return false, ignoreNotFound(err)
	}
	return true, nil
}

// ignoreNotFound turns a NotFound into "no error" (the caller already knows
// the answer is no).
func ignoreNotFound(err error) error {
	if e, ok := AsError(err); ok && e.Reason == NotFound {
		return nil
	}
	return err
}
