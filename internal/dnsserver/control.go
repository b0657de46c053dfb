package dnsserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/controlapi"
	"github.com/vpcemu/vpcemu/internal/regions"
	"github.com/vpcemu/vpcemu/internal/service/ec2"
)

// Path is where the server answers DNS questions for `vpcemu dig`: POST a
// Question as JSON, get an Answer, or a 4xx Error.
const Path = "/_vpcemu/dns"

// Question is one DNS question asked of a view.
type Question struct {
	// VPC is the caller's VPC whose resolver answers; "" asks the public
	// view.
	VPC string `json:"vpc,omitempty"`
	// Zone is the asker's availability zone (us-east-1a, or its id) in
	// the caller's region.
	Zone string `json:"zone,omitempty"`
	Name string `json:"name"`
	// Type is the record type (A when empty).
	Type string `json:"type,omitempty"`
}

// Answer is the DNS server's reply, as dig prints it.
type Answer struct {
	// View is the VPC asked for, or "public".
	View string `json:"view"`
	Zone string `json:"zone,omitempty"`
	// Status is the rcode's name (NOERROR, NXDOMAIN, REFUSED, …); Flags
	// the header's flags (qr aa rd).
	Status string `json:"status"`
	Flags  string `json:"flags"`
	// Question, Answer and Authority are the sections' records in
	// presentation format.
	Question  string   `json:"question"`
	Answer    []string `json:"answer"`
	Authority []string `json:"authority"`
	// Source is what answered (a hosted zone's id, an endpoint's id, a load
	// balancer's ARN, ec2 or aws; "" when nothing did) and SourceName says
	// what it is.
	Source     string `json:"source,omitempty"`
	SourceName string `json:"sourceName,omitempty"`
}

// Error is a refused question: an EC2 error code and a message.
type Error = controlapi.Error

// ControlHandler answers Questions for the caller the request's context
// names (awsproto.RequestFrom), through the same core as the listeners: a
// VPC must be one of the caller's, in the caller's region.
func (s *Server) ControlHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in Question
		who, perr := controlapi.Decode(r, &in, `{"vpc": "vpc-…", "zone": "us-east-1a", "name": "…", "type": "A"}`)
		if perr != nil {
			controlapi.Fail(w, perr)
			return
		}
		req, zone, perr := in.message(who)
		if perr != nil {
			controlapi.Fail(w, perr)
			return
		}
		c, err := s.current(r.Context())
		if err != nil {
			s.log.Error("dns", "view", in.VPC, "name", in.Name, "error", err)
			controlapi.Fail(w, &awsproto.Error{Code: "InternalError", Message: "We encountered an internal error. Please try again.", Status: http.StatusInternalServerError})
			return
		}
		if in.VPC != "" {
			if v := c.snap.VPC(in.VPC); v == nil || v.Owner != who.Account || v.Region != who.Region {
				controlapi.Fail(w, ec2.MapError(cloud.Missing(cloud.KindVPC, in.VPC)))
				return
			}
		}
		resp, source := s.Reply(r.Context(), View{VPC: in.VPC, Zone: zone}, req)
		out := answerOf(resp, in.VPC, zone)
		out.Source, out.SourceName = source, describe(c.snap, in.VPC, source)
		body, err := json.Marshal(out)
		if err != nil {
			panic(err) // a plain struct
		}
		controlapi.Write(w, body)
	})
}

// message is the question as a DNS query, and the zone's name.
func (q Question) message(who cloud.Caller) (*dns.Msg, string, *awsproto.Error) {
	name := strings.TrimSpace(q.Name)
	if name == "" {
		return nil, "", awsproto.Errorf("MissingParameter", "The request must contain the parameter name")
	}
	if _, ok := dns.IsDomainName(name); !ok {
		return nil, "", awsproto.Errorf("InvalidParameterValue", "Value (%s) for parameter name is invalid. It is not a domain name.", q.Name)
	}
	typ := dns.TypeA
	if q.Type != "" {
		t, ok := dns.StringToType[strings.ToUpper(q.Type)]
		if !ok {
			return nil, "", awsproto.Errorf("InvalidParameterValue", "Value (%s) for parameter type is invalid. It is not a DNS record type.", q.Type)
		}
		typ = t
	}
	zone := q.Zone
	if zone != "" {
		r, ok := regions.Lookup(who.Region)
		z, found := regions.Zone{}, false
		if ok {
			z, found = r.Zone(zone)
		}
		if !found {
			return nil, "", awsproto.Errorf("InvalidParameterValue", "Value (%s) for parameter zone is invalid. It is not an Availability Zone of %s.", q.Zone, who.Region)
		}
		zone = z.Name
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), typ)
	return m, zone, nil
}

// answerOf is a reply as dig shows it.
func answerOf(m *dns.Msg, vpc, zone string) Answer {
	out := Answer{View: vpc, Zone: zone, Status: dns.RcodeToString[m.Rcode], Answer: []string{}, Authority: []string{}}
	if vpc == "" {
		out.View = "public"
	}
	var flags []string
	for _, f := range []struct {
		on   bool
		name string
	}{{m.Response, "qr"}, {m.Authoritative, "aa"}, {m.Truncated, "tc"}, {m.RecursionDesired, "rd"}, {m.RecursionAvailable, "ra"}} {
		if f.on {
			flags = append(flags, f.name)
		}
	}
	out.Flags = strings.Join(flags, " ")
	if len(m.Question) == 1 {
		q := m.Question[0]
		out.Question = q.Name + "\t" + dns.ClassToString[q.Qclass] + "\t" + dns.TypeToString[q.Qtype]
	}
	for _, rr := range m.Answer {
		out.Answer = append(out.Answer, rr.String())
	}
	for _, rr := range m.Ns {
		out.Authority = append(out.Authority, rr.String())
	}
	return out
}

// describe says what a source is, for people: a private hosted zone's
// name, an endpoint's service.
func describe(s *netview.Snapshot, vpc, source string) string {
	switch {
	case source == "":
		return ""
	case source == "ec2":
		return "the VPC's own names (instances)"
	case source == "aws":
		return "an AWS service's public name"
	case strings.HasPrefix(source, "arn:"):
		return "a load balancer's name"
	}
	if v := s.VPC(vpc); v != nil {
		for _, z := range v.Zones {
			if z.ID == source {
				return "private hosted zone " + strings.TrimSuffix(z.Name, ".")
			}
		}
	}
	if e := s.Endpoint(source); e != nil {
		if vpc != "" && e.VPC != nil && e.VPC.ID == vpc && e.PrivateDNSEnabled && e.ServicePrivateDNSName != "" {
			return "the private DNS name of VPC endpoint " + e.ServiceName
		}
		return "VPC endpoint " + e.ServiceName
	}
	return ""
}

// Client asks a running vpcemu DNS questions, as the caller its
// credentials name (see controlapi.Client).
type Client controlapi.Client

// Dig asks q and returns the answer. A refused question is an *Error.
func (c *Client) Dig(ctx context.Context, q Question) (Answer, error) {
	var out Answer
	body, err := (*controlapi.Client)(c).Post(ctx, Path, "ec2", q)
	if err != nil {
		return out, err
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Status == "" {
		return out, errors.New(c.Endpoint + " answered what is not a DNS answer: " + string(bytes.TrimSpace(body)))
	}
	return out, nil
}
