package flowlog

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// DefaultFormat is the format of a flow log created without one: the
// version 2 fields in AWS's order. DescribeFlowLogs shows it as the flow
// log's LogFormat (Terraform's log_format is computed from it).
const DefaultFormat = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"

// missing is how AWS writes a field that does not apply to a record.
const missing = "-"

// field is one field a format may name: the version that brought it and
// how a record shows it.
type field struct {
	name    string
	version int
	value   func(f *Format, r *Record) string
}

// fields are every field of AWS's "Available fields" table, in its order.
// The ECS fields (version 7) and reject-reason (version 8) are accepted
// and always "-": vpcemu models no ECS tasks and no Block Public Access.
var fields = []field{
	{"version", 2, func(f *Format, _ *Record) string { return strconv.Itoa(f.version) }},
	{"account-id", 2, func(_ *Format, r *Record) string { return text(r.Account) }},
	{"interface-id", 2, func(_ *Format, r *Record) string { return text(r.Interface) }},
	{"srcaddr", 2, func(_ *Format, r *Record) string { return addr(r.Src) }},
	{"dstaddr", 2, func(_ *Format, r *Record) string { return addr(r.Dst) }},
	{"srcport", 2, func(_ *Format, r *Record) string { return number(r, uint64(r.SrcPort)) }},
	{"dstport", 2, func(_ *Format, r *Record) string { return number(r, uint64(r.DstPort)) }},
	{"protocol", 2, func(_ *Format, r *Record) string { return number(r, uint64(r.Protocol)) }},
	{"packets", 2, func(_ *Format, r *Record) string { return number(r, r.Packets) }},
	{"bytes", 2, func(_ *Format, r *Record) string { return number(r, r.Bytes) }},
	{"start", 2, func(_ *Format, r *Record) string { return unix(r.Start) }},
	{"end", 2, func(_ *Format, r *Record) string { return unix(r.End) }},
	{"action", 2, func(_ *Format, r *Record) string { return text(r.Action) }},
	{"log-status", 2, func(_ *Format, r *Record) string { return r.LogStatus() }},
	{"vpc-id", 3, func(_ *Format, r *Record) string { return text(r.VPC) }},
	{"subnet-id", 3, func(_ *Format, r *Record) string { return text(r.Subnet) }},
	{"instance-id", 3, func(_ *Format, r *Record) string { return text(r.Instance) }},
	{"tcp-flags", 3, func(_ *Format, r *Record) string { return number(r, uint64(r.TCPFlags)) }},
	{"type", 3, func(_ *Format, r *Record) string { return r.Type() }},
	{"pkt-srcaddr", 3, func(_ *Format, r *Record) string { return addr(packet(r.PktSrc, r.Src)) }},
	{"pkt-dstaddr", 3, func(_ *Format, r *Record) string { return addr(packet(r.PktDst, r.Dst)) }},
	{"region", 4, func(_ *Format, r *Record) string { return text(r.Region) }},
	{"az-id", 4, func(_ *Format, r *Record) string { return text(r.AZID) }},
	{"sublocation-type", 4, none},
	{"sublocation-id", 4, none},
	{"pkt-src-aws-service", 5, func(_ *Format, r *Record) string { return text(r.PktSrcAWSService) }},
	{"pkt-dst-aws-service", 5, func(_ *Format, r *Record) string { return text(r.PktDstAWSService) }},
	{"flow-direction", 5, func(_ *Format, r *Record) string { return text(r.Direction) }},
	{"traffic-path", 5, func(_ *Format, r *Record) string { return r.trafficPath() }},
	{"ecs-cluster-arn", 7, none},
	{"ecs-cluster-name", 7, none},
	{"ecs-container-instance-arn", 7, none},
	{"ecs-container-instance-id", 7, none},
	{"ecs-container-id", 7, none},
	{"ecs-second-container-id", 7, none},
	{"ecs-service-name", 7, none},
	{"ecs-task-definition-arn", 7, none},
	{"ecs-task-arn", 7, none},
	{"ecs-task-id", 7, none},
	{"reject-reason", 8, none},
}

