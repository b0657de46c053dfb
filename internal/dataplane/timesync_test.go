package dataplane

import (
	"encoding/binary"
	"testing"
	"time"
)

// A client's request gets the server's answer: its version, mode 4,
// stratum 1, the client's transmit time as the origin, and the time it
// came; anything that is not a client's request gets none.
func TestNTPAnswer(t *testing.T) {
	req := make([]byte, 48)
	req[0], req[2] = 4<<3|3, 6 // version 4, client; poll 2^6 s
	binary.BigEndian.PutUint64(req[40:], 0x0123456789abcdef)
	now := time.Date(2026, 12, 7, 20, 0, 0, 500_000_000, time.UTC)
	b, ok := ntpAnswer(req, now)
	if !ok || len(b) != 48 || b[0] != 4<<3|4 || b[1] != 1 || b[2] != 6 || string(b[12:16]) != "AMZN" {
		t.Fatalf("answer %x (%v)", b, ok)
	}
	if origin := binary.BigEndian.Uint64(b[24:]); origin != 0x0123456789abcdef {
		t.Errorf("origin %x", origin)
	}
	received := binary.BigEndian.Uint64(b[32:])
	if secs, frac := received>>32, received&0xffffffff; secs != uint64(now.Unix()+2208988800) || frac != 1<<31 {
		t.Errorf("received %d.%x, want %d.80000000", secs, frac, now.Unix()+2208988800)
	}
	for name, bad := range map[string][]byte{
		"short":           req[:47],
		"a server's":      append([]byte{4<<3 | 4}, req[1:]...),
		"a broadcast":     append([]byte{4<<3 | 5}, req[1:]...),
		"version 0":       append([]byte{0<<3 | 3}, req[1:]...),
		"control message": append([]byte{2<<3 | 6}, req[1:]...),
	} {
		if _, ok := ntpAnswer(bad, now); ok {
			t.Errorf("%s: answered", name)
		}
	}
}
