package reach

import "slices"

// ports is a set of ports (or ICMP types): sorted, disjoint, non-adjacent
// ranges. Rules narrow it hop by hop; an empty set means nothing passes.
// Sets are never changed in place, so hops can share them.
type ports []PortRange

var (
	allPorts       = ports{{0, 65535}}
	ephemeralPorts = ports{{1024, 65535}}
)

// single is the set of one port.
func single(p int) ports { return ports{{p, p}} }

// port is the set's one port, when it holds only one.
func (s ports) port() (int, bool) {
	if len(s) == 1 && s[0].From == s[0].To {
		return s[0].From, true
	}
	return 0, false
}

// within is the part of the set inside [from, to]: the set itself when it
// lies wholly inside, so the common case does not allocate.
func (s ports) within(from, to int) ports {
	if len(s) > 0 && from <= s[0].From && s[len(s)-1].To <= to {
		return s
	}
	var out ports
	for _, r := range s {
		lo, hi := max(r.From, from), min(r.To, to)
		if lo <= hi {
			out = append(out, PortRange{lo, hi})
		}
	}
	return out
}

// intersect is the part of s in t.
func (s ports) intersect(t ports) ports {
	if len(t) == 1 {
		return s.within(t[0].From, t[0].To)
	}
	var out ports
	for _, r := range t {
		out = out.union(s.within(r.From, r.To))
	}
	return out
}

// union is s with t added.
func (s ports) union(t ports) ports {
	if len(s) == 0 {
		return t
	}
	if len(t) == 0 {
		return s
	}
	all := slices.Concat(s, t)
	slices.SortFunc(all, func(a, b PortRange) int { return a.From - b.From })
	out := ports{all[0]}
	for _, r := range all[1:] {
		last := &out[len(out)-1]
		if r.From <= last.To+1 {
			last.To = max(last.To, r.To)
			continue
		}
		out = append(out, r)
	}
	return out
}

// ranges is the set as AWS lists it.
func (s ports) ranges() []PortRange { return slices.Clone(s) }
