package network

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// targetIDs lists the route's target fields, in Target's order.
func (r *Route) targetIDs() []string {
	return []string{r.GatewayID, r.EgressOnlyIGWID, r.NATGatewayID, r.NetworkInterfaceID, r.InstanceID,
		r.VPCPeeringConnectionID, r.TransitGatewayID, r.LocalGatewayID, r.CarrierGatewayID, r.CoreNetworkARN, r.VPCEndpointID}
}

// sameDestination reports whether two routes have the same destination.
func (r *Route) sameDestination(o *Route) bool {
	return r.DestinationCIDR == o.DestinationCIDR && r.DestinationIPv6CIDR == o.DestinationIPv6CIDR &&
		r.DestinationPrefixListID == o.DestinationPrefixListID
}

// RouteIndex is the position of the table's route to dest, or -1.
func (rt *RouteTable) RouteIndex(dest *Route) int {
	return slices.IndexFunc(rt.Routes, func(r Route) bool { return r.sameDestination(dest) })
}

// destinationParam is how EC2 names the destination in messages.
func (r *Route) destinationParam() string {
	switch {
	case r.DestinationCIDR != "":
		return "destination-cidr-block"
	case r.DestinationIPv6CIDR != "":
		return "destination-ipv6-cidr-block"
	}
	return "destination-prefix-list-id"
}

// routeDestination checks that a request names exactly one destination and
// returns it in canonical form.
func routeDestination(spec Route) (Route, error) {
	n := 0
	for _, d := range []string{spec.DestinationCIDR, spec.DestinationIPv6CIDR, spec.DestinationPrefixListID} {
		if d != "" {
			n++
		}
	}
	const msg = "The request must contain exactly one of destinationCidrBlock, destinationIpv6CidrBlock or destinationPrefixListId"
	switch {
	case n == 0:
		return Route{}, cloud.Errorf(cloud.MissingParameter, "", msg)
	case n > 1:
		return Route{}, cloud.Errorf(cloud.InvalidCombination, "", msg)
	}
	parse := func(s, param string, v4 bool) (string, error) {
		p, err := netip.ParsePrefix(s)
		if err != nil || p.Addr().Is4() != v4 || p.Addr().Is4In6() {
			return "", cloud.InvalidParam("Value (%s) for parameter %s is invalid. This is not a valid CIDR block.", s, param)
		}
		return p.Masked().String(), nil
	}
	var dest Route
	var err error
	switch {
	case spec.DestinationCIDR != "":
		dest.DestinationCIDR, err = parse(spec.DestinationCIDR, "destinationCidrBlock", true)
	case spec.DestinationIPv6CIDR != "":
		dest.DestinationIPv6CIDR, err = parse(spec.DestinationIPv6CIDR, "destinationIpv6CidrBlock", false)
	default:
		dest.DestinationPrefixListID = spec.DestinationPrefixListID
	}
	return dest, err
}

// countTargets checks that a request names exactly one target (or, for
// ReplaceRoute, asks for the local target).
func countTargets(spec Route, localTarget bool) error {
	n := 0
	for _, id := range spec.targetIDs() {
		if id != "" {
			n++
		}
	}
	msg := "The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, vpcPeeringConnectionId, egressOnlyInternetGatewayId, transitGatewayId, localGatewayId, carrierGatewayId, vpcEndpointId, coreNetworkArn or instanceId"
	if localTarget {
		n++
		msg += ", or localTarget"
	}
	switch {
	case n == 0:
		return cloud.Errorf(cloud.MissingParameter, "", "%s", msg)
	case n > 1:
		return cloud.Errorf(cloud.InvalidCombination, "", "%s", msg)
	}
	return nil
}

func DifferentNetworks(rt *RouteTable, noun, id string) error {
	return cloud.InvalidParam("route table %s and %s %s belong to different networks", rt.ID, noun, id)
}

func gatewayNotFound(id string) error {
	return cloud.Errorf(cloud.NotFound, cloud.SubjectGatewayTarget, "The gateway ID '%s' does not exist", id)
}

// targetExists checks that a target of a kind vpcemu keeps no model of
// (peering, endpoint, transit gateway…) exists at all; missing is notFound.
func targetExists(t *cloud.Txn, kind cloud.Kind, id string, missing error) error {
	_, err := t.Get(kind, id)
	if errors.Is(err, cloud.ErrNoRecord) {
		return missing
	}
	return err
}

// untrackedTarget is targetExists with EC2's wording for a missing id of
// the kind: "The <noun> ID '<id>' does not exist".
func untrackedTarget(t *cloud.Txn, kind cloud.Kind, noun, id string) error {
	return targetExists(t, kind, id, cloud.Errorf(cloud.NotFound, kind, "The %s ID '%s' does not exist", noun, id))
}

