package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/ipproto"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// hop is a hop of the answer with vpcemu's extension of it.
type hop struct {
	ec2api.PathComponent
	ext analyzer.PathComponentExtension
}

// printAnswer writes an analysis for people: the forward path one hop a
// line (sequence, kind, component, what let the packet through), then the
// return path, then "reachable"; or the path so far, the component that
// blocked it with its rule, and a "blocked:" line per explanation.
func printAnswer(w io.Writer, a analyzer.Answer) {
	var blocked *why
	if !a.Found() && len(a.Explanations) > 0 {
		blocked = &why{a.Explanations[0], a.VpcemuExtension.Explanation(0)}
	}
	forward := hops(a.ForwardPathComponents, a.VpcemuExtension.Forward)
	onReturn := len(a.ReturnPathComponents) > 0
	if len(forward) > 0 {
		printPath(w, "Forward path", forward, blockedIf(blocked, !onReturn))
	}
	if onReturn {
		printPath(w, "Return path", hops(a.ReturnPathComponents, a.VpcemuExtension.Return), blockedIf(blocked, true))
	}
	if a.Found() {
		fmt.Fprintf(w, "reachable%s\n", summary(forward))
		return
	}
	for i, e := range a.Explanations {
		label := "blocked"
		if i > 0 {
			label = "   also"
		}
		fmt.Fprintf(w, "%s: %s\n", label, explain(why{e, a.VpcemuExtension.Explanation(i)}))
	}
	if len(a.Explanations) == 0 {
		fmt.Fprintln(w, "blocked: no explanation given")
	}
}

// hops pairs the hops of a path with their extensions.
func hops(path []ec2api.PathComponent, ext func(int) analyzer.PathComponentExtension) []hop {
	out := make([]hop, len(path))
	for i, pc := range path {
		out[i] = hop{pc, ext(i)}
	}
	return out
}

func blockedIf(e *why, here bool) *why {
	if here {
		return e
	}
	return nil
}

