package pathtext

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/optional"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// sentences say in plain English why a path is blocked, one per
// explanation code, from the members the engine sets with that code. A
// code missing here is shown as the code alone.
var sentences = map[reach.Code]func(x why) string{
	reach.BadState: func(x why) string {
		return x.thing() + " is " + cmp.Or(optional.Value(x.State), "not in a working state") + ", so traffic does not pass"
	},
	reach.BadStateRoute: func(x why) string {
		return x.routeOf() + " cannot be used: its target is gone or unusable"
	},
	reach.CannotRoute: func(x why) string {
		return x.thing() + " cannot carry traffic to " + x.addr() + ": the address is not one it routes to"
	},
	reach.ENISGRulesMismatch: func(x why) string {
		s := x.groups() + " no " + x.way() + " rule for " + cmp.Or(x.flow(), "this traffic") + x.peer()
		field := strings.ReplaceAll(optional.Value(x.PacketField), "-", " ")
		switch {
		case x.SecurityGroupRule != nil && field != "":
			s += " (the closest rule, " + sgRule(x.SecurityGroupRule, x.ext.SecurityGroupRule) + ", differs in the " + field + ")"
		case field != "":
			s += " (no rule matches its " + field + ")"
		}
		return s
	},
	reach.ENISourceDestCheckRestriction: func(x why) string {
		return x.thing() + " receives traffic for " + x.addr() + ", which is not its own, and its source/destination check is on, so it drops it"
	},
	reach.HigherPriorityRoute: func(x why) string {
		return x.tableOf() + " sends " + x.blocks("the destination") + " by a route of higher priority, which drops the packet; otherwise " + x.otherRoute() + " would have carried it"
	},
	reach.MoreSpecificRoute: func(x why) string {
		return x.tableOf() + " sends " + x.blocks("the destination") + " by a more specific route, which drops the packet; otherwise " + x.otherRoute() + " would have carried it"
	},
	reach.IGWDestinationNotRFC1918: func(x why) string {
		return x.gateway() + " does not send traffic out to " + x.addr() + ", a private address (RFC 1918)"
	},
	reach.IGWDestinationNotRFC6598: func(x why) string {
		return x.gateway() + " does not send traffic out to " + x.addr() + ", a shared address (RFC 6598)"
	},
	reach.IGWNATReflection: func(x why) string {
		return "the packet would leave through " + x.gateway() + " and come back in to " + x.addr() + ", a public address of this network; the analyzer does not follow such hairpin paths"
	},
	reach.IGWPrivateIPForIngress: func(x why) string {
		return x.gateway() + " cannot take traffic from the internet to " + x.addr() + ": no interface in its VPC has that public address (or the destination has no public address)"
	},
	reach.IGWPublicIPForEgress: func(x why) string {
		return cmp.Or(optional.Value(x.Address), "the source") + " has no public IPv4 address, so " + x.gateway() + " cannot send its traffic to the internet (a NAT gateway or an Elastic IP would)"
	},
	reach.IGWSourceNotRFC1918: func(x why) string {
		return x.gateway() + " does not let in traffic from " + x.addr() + ", a private address (RFC 1918)"
	},
	reach.IGWSourceNotRFC6598: func(x why) string {
		return x.gateway() + " does not let in traffic from " + x.addr() + ", a shared address (RFC 6598)"
	},
	reach.NGWRequiresSourceInVPC: func(x why) string {
		return named("NAT gateway", x.NatGateway) + " only translates traffic from inside " + named("VPC", x.Vpc) + x.inBlocks() + "; " + x.addr() + " is outside"
	},
	reach.NoPossibleDestination: func(x why) string {
		switch {
		case x.NatGateway != nil:
			return named("NAT gateway", x.NatGateway) + " accepts no connections to " + x.addr() + ": it only passes the replies to traffic it sent"
		case x.VpcPeeringConnection != nil:
			return "the far side of " + named("peering connection", x.VpcPeeringConnection) + ", " + named("VPC", x.DestinationVpc) + x.where() + ", is outside what the caller can see"
		}
		return "nothing holds " + x.addr() + " in " + x.thing()
	},
	reach.NoRouteToDestination: func(x why) string {
		if optional.Value(x.MissingComponent) == "route-table" {
			return named("subnet", x.Subnet) + " has no route table"
		}
		if x.RouteTable == nil && x.Component != nil {
			// A virtual private gateway forwards only to prefixes on
			// premises advertises; on premises routes over a virtual
			// interface only to the VPC's CIDRs.
			return x.thing() + " has no route to " + x.addr() + x.inBlocks()
		}
		return x.tableOf() + x.ofSubnet() + " has no route to " + x.addr()
	},
	reach.PCXRequiresAddressInVPCCIDR: func(x why) string {
		return named("peering connection", x.VpcPeeringConnection) + " only carries traffic between the two VPCs' blocks; " + x.addr() + " is outside " + named("VPC", x.Vpc) + x.inBlocks()
	},
	reach.ELBv2ListenerHasNoTG: func(x why) string {
		return x.balancer() + " has no listener forwarding to a target group here" + x.listenerPort()
	},
	reach.ELBv2ListenerPortRestriction: func(x why) string {
		return x.balancer() + " has no listener on " + cmp.Or(portOrEmpty(x.LoadBalancerListenerPort), "the port asked for"+x.inPorts())
	},
	reach.ELBv2NoTargetsInAZ: func(x why) string {
		return named("target group", x.LoadBalancerTargetGroup) + " of " + x.balancer() +
			" has no registered target in " + cmp.Or(strings.Join(x.AvailabilityZones, ", "), "the zone") + ", and cross-zone load balancing is off"
	},
	reach.ELBv2SourceAddressPreservation: func(x why) string {
		return named("target group", x.LoadBalancerTargetGroup) + " of " + x.balancer() +
			" preserves the client's address, and the client is the target it picked: a target cannot reach itself through its load balancer"
	},
	reach.GWLBDestinationPortRestriction: func(x why) string {
		return x.balancer() + " sends GENEVE to its appliances on port 6081 only; the target listens on " + strconv.Itoa(int(optional.Value(x.Port)))
	},
	reach.GWLBProtocolRestriction: func(x why) string {
		return x.balancer() + " needs a GENEVE target group to reach its appliances; this one is " + strings.Join(x.Protocols, ", ")
	},
	reach.ProtocolRestriction: func(x why) string {
		return x.endpoint() + " carries TCP only, not " + strings.Join(x.Protocols, ", ")
	},
	reach.UnknownDestination: func(x why) string {
		n := "the destination"
		if x.Destination != nil {
			n = cmp.Or(firstSet(x.Destination.Name, x.Destination.Id), n)
		}
		return n + " does not resolve in " + named("VPC", x.Vpc) + " (no private hosted zone, endpoint, load balancer, service or instance answers it; private zones and endpoints' private DNS need the VPC's enableDnsSupport and enableDnsHostnames)"
	},
	reach.VPCEGatewayEgressSourceRestriction: func(x why) string {
		return x.endpoint() + " only carries traffic that starts in " + named("VPC", x.Vpc) + x.inBlocks() + "; " + x.addr() + " is outside"
	},
	reach.VPCEGatewayProtocolRestriction: func(x why) string {
		return x.endpoint() + " is a gateway endpoint: it carries TCP (and ping) only, not " + strings.Join(x.Protocols, ", ")
	},
	reach.VPCEIntraVPCTraffic: func(x why) string {
		return x.endpoint() + " cannot start connections: traffic only flows to it and back"
	},
	reach.VPCEServiceNotInstalledInAZ: func(x why) string {
		return x.thing() + " has no load balancer in " + cmp.Or(strings.Join(x.AvailabilityZones, ", "), "the zone") + ", where " + x.endpoint() + " has its interface"
	},
	reach.VpcemuVPCEPolicyRestriction: func(x why) string {
		s := "the policy of " + x.endpoint() + " does not allow this request"
		switch optional.Value(x.ext.PolicyDecision) {
		case "ExplicitDeny":
			s = "the policy of " + x.endpoint() + " denies this request (an explicit Deny)"
		case "ImplicitDeny":
			s += " (no statement allows it)"
		}
		return s
	},
	reach.SGHasNoRules: func(x why) string {
		switch len(x.SecurityGroups) {
		case 0:
			return "the security groups have no " + x.way() + " rules at all"
		case 1:
			return "security group " + names(x.SecurityGroups) + " has no " + x.way() + " rules at all"
		}
		return "security groups " + names(x.SecurityGroups) + " have no " + x.way() + " rules at all"
	},
	reach.SubnetACLRestriction: func(x why) string {
		s := named("network ACL", x.Acl) + x.ofSubnet() + " denies " + x.way() + " " + cmp.Or(x.flow(), "traffic") + x.peer()
		if x.AclRule != nil {
			s += " (" + aclRule(x.AclRule) + ")"
		}
		return s
	},
	reach.UnknownPeeredSGs: func(x why) string {
		return "a security group of " + x.thing() + " has a rule naming a group in a peered VPC the analysis cannot see; that rule admits nothing here"
	},
	reach.DisconnectedVPCs: func(x why) string {
		return named("VPC", x.SourceVpc) + " and " + named("VPC", x.DestinationVpc) + " are not connected: no peering connection joins them"
	},
	reach.NoPath: func(x why) string {
		switch {
		case len(x.Protocols) > 0:
			return "protocol " + strings.Join(x.Protocols, ", ") + " is not one the analysis handles (tcp, udp, icmp)"
		case optional.Value(x.MissingComponent) == "direct-connect-gateway-association":
			return "the Direct Connect gateway of " + x.thing() + " is not associated with " + named("virtual private gateway", x.VpnGateway) + " of " + named("VPC", x.Vpc)
		case optional.Value(x.MissingComponent) == "vpn-gateway":
			return named("VPC", x.Vpc) + " has no virtual private gateway attached"
		case x.MissingComponent != nil:
			return named("VPC", x.Vpc) + " has no " + strings.ReplaceAll(*x.MissingComponent, "-", " ")
		case x.Component != nil:
			return "the source and the destination are the same, " + x.thing()
		}
		return "no path leads to " + cmp.Or(optional.Value(x.Address), "the destination")
	},
	reach.NoSourceOrDestination: func(x why) string {
		switch {
		case x.Component != nil:
			return idOrARN(x.Component) + " does not exist in the caller's account and region"
		case x.Address != nil:
			return "no source sends from " + *x.Address
		}
		return "the path needs a source and a destination"
	},
	reach.UnassociatedComponent: func(x why) string {
		s := x.thing() + " is not attached to anything a path can use"
		if x.State != nil {
			s += " (it is " + *x.State + ")"
		}
		return s
	},
	reach.UnsupportedComponent: func(x why) string {
		if x.Component != nil {
			return "vpcemu cannot analyse a path through " + x.thing() + " yet"
		}
		return "vpcemu cannot answer this question yet"
	},
	reach.FilterAtSourceSrcAddr: func(x why) string {
		return named("network interface", x.NetworkInterface) + " does not send from " + x.addr() + ": the address is not its own and its source/destination check is on"
	},
	reach.FilterAtSourceDstAddr: func(x why) string {
		return named("network interface", x.NetworkInterface) + " does not hold " + x.addr() + ", the destination address asked for"
	},
	reach.FilterAtSourceDstPorts: func(x why) string {
		port := "the destination port"
		if x.Port != nil {
			port = "port " + strconv.Itoa(int(*x.Port))
		}
		return port + " is outside the destination ports asked for" + x.inPorts()
	},
	reach.FilterAtDestSrcAddr: func(x why) string {
		return "the packet reaches the destination from " + x.addr() + ", not from the source address asked for"
	},
	reach.FilterAtDestSrcPorts: func(x why) string {
		return "the packet reaches the destination from ports outside those asked for" + x.inPorts()
	},
	reach.FilterAtDestDstAddr: func(x why) string {
		s := "the packet reaches the destination at " + x.addr() + ", not at the address asked for"
		if x.NetworkInterface != nil {
			s = named("network interface", x.NetworkInterface) + " does not hold " + x.addr() + ", the destination address asked for"
		}
		return s
	},
	reach.FilterAtDestDstPorts: func(x why) string {
		return "the packet reaches the destination on ports outside those asked for" + x.inPorts()
	},
	reach.ComponentFilterRestriction: func(x why) string {
		return "the path found does not go through " + x.thing() + ", which the analysis was asked to include"
	},
	reach.ComponentFilterRemoved: func(x why) string {
		return "the path goes through " + x.thing() + ", which the analysis was asked to exclude"
	},
	reach.IGWExpectsPublicAddr: func(x why) string {
		return x.thing() + " stands for the internet, and " + x.addr() + " is not a public address"
	},
	reach.VpcemuDXVIFDown: func(x why) string {
		return x.thing() + " is " + cmp.Or(optional.Value(x.State), "down") + " with no BGP session up, so nothing crosses it and its gateways learn no routes from on premises"
	},
	reach.VpcemuDXPrefixNotAllowed: func(x why) string {
		return "the Direct Connect gateway's association with " + named("virtual private gateway", x.VpnGateway) + " allows" + x.inBlocks() +
			" no prefix the same as or wider than the CIDR of " + named("VPC", x.Vpc) + " that holds " + x.addr() + ", so on premises has no route to it"
	},
	reach.VpcemuRoutingLoop: func(x why) string {
		return "the route tables send the packet round in a loop (through " + x.tableOf() + ") and it never arrives"
	},
}

