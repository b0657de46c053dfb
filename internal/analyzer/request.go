package analyzer

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// Request is the question POST /_vpcemu/analyze takes, as JSON: where the
// traffic comes from and goes to, and what it is.
type Request struct {
	// From is the source: a resource id (i-, eni-, igw-, vpce-, …), its
	// ARN, or an IP address.
	From string `json:"from"`
	// To is the destination: as From, or a DNS name the source resolves.
	To string `json:"to"`
	// Port is the destination port; 0 is any port.
	Port int `json:"port,omitempty"`
	// Protocol is tcp (the default), udp or icmp (an echo request).
	Protocol string `json:"protocol,omitempty"`
	// Action, Resource and Principal ask whether the endpoint policies on
	// the path allow a request: s3:GetObject on arn:aws:s3:::bucket/key by
	// a role (the source's account when Principal is empty).
	Action    string `json:"action,omitempty"`
	Resource  string `json:"resource,omitempty"`
	Principal string `json:"principal,omitempty"`
	// SourceIP and DestinationIP pin the addresses the packet leaves with,
	// where From and To name resources.
	SourceIP      string `json:"sourceIp,omitempty"`
	DestinationIP string `json:"destinationIp,omitempty"`
	// Via is a private Direct Connect virtual interface (dxvif-…, or its
	// ARN): the end given as an IP address (From, else To) is on premises,
	// behind it.
	Via string `json:"via,omitempty"`
	// Through and Avoid are ARNs of components the path must go through
	// and must not (Network Insights' FilterInArns and FilterOutArns).
	Through []string `json:"through,omitempty"`
	Avoid   []string `json:"avoid,omitempty"`
}

// Query is the engine's question for r, or an error in AWS's style
// (InvalidParameterValue, MissingParameter, InvalidParameterCombination)
// saying what is wrong with it.
func (r Request) Query() (reach.Query, *awsproto.Error) {
	q := reach.Query{Protocol: reach.TCP, Action: r.Action, Resource: r.Resource, Principal: r.Principal}
	var err *awsproto.Error
	if q.Source, q.SourceIP, _, err = parseEnd("from", r.From, false); err != nil {
		return q, err
	}
	if q.Destination, q.DestinationIP, q.DestinationName, err = parseEnd("to", r.To, true); err != nil {
		return q, err
	}
	if q.SourceIP, err = pinAddress("sourceIp", r.SourceIP, q.SourceIP); err != nil {
		return q, err
	}
	if q.DestinationIP, err = pinAddress("destinationIp", r.DestinationIP, q.DestinationIP); err != nil {
		return q, err
	}
	if r.Via != "" {
		q.Via = arn.ResourceID(r.Via)
		switch {
		case !vifID.MatchString(q.Via):
			return q, invalid("via", r.Via, "Expected a Direct Connect virtual interface id (dxvif-…) or its ARN.")
		case q.Source != "" && q.Destination != "":
			return q, combination("The parameter via requires from or to to be an IP address on premises.")
		}
	}
	switch p := reach.Protocol(r.Protocol); p {
	case "":
	case reach.TCP, reach.UDP, reach.ICMP:
		q.Protocol = p
	default:
		return q, invalid("protocol", r.Protocol, "Valid values: tcp, udp, icmp.")
	}
	switch {
	case r.Port < 0 || r.Port > 65535:
		return q, invalid("port", strconv.Itoa(r.Port), "Ports are 1-65535.")
	case r.Port != 0 && q.Protocol == reach.ICMP:
		return q, combination("The parameter port cannot be used with protocol icmp.")
	}
	q.DestinationPort = r.Port
	if r.Action == "" && (r.Resource != "" || r.Principal != "") {
		return q, combination("The parameters resource and principal require the parameter action.")
	}
	for param, arns := range map[string][]string{"through": r.Through, "avoid": r.Avoid} {
		for _, s := range arns {
			if _, err := arn.Parse(s); err != nil {
				return q, invalid(param, s, "This is not a valid ARN.")
			}
		}
	}
	q.ThroughARNs, q.AvoidARNs = r.Through, r.Avoid
	return q, nil
}

// parseEnd reads one end of the path: a resource id or ARN (its id), an
// IP address, or, where names are allowed, a DNS name.
func parseEnd(param, s string, names bool) (id string, addr netip.Addr, name string, err *awsproto.Error) {
	switch {
	case s == "":
		return "", addr, "", awsproto.Errorf("MissingParameter", "The request must contain the parameter %s", param)
	case strings.HasPrefix(s, "arn:"):
		if _, perr := arn.Parse(s); perr != nil {
			return "", addr, "", invalid(param, s, "This is not a valid ARN.")
		}
		id = arn.ResourceID(s)
		if !resourceID.MatchString(id) {
			return "", addr, "", invalid(param, s, "The ARN names no resource id.")
		}
		return id, addr, "", nil
	case resourceID.MatchString(s):
		return s, addr, "", nil
	}
	if a, perr := netip.ParseAddr(s); perr == nil {
		return "", a, "", nil
	}
	if name := strings.ToLower(strings.TrimSuffix(s, ".")); names && dnsName.MatchString(name) && len(name) <= 253 {
		return "", addr, name, nil
	}
	what := "Expected a resource id, an ARN or an IP address."
	if names {
		what = "Expected a resource id, an ARN, an IP address or a DNS name."
	}
	return "", addr, "", invalid(param, s, what)
}

// pinAddress reads an address given apart from the end it pins; it must
// agree with an address the end itself is.
func pinAddress(param, s string, end netip.Addr) (netip.Addr, *awsproto.Error) {
	if s == "" {
		return end, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return end, invalid(param, s, "This is not a valid IP address.")
	}
	if end.IsValid() && end != a {
		return end, combination("The parameter " + param + " (" + s + ") differs from the address the path starts or ends at (" + end.String() + ").")
	}
	return a, nil
}

var (
	// resourceID is the shape of an AWS resource id: a prefix of
	// lowercase words and hex digits (i-0abc…, vpce-svc-0abc…).
	// vifID is a Direct Connect virtual interface's id (dxvif-fgq8ig1h).
	vifID      = regexp.MustCompile(`^dxvif-[0-9a-z]{8}$`)
	resourceID = regexp.MustCompile(`^[a-z]+(-[a-z]+)*-[0-9a-f]{8,17}$`)
	// dnsName is a host name of at least two labels, the last starting
	// with a letter (so a mistyped address is not taken for a name).
	dnsName = regexp.MustCompile(`^([a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

func invalid(param, value, why string) *awsproto.Error {
	return awsproto.Errorf("InvalidParameterValue", "Value (%s) for parameter %s is invalid. %s", value, param, why)
}

func combination(msg string) *awsproto.Error {
	return awsproto.Errorf("InvalidParameterCombination", "%s", msg)
}
