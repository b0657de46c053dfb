package route53

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// RecordSet is a resource record set of a zone: values with a TTL, or an
// alias. Routing policy members are kept and answered as given.
type RecordSet struct {
	cloud.Meta
	Zone          string
	Name          string // an Fqdn
	Type          string
	SetIdentifier string   `json:",omitempty"`
	TTL           *int64   `json:",omitempty"`
	Values        []string `json:",omitempty"`
	Alias         *Alias   `json:",omitempty"`
	Routing       Routing  `json:",omitzero"`
}

// Alias points a record set at another name: a record of a zone, a load
// balancer, a VPC endpoint (by the hosted zone id AWS gives their names).
type Alias struct {
	HostedZoneID         string
	DNSName              string
	EvaluateTargetHealth bool
}

// Routing are a record set's routing policy members.
type Routing struct {
	Weight           *int64 `json:",omitempty"`
	Region           string `json:",omitempty"`
	Failover         string `json:",omitempty"`
	MultiValueAnswer *bool  `json:",omitempty"`
	GeoContinent     string `json:",omitempty"`
	GeoCountry       string `json:",omitempty"`
	GeoSubdivision   string `json:",omitempty"`
	HealthCheckID    string `json:",omitempty"`
}

func (*RecordSet) Kind() cloud.Kind { return cloud.KindRecordSet }

func init() { cloud.RegisterType[RecordSet]() }

// Record sets are found by scanning their zone's ids, never by key.
func (*RecordSet) Keys() []cloud.Key { return nil }

// recordID orders a zone's record sets as Route 53 lists them: by name
// with the labels reversed, then type, then set identifier. The space
// sorts before every character a name may hold, so a name's record sets
// come before its subdomains'.
func recordID(zone, name, typ, setID string) string {
	return zone + " " + reversed(name) + " " + typ + " " + setID
}

// before is a key just below k: scanning after it starts at k.
func before(k string) string {
	return k[:len(k)-1] + string(rune(k[len(k)-1]-1)) + "\U0010FFFF"
}

// scanRecords calls fn with z's record sets in order from the first whose
// id is at least from ("" is the zone's first), until fn returns false.
func scanRecords(tx cloud.StoreTx, z *HostedZone, from string, fn func(*RecordSet) bool) error {
	prefix := z.ID + " "
	if from == "" {
		from = prefix
	}
	var derr error
	err := tx.Scan(cloud.KindRecordSet, cloud.Scope{Account: z.Owner}, before(from), func(r *cloud.Record) bool {
		if !strings.HasPrefix(r.ID, prefix) {
			return false
		}
		rs, err := cloud.Decode[RecordSet](r)
		if err != nil {
			derr = err
			return false
		}
		return fn(rs)
	})
	if err == nil {
		err = derr
	}
	return err
}

// atName lists z's record sets named name.
func atName(t *cloud.Txn, z *HostedZone, name string) ([]*RecordSet, error) {
	var out []*RecordSet
	prefix := z.ID + " " + reversed(name) + " "
	err := scanRecords(t, z, prefix, func(r *RecordSet) bool {
		if !strings.HasPrefix(r.ID, prefix) {
			return false
		}
		out = append(out, r)
		return true
	})
	return out, err
}

// apex reports whether r is one of the zone's required SOA and NS.
func (r *RecordSet) apex(z *HostedZone) bool {
	return r.Name == z.Name && (r.Type == "SOA" || r.Type == "NS")
}

// label names a record set in Route 53's messages.
func (r *RecordSet) label() string {
	if r.SetIdentifier != "" {
		return fmt.Sprintf("[name='%s', type='%s', set-identifier='%s']", r.Name, r.Type, r.SetIdentifier)
	}
	return fmt.Sprintf("[name='%s', type='%s']", r.Name, r.Type)
}

// same reports whether a DELETE's record set matches the stored one.
func (r *RecordSet) same(o *RecordSet) bool {
	if (r.TTL == nil) != (o.TTL == nil) || r.TTL != nil && *r.TTL != *o.TTL {
		return false
	}
	if (r.Alias == nil) != (o.Alias == nil) || r.Alias != nil && (StripZonePrefix(r.Alias.HostedZoneID) != StripZonePrefix(o.Alias.HostedZoneID) || Fqdn(r.Alias.DNSName) != Fqdn(o.Alias.DNSName)) {
		return false
	}
	a, b := slices.Clone(r.Values), slices.Clone(o.Values)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// Change actions.
const (
	ActionCreate = "CREATE"
	ActionDelete = "DELETE"
	ActionUpsert = "UPSERT"
)

// RecordChange is one change of a batch.
type RecordChange struct {
	Action string
	Set    RecordSet
}

// types are the record types vpcemu takes.
var types = []string{"A", "AAAA", "CAA", "CNAME", "DS", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF", "SRV", "TXT"}

// ChangeRecordSets applies a change batch atomically: every change, or
// none and InvalidChangeBatch listing each problem in Route 53's words.
func (s *Service) ChangeRecordSets(ctx context.Context, who cloud.Caller, zoneID, comment string, changes []RecordChange) (ChangeInfo, error) {
	var ch ChangeInfo
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		z, err := zoneOf(t, zoneID)
		if err != nil {
			return err
		}
		var problems []string
		for _, c := range changes {
			msgs, err := apply(t, z, c)
			if err != nil {
				return err
			}
			problems = append(problems, msgs...)
		}
		if len(problems) > 0 {
			return cloud.Errorf(cloud.InvalidParameter, SubjectChangeBatch, "%s", strings.Join(problems, "\n"))
		}
		if err := cloud.Put(t, z); err != nil {
			return err
		}
		ch, err = submit(t, comment)
		return err
	})
	return ch, err
}