// checkGateway checks what GatewayId names: an internet gateway attached to
// the table's VPC, or a virtual private gateway.
func checkGateway(t *cloud.Txn, rt *RouteTable, id string) error {
	kind, _ := cloud.KindOfID(id)
	switch kind {
	case cloud.KindInternetGateway:
		igw, err := cloud.GetIn[InternetGateway](t, id)
		if err := IgnoreNotFound(err); err != nil {
			return err
		}
		if igw == nil {
			return gatewayNotFound(id)
		}
		if !igw.AttachedTo(rt.VpcID) {
			return DifferentNetworks(rt, "network gateway", id)
		}
		return nil
	case cloud.KindVPNGateway:
		return targetExists(t, cloud.KindVPNGateway, id, gatewayNotFound(id))
	}
	return gatewayNotFound(id)
}

// routeTarget checks the request's one target against the table's VPC and
// returns the route's target fields. A route to an instance is a route to
// its network interface.
func routeTarget(t *cloud.Txn, rt *RouteTable, spec Route) (Route, error) {
	switch {
	case spec.GatewayID != "":
		return Route{GatewayID: spec.GatewayID}, checkGateway(t, rt, spec.GatewayID)
	case spec.EgressOnlyIGWID != "":
		return Route{EgressOnlyIGWID: spec.EgressOnlyIGWID}, checkEgressOnlyTarget(t, rt, spec.EgressOnlyIGWID)
	case spec.NATGatewayID != "":
		return Route{NATGatewayID: spec.NATGatewayID}, checkNATTarget(t, rt, spec.NATGatewayID)
	case spec.InstanceID != "":
		eni, err := instanceTarget(t, rt, spec.InstanceID)
		return Route{NetworkInterfaceID: eni}, err
	case spec.NetworkInterfaceID != "":
		eni, err := cloud.GetIn[NetworkInterface](t, spec.NetworkInterfaceID)
		if err != nil {
			return Route{}, err
		}
		if eni.VpcID != rt.VpcID {
			return Route{}, DifferentNetworks(rt, "interface", eni.ID)
		}
		return Route{NetworkInterfaceID: eni.ID}, nil
	case spec.VPCEndpointID != "":
		return Route{VPCEndpointID: spec.VPCEndpointID}, checkEndpointTarget(t, rt, spec.VPCEndpointID)
	case spec.VPCPeeringConnectionID != "":
		return Route{VPCPeeringConnectionID: spec.VPCPeeringConnectionID}, checkPeeringTarget(t, rt, spec.VPCPeeringConnectionID)
	case spec.TransitGatewayID != "":
		return Route{TransitGatewayID: spec.TransitGatewayID}, untrackedTarget(t, cloud.KindTransitGateway, "transitGateway", spec.TransitGatewayID)
	case spec.LocalGatewayID != "":
		return Route{LocalGatewayID: spec.LocalGatewayID}, untrackedTarget(t, cloud.KindLocalGateway, "localGateway", spec.LocalGatewayID)
	case spec.CarrierGatewayID != "":
		return Route{CarrierGatewayID: spec.CarrierGatewayID}, untrackedTarget(t, cloud.KindCarrierGateway, "carrierGateway", spec.CarrierGatewayID)
	}
	// Cloud WAN core networks are not emulated: no ARN names one.
	return Route{}, cloud.InvalidParam("Value (%s) for parameter coreNetworkArn is invalid. The core network does not exist.", spec.CoreNetworkARN)
}

// checkEndpointTarget accepts a Gateway Load Balancer endpoint of the
// table's VPC: the only endpoints a route can target (gateway endpoints
// route through their own prefix-list routes).
func checkEndpointTarget(t *cloud.Txn, rt *RouteTable, id string) error {
	var e EndpointTarget
	ok := false
	if endpoints != nil {
		var err error
		if e, ok, err = endpoints.RouteTarget(t, id); err != nil {
			return err
		}
	}
	if !ok {
		return cloud.Missing(cloud.KindVPCEndpoint, id)
	}
	if e.VpcID != rt.VpcID {
		return DifferentNetworks(rt, "vpc endpoint", id)
	}
	if !e.GatewayLoadBalancer {
		return cloud.InvalidParam("Route target %s is not a Gateway Load Balancer endpoint. Only Gateway Load Balancer endpoints can be the target of a route.", id)
	}
	return nil
}

func checkEgressOnlyTarget(t *cloud.Txn, rt *RouteTable, id string) error {
	g, err := cloud.GetIn[EgressOnlyInternetGateway](t, id)
	if err != nil {
		return err
	}
	if !g.AttachedTo(rt.VpcID) {
		return DifferentNetworks(rt, "network gateway", id)
	}
	return nil
}