// explain is x's code and, when the table has one, its sentence:
// "ENI_SG_RULES_MISMATCH — security group sg-… has no inbound rule …".
func explain(x why) string {
	code := optional.Value(x.ExplanationCode)
	if say := sentences[reach.Code(code)]; say != nil {
		return code + " — " + say(x)
	}
	return code
}

// why is an explanation of the answer with vpcemu's extension of it, and
// the phrases its sentences share.
type why struct {
	ec2api.Explanation
	ext analyzer.ExplanationExtension
}

// named is "kind id (Name)", or "the kind" when c is not set.
func named(kind string, c *ec2api.AnalysisComponent) string {
	if c == nil {
		return "the " + kind
	}
	return kind + " " + name(c)
}

// addr is the address the explanation names.
func (x why) addr() string { return cmp.Or(optional.Value(x.Address), "the packet's address") }

// blocks are the address blocks the explanation names, or what.
func (x why) blocks(what string) string {
	if len(x.Cidrs) == 0 {
		return what
	}
	return strings.Join(x.Cidrs, ", ")
}

// inBlocks is " (10.0.0.0/16)": the blocks of a VPC, if given.
func (x why) inBlocks() string {
	if len(x.Cidrs) == 0 {
		return ""
	}
	return " (" + strings.Join(x.Cidrs, ", ") + ")"
}

