package dataplane

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/oneconn"
	"github.com/vpcemu/vpcemu/internal/regions"
)

// The instance metadata service (IMDS): what an instance's process finds
// at 169.254.169.254 (and [fd00:ec2::254] where the instance enables its
// IPv6 endpoint), served by the fabric itself as AWS serves it from the
// instance's host: no security group or network ACL applies, no flow log
// records it, and nothing else is contacted. Each request reads the
// instance from the live snapshot, so a change through the API (its
// metadata options, tags, addresses) shows at the next request.

// The metadata service's addresses, and its port.
var (
	metadataV4 = netip.MustParseAddr("169.254.169.254")
	metadataV6 = netip.MustParseAddr("fd00:ec2::254")
)

const metadataPort = 80

// Token limits (IMDSv2): a token lives 1 to 21600 seconds, as asked.
const (
	tokenTTLHeader = "X-aws-ec2-metadata-token-ttl-seconds"
	tokenHeader    = "X-aws-ec2-metadata-token"
	maxTokenTTL    = 21600
)

// metadataService keeps the IMDSv2 tokens it handed out, each bound to
// the instance that asked for it.
type metadataService struct {
	mu     sync.Mutex
	tokens map[string]metadataToken
	// now is the clock (tests set it).
	now func() time.Time
}

type metadataToken struct {
	instance string
	expires  time.Time
}

func (m *metadataService) clock() time.Time {
	if m.now != nil {
		return m.now()
	}
	return time.Now()
}

// issue is a new token for instance, living ttl.
func (m *metadataService) issue(instance string, ttl time.Duration) string {
	b := make([]byte, 42)
	rand.Read(b)
	token := "AQAEA" + base64.RawURLEncoding.EncodeToString(b)
	now := m.clock()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tokens == nil {
		m.tokens = map[string]metadataToken{}
	}
	for t, v := range m.tokens {
		if !now.Before(v.expires) {
			delete(m.tokens, t)
		}
	}
	m.tokens[token] = metadataToken{instance: instance, expires: now.Add(ttl)}
	return token
}

// valid reports whether token is a live token of instance, and how long
// it has left.
func (m *metadataService) valid(instance, token string) (time.Duration, bool) {
	m.mu.Lock()
	t, ok := m.tokens[token]
	m.mu.Unlock()
	left := t.expires.Sub(m.clock())
	return left, ok && t.instance == instance && left > 0
}

// servesMetadata reports whether a TCP connection from instance to dst is
// the metadata service's: 169.254.169.254:80, or [fd00:ec2::254]:80 when
// the instance enables the IPv6 endpoint (otherwise that address is no
// different from any other).
func servesMetadata(snap *netview.Snapshot, instance string, dst netip.AddrPort) bool {
	if dst.Port() != metadataPort {
		return false
	}
	inst := snap.Instance(instance) // nil for a host on premises
	switch {
	case inst == nil:
		return false
	case dst.Addr() == metadataV4:
		return true
	case dst.Addr() == metadataV6:
		return inst.Metadata.HTTPProtocolIPv6 == "enabled"
	}
	return false
}

// isMetadata is servesMetadata over the live snapshot.
func (f *Fabric) isMetadata(instance string, dst netip.AddrPort) bool {
	if dst.Port() != metadataPort || (dst.Addr() != metadataV4 && dst.Addr() != metadataV6) {
		return false // the common case, without reading the snapshot
	}
	snap, err := f.decider.live.Current(context.Background())
	return err == nil && servesMetadata(snap, instance, dst)
}

// serveMetadata serves one connection to the metadata service from
// instance, until the client closes it or is idle a while.
func (f *Fabric) serveMetadata(c net.Conn, instance string) {
	srv := &http.Server{Handler: f.metadataHandler(instance), ReadHeaderTimeout: handshakeTimeout, IdleTimeout: idleTimeout,
		ErrorLog: log.New(io.Discard, "", 0)}
	oneconn.Serve(srv, c)
}

// metadataHandler answers instance's requests to the metadata service.
func (f *Fabric) metadataHandler(instance string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		snap, err := f.decider.live.Current(r.Context())
		if err != nil {
			metadataError(w, http.StatusInternalServerError)
			return
		}
		f.imds.serve(w, r, snap, instance)
	})
}

