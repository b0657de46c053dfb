package cloud

// What the external tests (package cloud_test, which imports the families)
// read of the kernel's registries.

// Types is the Go type of every kind, by kind.
func Types() map[Kind]func() Object { return types }

// IndexKeys is the store key each indexed filter of k is written under.
func IndexKeys(k Kind) map[string]string {
	out := map[string]string{}
	for filter, ix := range indexOf[k].indexes {
		out[filter] = ix.Key
	}
	return out
}

// Lookup is the keys a Describe call with fs looks up.
var Lookup = lookup
