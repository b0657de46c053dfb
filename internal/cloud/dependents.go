package cloud

// removeHooks are what goes with a resource of a kind when it is removed,
// by kind: a family above the one that owns the kind registers them (the
// flow logs of a VPC, a subnet or an interface go with it).
var removeHooks = map[Kind][]func(t *Txn, id string) error{}

// OnRemove registers fn to run, in the same transaction, whenever a
// resource of kind k is removed; families call it from init.
func OnRemove(k Kind, fn func(t *Txn, id string) error) {
	removeHooks[k] = append(removeHooks[k], fn)
}

// removeDependents runs the hooks of a removed resource.
func removeDependents(t *Txn, o Object) error {
	for _, fn := range removeHooks[o.Kind()] {
		if err := fn(t, o.Base().ID); err != nil {
			return err
		}
	}
	return nil
}
