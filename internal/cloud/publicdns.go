package cloud

// PublicDNS is the internet's DNS as vpcemu has it: the public hosted
// zones of every account stand in for it. The route53 family keeps them
// and registers it; privatelink asks it when a provider proves it owns a
// private DNS name. It reads in the caller's transaction, so an answer is
// consistent with what the caller changes.
type PublicDNS interface {
	// TXT is what a resolver answers for the TXT records of name (a domain
	// name, any case, with or without the final dot): the public zone
	// answering for name is the most specific one whose apex is name or a
	// parent of it; each value is one record's text, its character-strings
	// joined. None when no public zone answers for name, or it holds none.
	TXT(t *Txn, name string) ([]string, error)
}

// publicDNS is the registered PublicDNS; nil when no family keeps zones.
var publicDNS PublicDNS

// RegisterPublicDNS tells the kernel who answers public DNS names.
func RegisterPublicDNS(d PublicDNS) { publicDNS = d }

// LookupTXT asks the registered PublicDNS for name's TXT values; without
// one, no name has any.
func LookupTXT(t *Txn, name string) ([]string, error) {
	if publicDNS == nil {
		return nil, nil
	}
	return publicDNS.TXT(t, name)
}