// serve answers one request as AWS's metadata service does.
func (m *metadataService) serve(w http.ResponseWriter, r *http.Request, snap *netview.Snapshot, instance string) {
	w.Header().Set("Server", "EC2ws")
	inst := snap.Instance(instance)
	if inst == nil || !inst.Running() {
		metadataError(w, http.StatusNotFound)
		return
	}
	if inst.Metadata.HTTPEndpoint == "disabled" {
		metadataError(w, http.StatusForbidden) // AWS: the IMDS is turned off
		return
	}
	path := r.URL.Path
	if path == "/latest/api/token" || path == "/latest/api/token/" {
		m.token(w, r, instance)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		metadataError(w, http.StatusMethodNotAllowed)
		return
	}
	if token := r.Header.Get(tokenHeader); token != "" {
		left, ok := m.valid(instance, token)
		if !ok {
			metadataError(w, http.StatusUnauthorized)
			return
		}
		w.Header().Set(tokenTTLHeader, strconv.Itoa(int(left.Seconds())))
	} else if inst.Metadata.HTTPTokens == "required" {
		metadataError(w, http.StatusUnauthorized) // IMDSv1 is off
		return
	}
	body, ok := metadataLookup(snap, inst, path)
	if !ok {
		metadataError(w, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain") // the identity document too, as on AWS
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write([]byte(body))
	}
}

// token answers PUT /latest/api/token: a new token for the instance, for
// the seconds asked. A PUT carrying X-Forwarded-For is refused (it has
// come through a proxy, which IMDSv2 exists to stop).
func (m *metadataService) token(w http.ResponseWriter, r *http.Request, instance string) {
	if r.Method != http.MethodPut {
		w.Header().Set("Allow", "PUT")
		metadataError(w, http.StatusMethodNotAllowed)
		return
	}
	if r.Header.Get("X-Forwarded-For") != "" {
		metadataError(w, http.StatusForbidden)
		return
	}
	ttl, err := strconv.Atoi(strings.TrimSpace(r.Header.Get(tokenTTLHeader)))
	if err != nil || ttl < 1 || ttl > maxTokenTTL {
		metadataError(w, http.StatusBadRequest)
		return
	}
	token := m.issue(instance, time.Duration(ttl)*time.Second)
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set(tokenTTLHeader, strconv.Itoa(ttl))
	w.Header().Set("Content-Length", strconv.Itoa(len(token)))
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(token))
}

// metadataError answers with status and AWS's page for it.
func metadataError(w http.ResponseWriter, status int) {
	title := fmt.Sprintf("%d - %s", status, http.StatusText(status))
	body := `<?xml version="1.0" encoding="iso-8859-1"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
         "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title>` + title + `</title>
 </head>
 <body>
  <h1>` + title + `</h1>
 </body>
</html>
`
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write([]byte(body))
}

// metadataVersion is a version of the metadata's paths: latest, or a
// dated one (2021-07-15), which vpcemu answers alike.
var metadataVersion = regexp.MustCompile(`^(latest|1\.0|\d{4}-\d{2}-\d{2})$`)

// metadataLookup is the body at a path of the metadata service: a value,
// or a listing (a directory's entries, one a line, directories ending in
// "/").
func metadataLookup(snap *netview.Snapshot, inst *network.Instance, path string) (string, bool) {
	if path == "/" {
		return "latest", true
	}
	version, rest, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if !metadataVersion.MatchString(version) {
		return "", false
	}
	tree := metadataTree(snap, inst)
	rest = strings.TrimSuffix(rest, "/")
	if v, ok := tree[rest]; ok {
		return v, true
	}
	// A directory: its entries (the root of a version when rest is "").
	prefix := rest + "/"
	if rest == "" {
		prefix = ""
	}
	var entries []string
	for p := range tree {
		after, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		name, _, dir := strings.Cut(after, "/")
		if dir {
			name += "/"
		}
		if !slices.Contains(entries, name) {
			entries = append(entries, name)
		}
	}
	if len(entries) == 0 {
		return "", false
	}
	slices.Sort(entries)
	return strings.Join(entries, "\n"), true
}

