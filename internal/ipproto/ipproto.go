// Package ipproto is the IP protocol vocabulary vpcemu shares, modelled on
// Tailscale's types/ipproto: the protocol numbers, the names AWS gives four
// of them (tcp, udp, icmp, icmpv6) and "all" (-1), and parsing either form.
package ipproto

import (
	"strconv"
	"strings"
)

// Proto is an IP protocol number, or All.
type Proto int

// The protocols AWS names, and All, which security group and network ACL
// rules write -1.
const (
	All    Proto = -1
	ICMP   Proto = 1
	TCP    Proto = 6
	UDP    Proto = 17
	ICMPv6 Proto = 58
)

var names = map[Proto]string{ICMP: "icmp", TCP: "tcp", UDP: "udp", ICMPv6: "icmpv6"}

// Parse reads a protocol by number (-1 to 255) or by name (tcp, udp, icmp,
// icmpv6, all; any case).
func Parse(s string) (Proto, bool) {
	switch strings.ToLower(s) {
	case "tcp":
		return TCP, true
	case "udp":
		return UDP, true
	case "icmp":
		return ICMP, true
	case "icmpv6":
		return ICMPv6, true
	case "all":
		return All, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < -1 || n > 255 {
		return 0, false
	}
	return Proto(n), true
}

// Name is how AWS writes the protocol in a security group rule: the name
// of tcp, udp, icmp and icmpv6, else the number ("-1" for All, "50").
func (p Proto) Name() string {
	if n, ok := names[p]; ok {
		return n
	}
	return strconv.Itoa(int(p))
}

// String is the name people read: Name, with "all" for All.
func (p Proto) String() string {
	if p == All {
		return "all"
	}
	return p.Name()
}

// Number is the protocol's number as a string ("6"), as network ACL entries
// store it.
func (p Proto) Number() string { return strconv.Itoa(int(p)) }

// IsICMP reports whether p is ICMP or ICMPv6, whose rules hold types and
// codes where others hold ports.
func (p Proto) IsICMP() bool { return p == ICMP || p == ICMPv6 }

// HasPorts reports whether p is TCP or UDP.
func (p Proto) HasPorts() bool { return p == TCP || p == UDP }
