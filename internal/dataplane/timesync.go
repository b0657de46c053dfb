package dataplane

import (
	"encoding/binary"
	"net"
	"net/netip"
	"time"
)

// The Amazon Time Sync Service: what an instance's NTP client (chrony,
// systemd-timesyncd, ntpd) finds at 169.254.169.123 (and [fd00:ec2::123]),
// answered by the fabric from the host's clock, as AWS answers it from the
// instance's host: no security group or network ACL applies and no flow
// log records it. The answer is SNTP's (RFC 4330), 48 bytes, written here:
// the Go NTP libraries are clients.

var (
	timeSyncV4 = netip.MustParseAddr("169.254.169.123")
	timeSyncV6 = netip.MustParseAddr("fd00:ec2::123")
)

const ntpPort = 123

// isTimeSync reports whether a UDP flow goes to the time sync service.
func isTimeSync(dst netip.AddrPort) bool {
	return dst.Port() == ntpPort && (dst.Addr() == timeSyncV4 || dst.Addr() == timeSyncV6)
}

// ntpEpoch is NTP's era 0, 1900-01-01 UTC.
var ntpEpoch = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

func ntpTime(t time.Time) uint64 {
	d := t.Sub(ntpEpoch)
	secs := uint64(d / time.Second)
	frac := uint64(d%time.Second) << 32 / uint64(time.Second)
	return secs<<32 | frac
}

// ntpAnswer is the server's answer (mode 4) to a client's request (mode
// 3, or a symmetric peer's, 1) received at now; it reports false for
// anything else. The service says it is stratum 1 with reference "AMZN"
// (vpcemu's choice: the host's clock stands in for AWS's reference
// clocks).
func ntpAnswer(req []byte, now time.Time) ([]byte, bool) {
	if len(req) < 48 {
		return nil, false
	}
	version, mode := req[0]>>3&7, req[0]&7
	if version < 1 || version > 4 || (mode != 3 && mode != 1) {
		return nil, false
	}
	b := make([]byte, 48)
	b[0] = version<<3 | 4 // leap indicator 0: synchronised
	b[1] = 1              // stratum
	b[2] = req[2]         // the client's poll interval
	b[3] = 0xec           // precision 2^-20 s
	copy(b[12:16], "AMZN")
	binary.BigEndian.PutUint64(b[16:], ntpTime(now.Add(-16*time.Second))) // last set
	copy(b[24:32], req[40:48])                                            // the client's transmit time, as its origin
	binary.BigEndian.PutUint64(b[32:], ntpTime(now))                      // received
	binary.BigEndian.PutUint64(b[40:], ntpTime(time.Now()))               // sent
	return b, true
}

// serveTimeSync answers a UDP flow's NTP requests until it goes idle.
func serveTimeSync(c net.Conn) {
	eachDatagram(c, func(b []byte) {
		if answer, ok := ntpAnswer(b, time.Now()); ok {
			c.Write(answer)
		}
	})
}
