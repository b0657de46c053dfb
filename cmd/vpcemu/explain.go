package main

import (
	"cmp"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/ipproto"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// printResult writes an analysis for people: the forward path one hop a
// line (sequence, kind, component, what let the packet through), then the
// return path, then "reachable"; or the path so far, the component that
// blocked it with its rule, and a "blocked:" line per explanation.
func printResult(w io.Writer, r reach.Result) {
	var blocked *reach.Explanation
	if !r.NetworkPathFound && len(r.Explanations) > 0 {
		blocked = &r.Explanations[0]
	}
	onReturn := len(r.ReturnPathComponents) > 0
	if len(r.ForwardPathComponents) > 0 {
		printPath(w, "Forward path", r.ForwardPathComponents, blockedIf(blocked, !onReturn))
	}
	if onReturn {
		printPath(w, "Return path", r.ReturnPathComponents, blockedIf(blocked, true))
	}
	if r.NetworkPathFound {
		fmt.Fprintf(w, "reachable%s\n", summary(r))
		return
	}
	for i, e := range r.Explanations {
		label := "blocked"
		if i > 0 {
			label = "   also"
		}
		fmt.Fprintf(w, "%s: %s\n", label, explain(e))
	}
	if len(r.Explanations) == 0 {
		fmt.Fprintln(w, "blocked: no explanation given")
	}
}

func blockedIf(e *reach.Explanation, here bool) *reach.Explanation {
	if here {
		return e
	}
	return nil
}

// printPath writes the hops of one direction, and the component that
// blocked it, if any, on a last line marked x.
func printPath(w io.Writer, title string, path []reach.PathComponent, blocked *reach.Explanation) {
	fmt.Fprintln(w, title)
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 4, 2, ' ', 0)
	for _, pc := range path {
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\n", pc.SequenceNumber, kindOf(pc.Component), name(pc.Component), hopDetail(pc))
	}
	if blocked != nil && blocked.Component != nil {
		fmt.Fprintf(tw, "  x\t%s\t%s\t%s\n", kindOf(blocked.Component), name(blocked.Component), blockDetail(*blocked))
	}
	tw.Flush()
	for line := range strings.Lines(table.String()) {
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
}

// summary says what got through: the protocol and port, from the first
// hop to the last.
func summary(r reach.Result) string {
	path := r.ForwardPathComponents
	if len(path) == 0 {
		return ""
	}
	first, last := path[0], path[len(path)-1]
	s := ": "
	if h := first.OutboundHeader; h != nil {
		s += flowOf(h.Protocol, h.DestinationPortRanges) + " "
	}
	to := name(last.Component)
	if last.ServiceName != "" {
		to = last.ServiceName + " through " + to
	}
	return s + "from " + name(first.Component) + " to " + to + " and back"
}

// hopDetail is what a hop did: the rule or route that let the packet
// through, where an interface is, the packet as it left or arrived.
func hopDetail(pc reach.PathComponent) string {
	var parts []string
	switch {
	case pc.SecurityGroupRule != nil:
		parts = append(parts, sgRule(pc.SecurityGroupRule))
	case pc.Component != nil && strings.HasPrefix(pc.Component.ID, "sg-"):
		parts = append(parts, "lets the reply of the connection through (stateful)")
	}
	if pc.ACLRule != nil {
		parts = append(parts, aclRule(pc.ACLRule))
	}
	if pc.RouteTableRoute != nil {
		parts = append(parts, route(pc.RouteTableRoute))
	}
	if pc.SourceVpc != nil && pc.DestinationVpc != nil {
		parts = append(parts, name(pc.SourceVpc)+" to "+name(pc.DestinationVpc))
	}
	if pc.Subnet != nil && pc.AttachedTo != nil {
		parts = append(parts, "of "+name(pc.AttachedTo)+" in "+name(pc.Subnet))
	} else if pc.Subnet != nil && pc.RouteTableRoute == nil && pc.ACLRule == nil {
		parts = append(parts, "in "+name(pc.Subnet))
	}
	if pc.ServiceName != "" {
		parts = append(parts, "to "+pc.ServiceName)
	}
	switch in, out := pc.InboundHeader, pc.OutboundHeader; {
	case in != nil && out != nil && header(in) == header(out):
		parts = append(parts, "carries "+header(in))
	case in != nil && out != nil:
		parts = append(parts, "translates "+header(in)+" to "+header(out))
	case out != nil:
		parts = append(parts, "sends "+header(out))
	case in != nil:
		parts = append(parts, "receives "+header(in))
	}
	return strings.Join(parts, "; ")
}

// blockDetail is the rule or route a blocking component applied, or the
// groups it checked.
func blockDetail(e reach.Explanation) string {
	switch {
	case e.ACLRule != nil:
		return aclRule(e.ACLRule)
	case e.RouteTableRoute != nil:
		return route(e.RouteTableRoute)
	case e.SecurityGroupRule != nil:
		return "closest rule: " + sgRule(e.SecurityGroupRule)
	case len(e.SecurityGroups) == 1:
		return "security group " + names(e.SecurityGroups)
	case len(e.SecurityGroups) > 1:
		return "security groups " + names(e.SecurityGroups)
	}
	return ""
}

// header is a packet: source, destination and protocol.
func header(h *reach.PacketHeader) string {
	p := protocolName(h.Protocol)
	if p == "icmp" { // its "ports" are message types: an echo request and its reply
		return endpoint(h.SourceAddresses, nil) + " -> " + endpoint(h.DestinationAddresses, nil) + " icmp"
	}
	return endpoint(h.SourceAddresses, h.SourcePortRanges) + " -> " + endpoint(h.DestinationAddresses, h.DestinationPortRanges) + " " + p
}

func endpoint(addrs []string, ports []reach.PortRange) string {
	hosts := make([]string, len(addrs))
	for i, a := range addrs {
		hosts[i] = strings.TrimSuffix(a, "/32")
	}
	s := strings.Join(hosts, ",")
	if len(ports) > 0 {
		s += ":" + portList(ports)
	}
	return s
}

// sgRule is a security group rule as people write it: "ingress tcp 443
// from 10.0.0.0/16".
func sgRule(r *reach.SecurityGroupRule) string {
	dir := "from"
	if r.Direction == "egress" {
		dir = "to"
	}
	peer := cmp.Or(r.CIDR, r.PrefixListID, r.ReferencedGroupID)
	return strings.Join(nonEmpty(r.Direction, protocolName(r.Protocol), portRange(r.PortRange), dir, peer), " ")
}

// aclRule is a network ACL rule: "inbound rule 100 allow all from
// 0.0.0.0/0" (the default rule is *).
func aclRule(r *reach.ACLRule) string {
	dir, peer := "inbound", "from"
	if r.Egress {
		dir, peer = "outbound", "to"
	}
	n := strconv.Itoa(r.RuleNumber)
	if r.RuleNumber == 32767 {
		n = "*"
	}
	return strings.Join(nonEmpty(dir, "rule", n, r.RuleAction, protocolName(r.Protocol), portRange(r.PortRange), peer, r.CIDR), " ")
}

// route is a route: "route 10.0.0.0/16 -> local".
func route(r *reach.RouteTableRoute) string {
	s := "route " + cmp.Or(r.DestinationCIDR, r.DestinationPrefixListID) + " -> " + cmp.Or(r.GatewayID, r.NATGatewayID,
		r.VPCPeeringConnectionID, r.NetworkInterfaceID, r.InstanceID, r.TransitGatewayID, r.EgressOnlyInternetGatewayID,
		r.CarrierGatewayID, r.LocalGatewayID, r.CoreNetworkARN)
	if r.State != "" && r.State != "active" {
		s += " (" + r.State + ")"
	}
	return s
}

// protocolName names a protocol given by number or name ("6" is tcp,
// "-1" all).
func protocolName(p string) string {
	if proto, ok := ipproto.Parse(p); ok {
		return proto.String()
	}
	return p
}

func portRange(r *reach.PortRange) string {
	if r == nil {
		return ""
	}
	return portList([]reach.PortRange{*r})
}

// portList is port ranges as people write them: 443, 1024-65535.
func portList(rs []reach.PortRange) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = strconv.Itoa(r.From)
		if r.To != r.From {
			out[i] += "-" + strconv.Itoa(r.To)
		}
	}
	return strings.Join(out, ",")
}