// inPorts is " (443)": the port ranges asked for, if given.
func (x why) inPorts() string {
	if len(x.PortRanges) == 0 {
		return ""
	}
	return " (" + portList(x.PortRanges) + ")"
}

// thing is the component the explanation is about: "instance i-… (web)".
func (x why) thing() string {
	c := cmp.Or(x.Component, x.NetworkInterface, x.Subnet, x.Vpc)
	if c == nil {
		return "the component"
	}
	return kindOf(c) + " " + name(c)
}

func (x why) gateway() string {
	if x.InternetGateway == nil && x.Component != nil {
		return x.thing()
	}
	return named("internet gateway", x.InternetGateway)
}

func (x why) tableOf() string {
	if x.RouteTable != nil {
		return "route table " + name(x.RouteTable)
	}
	return "the route table"
}

func (x why) routeOf() string {
	if x.RouteTableRoute == nil {
		return "a route of " + x.tableOf()
	}
	return "the " + route(x.RouteTableRoute) + " of " + x.tableOf()
}

// otherRoute is the route a table would have taken but for the one that
// dropped the packet.
func (x why) otherRoute() string {
	if x.RouteTableRoute == nil {
		return "another route"
	}
	return "its " + route(x.RouteTableRoute)
}

func (x why) ofSubnet() string {
	if x.Subnet == nil {
		return ""
	}
	return " of subnet " + name(x.Subnet)
}