// metadataTree is every value the metadata service has for an instance,
// by its path under a version (meta-data/instance-id).
func metadataTree(snap *netview.Snapshot, inst *network.Instance) map[string]string {
	t := map[string]string{}
	md := func(path, value string) {
		if value != "" {
			t["meta-data/"+path] = value
		}
	}
	region := inst.Region
	md("ami-id", inst.ImageID)
	md("ami-launch-index", strconv.Itoa(int(inst.AmiLaunchIndex)))
	md("ami-manifest-path", "(unknown)")
	md("instance-action", "none")
	md("instance-id", inst.ID)
	md("instance-life-cycle", "on-demand")
	md("instance-type", inst.InstanceType)
	md("profile", "default-hvm")
	md("reservation-id", inst.ReservationID)
	md("placement/availability-zone", inst.AvailabilityZone)
	md("placement/availability-zone-id", inst.AvailabilityZoneID)
	md("placement/region", region)
	// vpcemu's regions are the aws partition's (the catalog's, as ARNs
	// name it).
	md("services/domain", "amazonaws.com")
	md("services/partition", regions.Partition)

	var privateIP string
	for k, id := range inst.NetworkInterfaces {
		n := snap.Interface(id)
		if n == nil {
			continue
		}
		mac := n.MACAddress
		dir := "network/interfaces/macs/" + mac + "/"
		device := k
		if n.Attachment != nil {
			device = int(n.Attachment.DeviceIndex)
		}
		md(dir+"device-number", strconv.Itoa(device))
		md(dir+"interface-id", n.ID)
		md(dir+"mac", mac)
		md(dir+"owner-id", n.Owner)
		md(dir+"local-hostname", n.PrivateDNSName())
		var v4, v6, groupIDs, groupNames []string
		for _, a := range n.Addrs {
			if a.Is4() {
				v4 = append(v4, a.String())
			} else {
				v6 = append(v6, a.String())
			}
		}
		md(dir+"local-ipv4s", strings.Join(v4, "\n"))
		md(dir+"ipv6s", strings.Join(v6, "\n"))
		for _, g := range n.SecurityGroups {
			groupIDs = append(groupIDs, g.ID)
			groupNames = append(groupNames, g.Name)
		}
		md(dir+"security-group-ids", strings.Join(groupIDs, "\n"))
		md(dir+"security-groups", strings.Join(groupNames, "\n"))
		var publics []string
		for i, a := range n.Addrs {
			if i < len(n.Public) && n.Public[i].IsValid() {
				publics = append(publics, n.Public[i].String())
				md(dir+"ipv4-associations/"+n.Public[i].String(), a.String())
			}
		}
		md(dir+"public-ipv4s", strings.Join(publics, "\n"))
		publicName := ""
		if len(publics) > 0 && n.Subnet != nil && n.Subnet.VPC != nil {
			ni := *n.NetworkInterface
			ni.DNSHostnames = n.Subnet.VPC.EnableDNSHostnames
			publicName = ni.PublicDNSName(publics[0])
			md(dir+"public-hostname", publicName)
		}
		if s := n.Subnet; s != nil {
			md(dir+"subnet-id", s.ID)
			if s.Block.IsValid() {
				md(dir+"subnet-ipv4-cidr-block", s.Block.String())
			}
			if s.Block6.IsValid() {
				md(dir+"subnet-ipv6-cidr-blocks", s.Block6.String())
			}
			if v := s.VPC; v != nil {
				md(dir+"vpc-id", v.ID)
				var blocks, blocks6 []string
				for _, b := range v.Blocks {
					blocks = append(blocks, b.String())
				}
				for _, b := range v.Blocks6 {
					blocks6 = append(blocks6, b.String())
				}
				if len(blocks) > 0 {
					md(dir+"vpc-ipv4-cidr-block", blocks[0])
				}
				md(dir+"vpc-ipv4-cidr-blocks", strings.Join(blocks, "\n"))
				md(dir+"vpc-ipv6-cidr-blocks", strings.Join(blocks6, "\n"))
			}
		}
		if device != 0 {
			continue
		}
		// The primary interface is the instance's own addresses and names.
		md("mac", mac)
		if len(v4) > 0 {
			privateIP = v4[0]
		}
		md("local-ipv4", privateIP)
		md("local-hostname", n.PrivateDNSName())
		md("hostname", n.PrivateDNSName())
		md("security-groups", strings.Join(groupNames, "\n"))
		if len(v6) > 0 {
			md("ipv6", v6[0])
		}
		if len(publics) > 0 {
			md("public-ipv4", publics[0])
			md("public-hostname", publicName)
		}
	}
	if inst.Metadata.InstanceMetadataTags == "enabled" {
		for k, v := range inst.Tags {
			// Keys with a "/" cannot be paths: AWS leaves them out, as
			// it does keys of only "." or "..".
			if k != "" && !strings.Contains(k, "/") && k != "." && k != ".." {
				t["meta-data/tags/instance/"+k] = v
			}
		}
	}
	if ud, err := base64.StdEncoding.DecodeString(inst.UserData); err == nil && len(ud) > 0 {
		t["user-data"] = string(ud)
	}
	t["dynamic/instance-identity/document"] = identityDocument(inst, privateIP)
	return t
}

// identityDocument is the instance identity document, shaped (field
// order, spacing, the nulls) as AWS gives it.
func identityDocument(inst *network.Instance, privateIP string) string {
	q := strconv.Quote
	fields := []struct{ k, v string }{
		{"accountId", q(inst.Owner)},
		{"architecture", q(inst.Architecture())},
		{"availabilityZone", q(inst.AvailabilityZone)},
		{"billingProducts", "null"},
		{"devpayProductCodes", "null"},
		{"marketplaceProductCodes", "null"},
		{"imageId", q(inst.ImageID)},
		{"instanceId", q(inst.ID)},
		{"instanceType", q(inst.InstanceType)},
		{"kernelId", "null"},
		{"pendingTime", q(inst.LaunchTime.UTC().Format("2006-01-02T15:04:05Z"))},
		{"privateIp", q(privateIP)},
		{"ramdiskId", "null"},
		{"region", q(inst.Region)},
		{"version", q("2017-09-30")},
	}
	var b strings.Builder
	b.WriteString("{\n")
	for i, f := range fields {
		fmt.Fprintf(&b, "  %q : %s", f.k, f.v)
		if i < len(fields)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}")
	return b.String()
}