// checkNATTarget accepts a NAT gateway of the table's VPC that is pending or
// available.
func checkNATTarget(t *cloud.Txn, rt *RouteTable, id string) error {
	nat, err := cloud.GetIn[NATGateway](t, id)
	if err := IgnoreNotFound(err); err != nil {
		return err
	}
	if nat == nil || nat.State != "pending" && nat.State != "available" {
		return cloud.Errorf(cloud.NotFound, cloud.SubjectNATGatewayTarget, "The natGateway ID '%s' does not exist", id)
	}
	if nat.VpcID != rt.VpcID {
		return DifferentNetworks(rt, "NAT gateway", id)
	}
	return nil
}

// instanceTarget returns the one network interface of an instance in the
// table's VPC.
func instanceTarget(t *cloud.Txn, rt *RouteTable, id string) (string, error) {
	inst, err := cloud.GetIn[Instance](t, id)
	if err != nil {
		return "", err
	}
	switch inst.State {
	case "shutting-down", "terminated":
		return "", cloud.Errorf(cloud.IncorrectState, cloud.KindInstance, "The instance '%s' is not in a valid state for this operation.", id)
	}
	if inst.VpcID != rt.VpcID {
		return "", DifferentNetworks(rt, "instance", id)
	}
	if len(inst.NetworkInterfaces) != 1 {
		return "", cloud.Errorf(cloud.InvalidParameter, cloud.KindInstance, "There are multiple interfaces attached to instance '%s'. Please specify an interface ID for the operation instead.", id)
	}
	return inst.NetworkInterfaces[0], nil
}

// checkRoute applies the rules that tie a destination to its target: a
// destination inside the VPC's blocks goes only to an interface (or a
// Gateway Load Balancer endpoint), an egress-only gateway carries only
// IPv6, and a prefix list must be one of the caller's.
func checkRoute(t *cloud.Txn, vpc *VPC, r *Route) error {
	if id := r.DestinationPrefixListID; id != "" {
		return checkRoutePrefixList(t, r, id)
	}
	if r.EgressOnlyIGWID != "" && r.DestinationIPv6CIDR == "" {
		return egressOnlyIPv6(r)
	}
	p := netip.MustParsePrefix(r.Destination())
	blocks := vpc.Prefixes()
	if p.Addr().Is6() {
		blocks = vpc.IPv6Prefixes()
	}
	for _, b := range blocks {
		if cidr.Contains(b, p) && r.NetworkInterfaceID == "" && r.VPCEndpointID == "" {
			return cloud.InvalidParam("The destination CIDR block %s is equal to or more specific than one of this VPC's CIDR blocks. This route can target only an interface or an instance.", p)
		}
	}
	return nil
}

// egressOnlyIPv6 refuses a route of other traffic to an egress-only gateway.
func egressOnlyIPv6(r *Route) error {
	return cloud.InvalidParam("Value (%s) for parameter destination is invalid. An egress-only internet gateway routes only IPv6 traffic.", r.Destination())
}

// checkRoutePrefixList checks a route to a prefix list: one of the
// caller's customer-managed lists. AWS-managed lists are routed only by
// the routes of gateway endpoints, which the route APIs do not make.
func checkRoutePrefixList(t *cloud.Txn, r *Route, id string) error {
	p, err := prefixListFor(t, id)
	if err != nil {
		return err
	}
	if p.AWSManaged() {
		return cloud.InvalidParam("Value (%s) for parameter destinationPrefixListId is invalid. An AWS-managed prefix list can be a route destination only through a gateway VPC endpoint.", id)
	}
	if r.EgressOnlyIGWID != "" && p.AddressFamily != "IPv6" {
		return egressOnlyIPv6(r)
	}
	return nil
}

// checkRouteQuota applies the quota of routes a user adds to a table. A
// route to a prefix list counts the list's maximum entries; resizing, when
// set, is a list being resized: its new size counts.
func checkRouteQuota(t *cloud.Txn, rt *RouteTable, resizing *ManagedPrefixList) error {
	n := 0
	for _, r := range rt.Routes {
		if r.Origin != OriginCreateRoute {
			continue
		}
		if r.DestinationPrefixListID == "" {
			n++
			continue
		}
		w, _, err := prefixListWeight(t, r.DestinationPrefixListID, resizing)
		if err != nil {
			return err
		}
		n += w
	}
	if n > t.Limit("routes-per-route-table") {
		return cloud.Errorf(cloud.LimitExceeded, cloud.KindRoute, "The maximum number of routes has been reached.")
	}
	return nil
}

// withTarget is dest routed to target.
func withTarget(dest, target Route) Route {
	target.DestinationCIDR, target.DestinationIPv6CIDR, target.DestinationPrefixListID =
		dest.DestinationCIDR, dest.DestinationIPv6CIDR, dest.DestinationPrefixListID
	return target
}