// apply makes one change in t, or says what is wrong with it.
func apply(t *cloud.Txn, z *HostedZone, c RecordChange) ([]string, error) {
	r := c.Set
	r.Name = Fqdn(r.Name)
	r.Zone = z.ID
	r.Meta = cloud.Meta{ID: recordID(z.ID, r.Name, r.Type, r.SetIdentifier), Owner: z.Owner}
	if !validName(r.Name) {
		return []string{fmt.Sprintf("%s is not a valid DNS name.", r.Name)}, nil
	}
	if !inZone(r.Name, z.Name) {
		return []string{fmt.Sprintf("RRSet with DNS name %s is not permitted in zone %s", r.Name, z.Name)}, nil
	}
	if !slices.Contains(types, r.Type) {
		return []string{fmt.Sprintf("RRSet with DNS name %s has type %s, which is not a valid record type.", r.Name, r.Type)}, nil
	}
	old, err := cloud.GetAny[RecordSet](t, r.ID)
	if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
		old, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	switch c.Action {
	case ActionDelete:
		switch {
		case old == nil:
			return []string{fmt.Sprintf("Tried to delete resource record set %s but it was not found", r.label())}, nil
		case !r.same(old):
			return []string{fmt.Sprintf("Tried to delete resource record set %s but the values provided do not match the current values", r.label())}, nil
		case old.apex(z) && old.Type == "SOA":
			return []string{"A HostedZone must contain exactly one SOA record."}, nil
		case old.apex(z):
			return []string{"A HostedZone must contain at least one NS record for the zone itself."}, nil
		}
		z.RecordCount--
		return nil, cloud.Remove(t, old)
	case ActionCreate, ActionUpsert:
	default:
		return []string{fmt.Sprintf("Invalid action %s for resource record set %s", c.Action, r.label())}, nil
	}
	if c.Action == ActionCreate && old != nil {
		return []string{fmt.Sprintf("Tried to create resource record set %s but it already exists", r.label())}, nil
	}
	if msgs := checkContent(&r); len(msgs) > 0 {
		return msgs, nil
	}
	if msgs, err := checkNeighbours(t, z, &r); len(msgs) > 0 || err != nil {
		return msgs, err
	}
	if r.Alias != nil {
		if msgs, err := checkAlias(t, z, &r); len(msgs) > 0 || err != nil {
			return msgs, err
		}
	}
	if old == nil {
		z.RecordCount++
	}
	return nil, cloud.Put(t, &r)
}

// checkContent checks a record set's values for its type.
func checkContent(r *RecordSet) []string {
	if (r.Alias == nil) == (r.TTL == nil && len(r.Values) == 0) || r.Alias != nil && (r.TTL != nil || len(r.Values) > 0) {
		return []string{fmt.Sprintf("Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Name=%s, Type=%s, SetIdentifier=%s]", r.Name, r.Type, orNull(r.SetIdentifier))}
	}
	if r.Alias != nil {
		return nil
	}
	if r.TTL == nil || len(r.Values) == 0 {
		return []string{fmt.Sprintf("Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found only part of [TTL, and ResourceRecords] in Change with [Name=%s, Type=%s, SetIdentifier=%s]", r.Name, r.Type, orNull(r.SetIdentifier))}
	}
	fatal := func(problem, v string) []string {
		return []string{fmt.Sprintf("Invalid Resource Record: 'FATAL problem: %s encountered with '%s''", problem, v)}
	}
	if r.Type == "CNAME" && len(r.Values) > 1 {
		return []string{fmt.Sprintf("RRSet of type CNAME with DNS name %s has more than one resource record; a CNAME record set holds exactly one.", r.Name)}
	}
	for _, v := range r.Values {
		fields := strings.Fields(v)
		switch r.Type {
		case "A":
			if a, err := netip.ParseAddr(v); err != nil || !a.Is4() {
				return fatal("ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address)", v)
			}
		case "AAAA":
			if a, err := netip.ParseAddr(v); err != nil || !a.Is6() || a.Is4In6() {
				return fatal("AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address)", v)
			}
		case "TXT", "SPF":
			if len(v) < 2 || !strings.HasPrefix(v, `"`) || !strings.HasSuffix(v, `"`) {
				return fatal("InvalidCharacterString (Value should be enclosed in quotation marks)", v)
			}
		case "MX":
			if len(fields) != 2 || !uint16Text(fields[0]) {
				return fatal("MXRRDATANotTwoFields (MX record must be a priority and a domain name)", v)
			}
		case "SRV":
			if len(fields) != 4 || !uint16Text(fields[0]) || !uint16Text(fields[1]) || !uint16Text(fields[2]) {
				return fatal("SRVRRDATANotFourFields (SRV record must be priority, weight, port and a domain name)", v)
			}
		case "CNAME", "NS", "PTR":
			if len(fields) != 1 || !validName(Fqdn(v)) {
				return fatal("DomainLabelEmpty (Domain label is empty)", v)
			}
		}
	}
	return nil
}