// printPath writes the hops of one direction, and the component that
// blocked it, if any, on a last line marked x.
func printPath(w io.Writer, title string, path []hop, blocked *why) {
	fmt.Fprintln(w, title)
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 4, 2, ' ', 0)
	for _, h := range path {
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\n", optional.Value(h.SequenceNumber), kindOf(h.Component), name(h.Component), hopDetail(h))
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
func summary(path []hop) string {
	if len(path) == 0 {
		return ""
	}
	first, last := path[0], path[len(path)-1]
	s := ": "
	if h := first.OutboundHeader; h != nil {
		s += flowOf(optional.Value(h.Protocol), h.DestinationPortRanges) + " "
	}
	to := name(last.Component)
	if last.ServiceName != nil {
		to = *last.ServiceName + " through " + to
	}
	return s + "from " + name(first.Component) + " to " + to + " and back"
}

// hopDetail is what a hop did: the rule or route that let the packet
// through, where an interface is, the packet as it left or arrived.
func hopDetail(h hop) string {
	var parts []string
	switch {
	case h.SecurityGroupRule != nil:
		parts = append(parts, sgRule(h.SecurityGroupRule, h.ext.SecurityGroupRule))
	case h.Component != nil && strings.HasPrefix(optional.Value(h.Component.Id), "sg-"):
		parts = append(parts, "lets the reply of the connection through (stateful)")
	}
	if h.AclRule != nil {
		parts = append(parts, aclRule(h.AclRule))
	}
	if h.RouteTableRoute != nil {
		parts = append(parts, route(h.RouteTableRoute))
	}
	if h.SourceVpc != nil && h.DestinationVpc != nil {
		parts = append(parts, name(h.SourceVpc)+" to "+name(h.DestinationVpc))
	}
	if h.Subnet != nil && h.AttachedTo != nil {
		parts = append(parts, "of "+name(h.AttachedTo)+" in "+name(h.Subnet))
	} else if h.Subnet != nil && h.RouteTableRoute == nil && h.AclRule == nil {
		parts = append(parts, "in "+name(h.Subnet))
	}
	if h.ServiceName != nil {
		parts = append(parts, "to "+*h.ServiceName)
	}
	switch in, out := h.InboundHeader, h.OutboundHeader; {
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
func blockDetail(e why) string {
	switch {
	case e.AclRule != nil:
		return aclRule(e.AclRule)
	case e.RouteTableRoute != nil:
		return route(e.RouteTableRoute)
	case e.SecurityGroupRule != nil:
		return "closest rule: " + sgRule(e.SecurityGroupRule, e.ext.SecurityGroupRule)
	case len(e.SecurityGroups) == 1:
		return "security group " + names(e.SecurityGroups)
	case len(e.SecurityGroups) > 1:
		return "security groups " + names(e.SecurityGroups)
	}
	return ""
}

// header is a packet: source, destination and protocol.
func header(h *ec2api.AnalysisPacketHeader) string {
	p := protocolName(optional.Value(h.Protocol))
	if p == "icmp" { // its "ports" are message types: an echo request and its reply
		return endpoint(h.SourceAddresses, nil) + " -> " + endpoint(h.DestinationAddresses, nil) + " icmp"
	}
	return endpoint(h.SourceAddresses, h.SourcePortRanges) + " -> " + endpoint(h.DestinationAddresses, h.DestinationPortRanges) + " " + p
}

func endpoint(addrs []string, ports []ec2api.PortRange) string {
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
// from 10.0.0.0/16"; ext is vpcemu's extension of it (the group it
// references).
func sgRule(r *ec2api.AnalysisSecurityGroupRule, ext *analyzer.SecurityGroupRuleExtension) string {
	direction := optional.Value(r.Direction)
	dir := "from"
	if direction == "egress" {
		dir = "to"
	}
	var referenced *string
	if ext != nil {
		referenced = ext.ReferencedGroupId
	}
	peer := firstSet(r.Cidr, r.PrefixListId, referenced)
	return strings.Join(nonEmpty(direction, protocolName(optional.Value(r.Protocol)), portRange(r.PortRange), dir, peer), " ")
}

// aclRule is a network ACL rule: "inbound rule 100 allow all from
// 0.0.0.0/0" (the default rule is *).
func aclRule(r *ec2api.AnalysisAclRule) string {
	dir, peer := "inbound", "from"
	if optional.Value(r.Egress) {
		dir, peer = "outbound", "to"
	}
	n := strconv.Itoa(int(optional.Value(r.RuleNumber)))
	if optional.Value(r.RuleNumber) == 32767 {
		n = "*"
	}
	return strings.Join(nonEmpty(dir, "rule", n, optional.Value(r.RuleAction), protocolName(optional.Value(r.Protocol)), portRange(r.PortRange), peer, optional.Value(r.Cidr)), " ")
}

// route is a route: "route 10.0.0.0/16 -> local".
func route(r *ec2api.AnalysisRouteTableRoute) string {
	s := "route " + firstSet(r.DestinationCidr, r.DestinationPrefixListId) + " -> " + firstSet(r.GatewayId, r.NatGatewayId,
		r.VpcPeeringConnectionId, r.NetworkInterfaceId, r.InstanceId, r.TransitGatewayId, r.EgressOnlyInternetGatewayId,
		r.CarrierGatewayId, r.LocalGatewayId, r.CoreNetworkArn)
	if state := optional.Value(r.State); state != "" && state != "active" {
		s += " (" + state + ")"
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

func portRange(r *ec2api.PortRange) string {
	if r == nil {
		return ""
	}
	return portList([]ec2api.PortRange{*r})
}

// portList is port ranges as people write them: 443, 1024-65535.
func portList(rs []ec2api.PortRange) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		from, to := optional.Value(r.From), optional.Value(r.To)
		out[i] = strconv.Itoa(int(from))
		if to != from {
			out[i] += "-" + strconv.Itoa(int(to))
		}
	}
	return strings.Join(out, ",")
}

// flowOf is traffic as "tcp/443" (icmp has no ports).
func flowOf(protocol string, ports []ec2api.PortRange) string {
	p := protocolName(protocol)
	if len(ports) == 0 || p == "icmp" || p == "all" {
		return p
	}
	return p + "/" + portList(ports)
}

// name is a component as "id (Name tag)".
func name(c *ec2api.AnalysisComponent) string {
	if c == nil {
		return "?"
	}
	id := shortID(c)
	if n := optional.Value(c.Name); n != "" {
		return id + " (" + n + ")"
	}
	return id
}

// shortID is a component's id, or for the load balancers, listeners and
// target groups that go by their ARNs, the ARN's resource without its
// type (net/api/0123456789abcdef), as the console names them.
func shortID(c *ec2api.AnalysisComponent) string {
	id := idOrARN(c)
	if _, ok := elb.ELBKindOfARN(id); ok {
		_, res, _ := strings.Cut(id[strings.LastIndex(id, ":")+1:], "/")
		return res
	}
	return id
}

func idOrARN(c *ec2api.AnalysisComponent) string { return firstSet(c.Id, c.Arn) }

// firstSet is the first of the members that is set and not empty.
func firstSet(members ...*string) string {
	for _, m := range members {
		if v := optional.Value(m); v != "" {
			return v
		}
	}
	return ""
}

func names(cs []ec2api.AnalysisComponent) string {
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
	cloud.KindDXVirtualInterface: "Direct Connect virtual interface",
}

// kindOf is the kind of component c is, by its id ("security group").
func kindOf(c *ec2api.AnalysisComponent) string {
	if c == nil {
		return ""
	}
	k, ok := cloud.KindOfID(optional.Value(c.Id))
	if !ok && strings.HasPrefix(optional.Value(c.Arn), "arn:aws:directconnect::") && strings.Contains(optional.Value(c.Arn), ":dx-gateway/") {
		// A Direct Connect gateway goes by a UUID, and a global ARN.
		return "Direct Connect gateway"
	}
	if !ok {
		// Load balancers, listeners and target groups go by their ARNs.
		if k, ok = elb.ELBKindOfARN(idOrARN(c)); !ok {
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
