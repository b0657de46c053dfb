package flowlog

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name    string
		format  string
		version int
		header  string
		err     string // a part of the refusal; "" accepts
	}{
		{"default", DefaultFormat, 2, "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status", ""},
		{"one field", "${srcaddr}", 2, "srcaddr", ""},
		{"version 3", "${version} ${vpc-id} ${srcaddr}", 3, "version vpc-id srcaddr", ""},
		{"version 4", "${az-id} ${srcaddr}", 4, "az-id srcaddr", ""},
		{"version 5", "${traffic-path} ${tcp-flags} ${region}", 5, "traffic-path tcp-flags region", ""},
		{"ecs is 7", "${ecs-task-id} ${srcaddr}", 7, "ecs-task-id srcaddr", ""},
		{"reject-reason is 8", "${reject-reason}", 8, "reject-reason", ""},
		{"empty", "", 0, "", "at least one field"},
		{"unknown field", "${srcaddr} ${foo}", 0, "", "${foo}"},
		{"trailing space", DefaultFormat + " ", 0, "", "invalid format"},
		{"leading space", " ${srcaddr}", 0, "", "invalid format"},
		{"two spaces", "${srcaddr}  ${dstaddr}", 0, "", "invalid format"},
		{"bare name", "srcaddr", 0, "", "invalid format"},
		{"unclosed", "${srcaddr", 0, "", "invalid format"},
		{"empty name", "${}", 0, "", "invalid format"},
		{"nested", "${${srcaddr}}", 0, "", "invalid format"},
		{"comma", "${srcaddr},${dstaddr}", 0, "", "invalid format"},
		{"terraform escape", "$${srcaddr}", 0, "", "invalid format"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(tc.format)
			if tc.err != "" {
				if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Parse(%q) = %v, want a refusal containing %q", tc.format, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.format, err)
			}
			if f.Version() != tc.version || f.Header() != tc.header || f.String() != tc.format {
				t.Errorf("Parse(%q): version %d header %q text %q, want %d %q", tc.format, f.Version(), f.Header(), f.String(), tc.version, tc.header)
			}
		})
	}
}

// TestEveryFieldHasAVersion checks the table: versions 2 to 8, no name
// twice.
func TestEveryFieldHasAVersion(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range fields {
		if f.version < 2 || f.version > 8 || seen[f.name] {
			t.Errorf("field %s: version %d, seen %v", f.name, f.version, seen[f.name])
		}
		seen[f.name] = true
	}
}

func TestRender(t *testing.T) {
	start := time.Unix(1700000000, 0)
	tcp := Record{
		Interface: "eni-1", Account: "111111111111", VPC: "vpc-1", Subnet: "subnet-1", Instance: "i-1",
		Region: "us-east-1", AZID: "use1-az1",
		Src: netip.MustParseAddr("10.0.1.5"), Dst: netip.MustParseAddr("10.0.2.9"), SrcPort: 49152, DstPort: 443,
		Protocol: 6, Packets: 10, Bytes: 840, Start: start, End: start.Add(30 * time.Second),
		Action: "ACCEPT", TCPFlags: 19, Direction: "egress", TrafficPath: 1,
	}
	endpoint := tcp
	endpoint.Instance = "" // a requester-managed interface
	endpoint.Direction, endpoint.TrafficPath = "ingress", 1
	endpoint.PktSrc = netip.MustParseAddr("10.9.0.7")
	v6 := tcp
	v6.Src, v6.Dst = netip.MustParseAddr("2600:1f00::5"), netip.MustParseAddr("2600:1f00::9")
	icmp := tcp
	icmp.Protocol, icmp.SrcPort, icmp.DstPort, icmp.TCPFlags, icmp.Action = 1, 0, 0, 0, "REJECT"
	icmp.PktDstAWSService = "S3"
	all := "${version} ${instance-id} ${type} ${srcaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${tcp-flags} ${flow-direction} ${traffic-path} ${sublocation-type} ${pkt-dst-aws-service} ${ecs-task-id}"
	cases := []struct {
		name   string
		format string
		r      Record
		want   string
	}{
		{"default", DefaultFormat, tcp, "2 111111111111 eni-1 10.0.1.5 10.0.2.9 49152 443 6 10 840 1700000000 1700000030 ACCEPT OK"},
		{"egress", all, tcp, "7 i-1 IPv4 10.0.1.5 10.0.1.5 10.0.2.9 19 egress 1 - - -"},
		{"requester-managed ingress", all, endpoint, "7 - IPv4 10.0.1.5 10.9.0.7 10.0.2.9 19 ingress - - - -"},
		{"IPv6", "${type} ${srcaddr} ${dstaddr}", v6, "IPv6 2600:1f00::5 2600:1f00::9"},
		{"ICMP", "${protocol} ${srcport} ${dstport} ${tcp-flags} ${action} ${pkt-dst-aws-service}", icmp, "1 0 0 0 REJECT S3"},
		{"no data", DefaultFormat, Record{Interface: "eni-1", Account: "111111111111", Start: start, End: start.Add(time.Minute)},
			"2 111111111111 eni-1 - - - - - - - 1700000000 1700000060 - NODATA"},
		{"version 4 fields", "${version} ${region} ${az-id} ${vpc-id} ${subnet-id}", tcp, "4 us-east-1 use1-az1 vpc-1 subnet-1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(tc.format)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Render(&tc.r); got != tc.want {
				t.Errorf("Render:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// FuzzParse checks that Parse never panics, that what it accepts renders
// a record with one value per field, and that a format it accepts is
// given back as it came.
func FuzzParse(f *testing.F) {
	for _, s := range []string{DefaultFormat, "${srcaddr}", "${a}", "", " ", "${", "${}}", "${srcaddr}  ${dstaddr}", "${traffic-path} ${ecs-task-id}"} {
		f.Add(s)
	}
	r := Record{Src: netip.MustParseAddr("10.0.0.1"), Dst: netip.MustParseAddr("10.0.0.2"), Start: time.Unix(1, 0)}
	f.Fuzz(func(t *testing.T, s string) {
		fm, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("Parse(%q): an error that is not ErrFormat: %v", s, err)
			}
			return
		}
		if fm.String() != s {
			t.Fatalf("Parse(%q).String() = %q", s, fm.String())
		}
		n := strings.Count(s, " ") + 1
		if got := len(strings.Split(fm.Render(&r), " ")); got != n {
			t.Fatalf("Parse(%q): rendered %d values for %d fields", s, got, n)
		}
		if len(strings.Split(fm.Header(), " ")) != n || fm.Version() < 2 {
			t.Fatalf("Parse(%q): header %q version %d", s, fm.Header(), fm.Version())
		}
	})
}