// flowOf is traffic as "tcp/443" (icmp has no ports).
func flowOf(protocol string, ports []reach.PortRange) string {
	p := protocolName(protocol)
	if len(ports) == 0 || p == "icmp" || p == "all" {
		return p
	}
	return p + "/" + portList(ports)
}

// name is a component as "id (Name tag)".
func name(c *reach.Component) string {
	if c == nil {
		return "?"
	}
	id := shortID(c)
	if c.Name != "" {
		return id + " (" + c.Name + ")"
	}
	return id
}

// shortID is a component's id, or for the load balancers, listeners and
// target groups that go by their ARNs, the ARN's resource without its
// type (net/api/0123456789abcdef), as the console names them.
func shortID(c *reach.Component) string {
	id := cmp.Or(c.ID, c.ARN)
	if _, ok := cloud.ELBKindOfARN(id); ok {
		_, res, _ := strings.Cut(id[strings.LastIndex(id, ":")+1:], "/")
		return res
	}
	return id
}

func names(cs []reach.Component) string {
	out := make([]string, len(cs))
	for i := range cs {
		out[i] = name(&cs[i])
	}
	return strings.Join(out, ", ")
}

// kindNames are the kinds whose names people write otherwise than
// cloud.Kind does ("natgateway").
var kindNames = map[cloud.Kind]string{
	cloud.KindNATGateway: "NAT gateway", cloud.KindNetworkACL: "network ACL", cloud.KindVPC: "VPC",
	cloud.KindVPCEndpoint: "VPC endpoint", cloud.KindVPCEndpointService: "endpoint service",
	cloud.KindVPCPeering: "peering connection", cloud.KindVPNGateway: "virtual private gateway",
}

// kindOf is the kind of component c is, by its id ("security group").
func kindOf(c *reach.Component) string {
	if c == nil {
		return ""
	}
	k, ok := cloud.KindOfID(c.ID)
	if !ok {
		// Load balancers, listeners and target groups go by their ARNs.
		if k, ok = cloud.ELBKindOfARN(cmp.Or(c.ID, c.ARN)); !ok {
			return "component"
		}
	}
	if n, ok := kindNames[k]; ok {
		return n
	}
	return strings.ReplaceAll(string(k), "-", " ")
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