var byName = func() map[string]*field {
	m := make(map[string]*field, len(fields))
	for i := range fields {
		m[fields[i].name] = &fields[i]
	}
	return m
}()

// Format is a parsed LogFormat: the fields of a record, in order.
type Format struct {
	text    string
	fields  []*field
	version int
}

// ErrFormat is what every refusal of Parse wraps.
var ErrFormat = errors.New("invalid log format")

// Parse reads a LogFormat: `${field}` tokens separated by single spaces,
// at least one, each a field AWS documents. The format's version is the
// highest version among its fields.
func Parse(s string) (*Format, error) {
	if s == "" {
		return nil, fmt.Errorf("%w: LogFormat must include at least one field", ErrFormat)
	}
	f := &Format{text: s}
	for tok := range strings.SplitSeq(s, " ") {
		name, ok := strings.CutPrefix(tok, "${")
		if ok {
			name, ok = strings.CutSuffix(name, "}")
		}
		if !ok || name == "" || strings.ContainsAny(name, "${}") {
			return nil, fmt.Errorf("%w: Value '%s' at 'logFormat' has an invalid format: fields are ${field-id}, separated by single spaces", ErrFormat, s)
		}
		fd := byName[name]
		if fd == nil {
			return nil, fmt.Errorf("%w: Unknown field in LogFormat: ${%s}", ErrFormat, name)
		}
		f.fields = append(f.fields, fd)
		f.version = max(f.version, fd.version)
	}
	return f, nil
}

// Default is DefaultFormat, parsed.
func Default() *Format {
	f, err := Parse(DefaultFormat)
	if err != nil {
		panic(err)
	}
	return f
}

// String is the format as it was given.
func (f *Format) String() string { return f.text }

// Version is the record version the format writes: the highest version
// among its fields.
func (f *Format) Version() int { return f.version }

// Header is the first line of an S3 flow-log file: the field names in
// the format's order.
func (f *Format) Header() string {
	names := make([]string, len(f.fields))
	for i, fd := range f.fields {
		names[i] = fd.name
	}
	return strings.Join(names, " ")
}

// Render writes a record as AWS does in this format: one line of
// space-separated values, "-" for those that do not apply.
func (f *Format) Render(r *Record) string {
	var b strings.Builder
	for i, fd := range f.fields {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(fd.value(f, r))
	}
	return b.String()
}

// LogStatus is the record's log-status: OK, or NODATA for a record that
// saw no traffic (no addresses).
func (r *Record) LogStatus() string {
	if r.noData() {
		return "NODATA"
	}
	return "OK"
}

// Type is the record's traffic type: IPv4 or IPv6 ("-" without traffic).
func (r *Record) Type() string {
	switch {
	case r.noData():
		return missing
	case r.Src.Unmap().Is4():
		return "IPv4"
	default:
		return "IPv6"
	}
}

// trafficPath is shown for egress traffic only.
func (r *Record) trafficPath() string {
	if r.Direction != "egress" || r.TrafficPath <= 0 {
		return missing
	}
	return strconv.Itoa(r.TrafficPath)
}

func (r *Record) noData() bool { return !r.Src.IsValid() }

func none(*Format, *Record) string { return missing }

func text(s string) string {
	if s == "" {
		return missing
	}
	return s
}

func addr(a netip.Addr) string {
	if !a.IsValid() {
		return missing
	}
	return a.Unmap().String()
}

// packet is the packet's own address: as the interface sees it unless an
// intermediary changed it.
func packet(pkt, seen netip.Addr) netip.Addr {
	if pkt.IsValid() {
		return pkt
	}
	return seen
}

// number is a counter or a header value, "-" in a record without traffic.
func number(r *Record, n uint64) string {
	if r.noData() {
		return missing
	}
	return strconv.FormatUint(n, 10)
}

// unix is a time as AWS writes it in records: Unix seconds.
func unix(t time.Time) string {
	if t.IsZero() {
		return missing
	}
	return strconv.FormatInt(t.Unix(), 10)
}