func orNull(s string) string {
	if s == "" {
		return "null"
	}
	return s
}

func uint16Text(s string) bool {
	var n int
	_, err := fmt.Sscanf(s, "%d", &n)
	return err == nil && fmt.Sprint(n) == s && n >= 0 && n <= 65535
}

// checkNeighbours refuses a CNAME beside other record sets of its name,
// or at the apex, and another record set beside a CNAME.
func checkNeighbours(t *cloud.Txn, z *HostedZone, r *RecordSet) ([]string, error) {
	if r.Type == "CNAME" && r.Name == z.Name {
		return []string{fmt.Sprintf("RRSet of type CNAME with DNS name %s is not permitted at apex in zone %s", r.Name, z.Name)}, nil
	}
	others, err := atName(t, z, r.Name)
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		switch {
		case o.ID == r.ID:
		case r.Type == "CNAME" && o.Type != "CNAME":
			return []string{fmt.Sprintf("RRSet of type CNAME with DNS name %s is not permitted as it conflicts with other records with the same DNS name in zone %s", r.Name, z.Name)}, nil
		case r.Type != "CNAME" && o.Type == "CNAME":
			return []string{fmt.Sprintf("RRSet of type %s with DNS name %s is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone %s", r.Type, r.Name, z.Name)}, nil
		}
	}
	return nil, nil
}

// checkAlias refuses an alias to a record of a vpcemu zone that is not
// there, or to a load balancer or interface endpoint name vpcemu does not
// have. Aliases to names of other AWS services are taken as given.
func checkAlias(t *cloud.Txn, z *HostedZone, r *RecordSet) ([]string, error) {
	r.Alias.HostedZoneID = StripZonePrefix(r.Alias.HostedZoneID)
	r.Alias.DNSName = Fqdn(r.Alias.DNSName)
	target := z
	if r.Alias.HostedZoneID != z.ID {
		tz, err := cloud.GetAny[HostedZone](t, r.Alias.HostedZoneID)
		if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
			exists, known, err := serviceTargetExists(t, r.Alias.DNSName)
			if err != nil || !known || exists {
				return nil, err
			}
			return []string{fmt.Sprintf("Tried to create an alias that targets %s, type %s in zone %s, but that target was not found", r.Alias.DNSName, r.Type, r.Alias.HostedZoneID)}, nil
		}
		if err != nil {
			return nil, err
		}
		target = tz
	}
	if !inZone(r.Alias.DNSName, target.Name) {
		return []string{fmt.Sprintf("Tried to create an alias that targets %s, type %s in zone %s, but the alias target name does not lie within the target zone", r.Alias.DNSName, r.Type, target.ID)}, nil
	}
	sets, err := atName(t, target, r.Alias.DNSName)
	if err != nil {
		return nil, err
	}
	for _, o := range sets {
		if o.Type == r.Type || o.Type == "CNAME" {
			return nil, nil
		}
	}
	return []string{fmt.Sprintf("Tried to create an alias that targets %s, type %s in zone %s, but that target was not found", r.Alias.DNSName, r.Type, target.ID)}, nil
}

// RecordPage is one page of ListResourceRecordSets; Next is the first
// record set of the next page, nil on the last.
type RecordPage struct {
	Sets []*RecordSet
	Next *RecordSet
}

// ListRecordSets lists a zone's record sets from (name, type, set
// identifier) on, at most max.
func (s *Service) ListRecordSets(ctx context.Context, who cloud.Caller, zoneID, name, typ, setID string, max int) (RecordPage, error) {
	var page RecordPage
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		z, err := zoneOf(t, zoneID)
		if err != nil {
			return err
		}
		if typ != "" && name == "" {
			return cloud.Errorf(cloud.InvalidParameter, "", "The input is not valid: a start record type needs a start record name.")
		}
		from := ""
		if name != "" {
			from = recordID(z.ID, Fqdn(name), typ, setID)
			if typ == "" {
				from = z.ID + " " + reversed(Fqdn(name)) + " "
			}
		}
		return scanRecords(t, z, from, func(r *RecordSet) bool {
			if len(page.Sets) == max {
				page.Next = r
				return false
			}
			page.Sets = append(page.Sets, r)
			return true
		})
	})
	return page, err
}