// newRoute checks a CreateRoute/ReplaceRoute request against the table and
// returns the route it asks for.
func newRoute(t *cloud.Txn, rt *RouteTable, dest, spec Route) (Route, error) {
	vpc, err := cloud.GetIn[VPC](t, rt.VpcID)
	if err != nil {
		return Route{}, err
	}
	target, err := routeTarget(t, rt, spec)
	if err != nil {
		return Route{}, err
	}
	r := withTarget(dest, target)
	return r, checkRoute(t, vpc, &r)
}

// CreateRoute adds a route to a table. Asking again for a route that exists
// with the same target succeeds, as on AWS; another target for the same
// destination is refused.
func (c *Service) CreateRoute(ctx context.Context, who cloud.Caller, tableID string, spec Route) error {
	dest, err := routeDestination(spec)
	if err != nil {
		return err
	}
	if err := countTargets(spec, false); err != nil {
		return err
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		rt, err := cloud.GetIn[RouteTable](t, tableID)
		if err != nil {
			return err
		}
		r, err := newRoute(t, rt, dest, spec)
		if err != nil {
			return err
		}
		r.Origin = OriginCreateRoute
		// Even the same route again is refused: a destination names one
		// route, and AWS answers a repeated CreateRoute RouteAlreadyExists
		// (as Terraform users who re-apply a created route see).
		if rt.RouteIndex(&dest) >= 0 {
			return cloud.Errorf(cloud.Duplicate, cloud.KindRoute, "The route identified by %s already exists.", dest.Destination())
		}
		rt.Routes = append(rt.Routes, r)
		if err := checkRouteQuota(t, rt, nil); err != nil {
			return err
		}
		return cloud.Put(t, rt)
	})
}

// ReplaceRoute changes the target of a route. A local route can only be
// sent to an interface (or a Gateway Load Balancer endpoint), and set back
// to local with localTarget.
func (c *Service) ReplaceRoute(ctx context.Context, who cloud.Caller, tableID string, spec Route, localTarget bool) error {
	dest, err := routeDestination(spec)
	if err != nil {
		return err
	}
	if spec.GatewayID == "local" {
		spec.GatewayID, localTarget = "", true
	}
	if err := countTargets(spec, localTarget); err != nil {
		return err
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		rt, err := cloud.GetIn[RouteTable](t, tableID)
		if err != nil {
			return err
		}
		i := rt.RouteIndex(&dest)
		if i < 0 {
			return cloud.InvalidParam("There is no route defined for '%s' in the route table. Use CreateRoute instead.", dest.Destination())
		}
		old := rt.Routes[i]
		if old.IsEndpointRoute() {
			return cloud.InvalidParam("cannot replace VPC endpoint route %s in route table %s", dest.Destination(), rt.ID)
		}
		r := withTarget(dest, Route{GatewayID: "local"})
		if localTarget {
			if !old.IsLocal() {
				return cloud.InvalidParam("Value (true) for parameter localTarget is invalid. The route to %s is not a local route.", dest.Destination())
			}
		} else if r, err = newRoute(t, rt, dest, spec); err != nil {
			return err
		}
		r.Origin = old.Origin
		rt.Routes[i] = r
		return cloud.Put(t, rt)
	})
}

// DeleteRoute removes a route; local routes stay.
func (c *Service) DeleteRoute(ctx context.Context, who cloud.Caller, tableID string, spec Route) error {
	dest, err := routeDestination(spec)
	if err != nil {
		return err
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		rt, err := cloud.GetIn[RouteTable](t, tableID)
		if err != nil {
			return err
		}
		i := rt.RouteIndex(&dest)
		if i < 0 {
			return cloud.Errorf(cloud.NotFound, cloud.KindRoute, "no route with %s %s in route table %s", dest.destinationParam(), dest.Destination(), rt.ID)
		}
		if rt.Routes[i].IsLocal() {
			return cloud.InvalidParam("cannot remove local route %s in route table %s", dest.Destination(), rt.ID)
		}
		if rt.Routes[i].IsEndpointRoute() {
			return cloud.InvalidParam("cannot remove VPC endpoint route %s in route table %s", dest.Destination(), rt.ID)
		}
		rt.Routes = append(rt.Routes[:i:i], rt.Routes[i+1:]...)
		return cloud.Put(t, rt)
	})
}

// IsEndpointRoute reports whether the route is a gateway endpoint's route
// to its service's prefix list, which only the endpoint adds and removes.
func (r *Route) IsEndpointRoute() bool {
	return r.DestinationPrefixListID != "" && strings.HasPrefix(r.GatewayID, "vpce-")
}
