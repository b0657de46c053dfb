// Package pathtext words a reachability answer for people: the hops of
// each path with the rule or route that let the packet through, the
// component that blocked it, and a sentence per explanation code.
// `vpcemu analyze` prints it and the web view shows it, so both say the
// same thing.
package pathtext

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

// Text is an analysis worded for people, in the parts a page lays out
// and Print writes: each hop with what let the packet through, the
// component that blocked it with its rule, a sentence per explanation.
type Text struct {
	Found bool `json:"found"`
	// Forward and Return are the paths, hop by hop.
	Forward []Hop `json:"forward"`
	Return  []Hop `json:"return"`
	// Blocked is the component that blocked the path, or nil; BlockedOn
	// says which path it ends: "forward" or "return".
	Blocked   *Hop   `json:"blocked,omitempty"`
	BlockedOn string `json:"blockedOn,omitempty"`
	// Summary says what got through, when found: "tcp/443 from … to …
	// and back".
	Summary string `json:"summary,omitempty"`
	// Why has a sentence per explanation, the first the block's.
	Why []string `json:"why"`
}

// Hop is one component of a path: its sequence number (0 for the
// blocking component), its kind ("security group"), id or ARN, name as
// people read it ("id (Name tag)"), and what it did.
type Hop struct {
	Seq    int    `json:"seq"`
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Name   string `json:"name"`
	Detail string `json:"detail"`
	// At is, for the blocking component, where it blocked: the id of the
	// interface, else the subnet, else the VPC its explanation names (a
	// security group or a network ACL is not where a packet is).
	At string `json:"at,omitempty"`
}

// hop is a hop of the answer with vpcemu's extension of it.
type hop struct {
	ec2api.PathComponent
	ext analyzer.PathComponentExtension
}

// Render words an analysis.
func Render(a analyzer.Answer) Text {
	t := Text{Found: a.Found(), Why: []string{}}
	forward := hops(a.ForwardPathComponents, a.VpcemuExtension.Forward)
	t.Forward, t.Return = worded(forward), worded(hops(a.ReturnPathComponents, a.VpcemuExtension.Return))
	if t.Found {
		t.Summary = summary(forward)
		return t
	}
	for i, e := range a.Explanations {
		t.Why = append(t.Why, explain(why{e, a.VpcemuExtension.Explanation(i)}))
	}
	if len(a.Explanations) > 0 && a.Explanations[0].Component != nil {
		b := why{a.Explanations[0], a.VpcemuExtension.Explanation(0)}
		t.Blocked = &Hop{Kind: kindOf(b.Component), ID: idOrARN(b.Component), Name: name(b.Component), Detail: blockDetail(b),
			At: firstSet(idOf(b.NetworkInterface), idOf(b.Subnet), idOf(b.Vpc))}
		t.BlockedOn = "forward"
		if len(t.Return) > 0 {
			t.BlockedOn = "return"
		}
	}
	return t
}

func worded(path []hop) []Hop {
	out := make([]Hop, len(path))
	for i, h := range path {
		out[i] = Hop{Seq: int(optional.Value(h.SequenceNumber)), Kind: kindOf(h.Component), ID: ref(h.Component), Name: name(h.Component), Detail: hopDetail(h)}
	}
	return out
}

// Print writes an analysis for people: the forward path one hop a line
// (sequence, kind, component, what let the packet through), then the
// return path, then "reachable"; or the path so far, the component that
// blocked it with its rule, and a "blocked:" line per explanation.
func Print(w io.Writer, a analyzer.Answer) {
	t := Render(a)
	onReturn := len(t.Return) > 0
	if len(t.Forward) > 0 {
		printPath(w, "Forward path", t.Forward, blockedIf(t.Blocked, !onReturn))
	}
	if onReturn {
		printPath(w, "Return path", t.Return, blockedIf(t.Blocked, true))
	}
	if t.Found {
		s := ""
		if t.Summary != "" {
			s = ": " + t.Summary
		}
		fmt.Fprintf(w, "reachable%s\n", s)
		return
	}
	for i, s := range t.Why {
		label := "blocked"
		if i > 0 {
			label = "   also"
		}
		fmt.Fprintf(w, "%s: %s\n", label, s)
	}
	if len(t.Why) == 0 {
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

func blockedIf(h *Hop, here bool) *Hop {
	if here {
		return h
	}
	return nil
}

// printPath writes the hops of one direction, and the component that
// blocked it, if any, on a last line marked x.
func printPath(w io.Writer, title string, path []Hop, blocked *Hop) {
	fmt.Fprintln(w, title)
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 4, 2, ' ', 0)
	for _, h := range path {
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\n", h.Seq, h.Kind, h.Name, h.Detail)
	}
	if blocked != nil {
		fmt.Fprintf(tw, "  x\t%s\t%s\t%s\n", blocked.Kind, blocked.Name, blocked.Detail)
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
	s := ""
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

// idOf is a component's id, if any.
func idOf(c *ec2api.AnalysisComponent) *string {
	if c == nil {
		return nil
	}
	return c.Id
}

// ref is a component's id or ARN, "" for none: what a page links to.
func ref(c *ec2api.AnalysisComponent) string {
	if c == nil {
		return ""
	}
	return idOrARN(c)
}

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