// groups starts a sentence about the security groups checked.
func (x why) groups() string {
	switch {
	case x.SecurityGroup != nil:
		return "security group " + name(x.SecurityGroup) + " has"
	case len(x.SecurityGroups) > 0:
		return "none of security groups " + names(x.SecurityGroups) + " has"
	}
	return x.thing() + " has"
}

// way is the direction as rules name it: inbound or outbound.
func (x why) way() string {
	if optional.Value(x.Direction) == "egress" {
		return "outbound"
	}
	return "inbound"
}

// flow is the traffic: tcp/443 ("" when the explanation does not say).
func (x why) flow() string {
	if len(x.Protocols) == 0 {
		return ""
	}
	ports := x.PortRanges
	if x.Port != nil {
		ports = []ec2api.PortRange{{From: x.Port, To: x.Port}}
	}
	return flowOf(strings.Join(x.Protocols, ","), ports)
}

// peer is " from 10.0.1.5" (inbound) or " to 10.0.2.4" (outbound).
func (x why) peer() string {
	addrs := x.Addresses
	if len(addrs) == 0 && x.Address != nil {
		addrs = []string{*x.Address}
	}
	if len(addrs) == 0 {
		return ""
	}
	if optional.Value(x.Direction) == "egress" {
		return " to " + strings.Join(addrs, ", ")
	}
	return " from " + strings.Join(addrs, ", ")
}

// where is " (account 222222222222, us-west-2)" for a component of
// another scope.
func (x why) where() string {
	parts := nonEmpty(optional.Value(x.ComponentAccount), optional.Value(x.ComponentRegion))
	if len(parts) == 0 {
		return ""
	}
	if x.ComponentAccount != nil {
		parts[0] = "account " + parts[0]
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// balancer is the load balancer the explanation names.
func (x why) balancer() string {
	if x.LoadBalancerArn == nil {
		return x.thing()
	}
	return "load balancer " + name(&ec2api.AnalysisComponent{Id: x.LoadBalancerArn})
}

// listenerPort is " (listener on 443)", if the explanation names one.
func (x why) listenerPort() string {
	if x.LoadBalancerListenerPort == nil {
		return ""
	}
	return " (listener on " + strconv.Itoa(int(*x.LoadBalancerListenerPort)) + ")"
}

// endpoint is the VPC endpoint the explanation names.
func (x why) endpoint() string {
	if x.VpcEndpoint == nil {
		return x.thing()
	}
	return named("VPC endpoint", x.VpcEndpoint)
}

func portOrEmpty(p *int32) string {
	if p == nil {
		return ""
	}
	return "port " + strconv.Itoa(int(*p))
}
