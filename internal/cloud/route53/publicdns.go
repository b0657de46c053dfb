package route53

import (
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

func init() { cloud.RegisterPublicDNS(publicDNS{}) }

// publicDNS answers public names from the public zones of every account
// (see cloud.PublicDNS).
type publicDNS struct{}

// TXT answers from the zones authoritative for name. Several accounts may
// have public zones of one name; only the one a registrar delegates to
// answers on the internet, and vpcemu has no registrar, so each of them
// answers.
func (publicDNS) TXT(t *cloud.Txn, name string) ([]string, error) {
	name = Fqdn(name)
	if !validName(name) {
		return nil, nil
	}
	zones, err := authoritative(t, name)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, z := range zones {
		sets, err := atName(t, z, name)
		if err != nil {
			return nil, err
		}
		for _, r := range sets {
			if r.Type != "TXT" {
				continue
			}
			for _, v := range r.Values {
				out = append(out, txtText(v))
			}
		}
	}
	return out, nil
}

// authoritative are the public zones of the most specific apex that is
// name or a parent of it: a subdomain's own zone answers for it, whatever
// its parent's zone holds.
func authoritative(t *cloud.Txn, name string) ([]*HostedZone, error) {
	for apex := name; apex != ""; {
		zones, err := cloud.FindAny[HostedZone](t, publicNameKey(apex))
		if err != nil || len(zones) > 0 {
			return zones, err
		}
		_, apex, _ = strings.Cut(apex, ".")
	}
	return nil, nil
}

// txtText is a TXT value's text: its character-strings (quoted, with \X
// and \DDD escapes, or bare words) joined, as domain verifiers read them.
func txtText(v string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"':
			quoted = !quoted
		case c == '\\' && i+3 < len(v) && isDigit(v[i+1]) && isDigit(v[i+2]) && isDigit(v[i+3]):
			b.WriteByte(byte((int(v[i+1]-'0')*100 + int(v[i+2]-'0')*10 + int(v[i+3]-'0')) & 0xff))
			i += 3
		case c == '\\' && i+1 < len(v):
			i++
			b.WriteByte(v[i])
		case !quoted && (c == ' ' || c == '\t'):
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
