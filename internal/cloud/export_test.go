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

// Taggable reports whether CreateTags changes k's records directly, and
// HeldBy the kind whose records hold k's.
func Taggable(k Kind) bool { return kinds[k].taggable }
func HeldBy(k Kind) Kind   { return kinds[k].heldBy }

// Kinds is every kind of the registry.
func Kinds() []Kind {
	out := make([]Kind, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	return out
}

// Unmarshal is the kernel's decoder of stored records.
var Unmarshal = unmarshal
