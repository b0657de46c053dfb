package network

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/awsservices"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// ManagedPrefixList is a named set of CIDR blocks that security group rules
// and routes reference as one: a customer-managed list an account created,
// or an AWS-managed list of a service's address ranges (Owner "AWS", built
// from the awsservices catalog and never stored).
type ManagedPrefixList struct {
	cloud.Meta
	Name          string
	AddressFamily string // IPv4 or IPv6
	// MaxEntries is what the list counts for in the quotas of the resources
	// that reference it (an AWS-managed list's weight).
	MaxEntries   int32
	Version      int64 // 0 for AWS-managed lists, whose version AWS hides
	State        string
	StateMessage string            `json:",omitempty"`
	Entries      []PrefixListEntry `json:",omitempty"`
	// History holds the entries of earlier versions, oldest first.
	History []PrefixListVersion `json:",omitempty"`
}

// PrefixListEntry is one CIDR block of a list.
type PrefixListEntry struct {
	CIDR        string
	Description string `json:",omitempty"`
}

// PrefixListVersion is the entries a list had at one version.
type PrefixListVersion struct {
	Version int64
	Entries []PrefixListEntry `json:",omitempty"`
}

// AWSOwner is the OwnerId of AWS-managed prefix lists.
const AWSOwner = "AWS"

// Prefix list states, as AWS names them.
const (
	PrefixListCreateComplete  = "create-complete"
	PrefixListModifyComplete  = "modify-complete"
	PrefixListModifyFailed    = "modify-failed"
	PrefixListRestoreComplete = "restore-complete"
)

// Limits of customer-managed prefix lists.
const (
	maxPrefixListEntries  = 1000 // MaxEntries
	maxPrefixListVersions = 1000 // stored versions; the oldest go first
	maxPrefixListName     = 255
	maxEntryDescription   = 255
)

func (*ManagedPrefixList) Kind() cloud.Kind { return cloud.KindPrefixList }

func init() { cloud.RegisterType[ManagedPrefixList]() }

// prefixListIndexes are the filters DescribeManagedPrefixLists finds by
// index.
var prefixListIndexes = cloud.Declare(cloud.KindPrefixList, cloud.Same("prefix-list-name"), nil)

func (p *ManagedPrefixList) Keys() []cloud.Key {
	return []cloud.Key{prefixListIndexes.Key("prefix-list-name", p.Name)}
}

// AWSManaged reports whether AWS manages the list.
func (p *ManagedPrefixList) AWSManaged() bool { return p.Owner == AWSOwner }

// ARN is the list's Amazon Resource Name; AWS-managed lists have the
// account "aws".
func (p *ManagedPrefixList) ARN() string {
	owner := p.Owner
	if p.AWSManaged() {
		owner = "aws"
	}
	return arn.EC2(p.Region, owner, "prefix-list", p.ID)
}

// CIDRs lists the blocks of the current version.
func (p *ManagedPrefixList) CIDRs() []string {
	out := make([]string, len(p.Entries))
	for i, e := range p.Entries {
		out[i] = e.CIDR
	}
	return out
}

// EntriesAt returns the entries of a version: the current one, or one of
// the versions kept.
func (p *ManagedPrefixList) EntriesAt(version int64) ([]PrefixListEntry, error) {
	if version == p.Version {
		return p.Entries, nil
	}
	for _, h := range p.History {
		if h.Version == version {
			return h.Entries, nil
		}
	}
	return nil, cloud.InvalidParam("The prefix list %s has no version %d.", p.ID, version)
}

// AWSManagedPrefixList makes the domain view of an AWS-managed list.
func AWSManagedPrefixList(l awsservices.PrefixList) *ManagedPrefixList {
	p := &ManagedPrefixList{
		Meta:          cloud.Meta{ID: l.ID, Owner: AWSOwner, Region: l.Region},
		Name:          l.Name,
		AddressFamily: l.AddressFamily,
		MaxEntries:    l.Weight,
		State:         PrefixListCreateComplete,
	}
	for _, c := range l.CIDRs {
		p.Entries = append(p.Entries, PrefixListEntry{CIDR: c})
	}
	return p
}

func prefixListNotFound(ids ...string) *cloud.Error {
	return cloud.Missing(cloud.KindPrefixList, ids...)
}

// prefixListFor loads a list the caller can reference: one of its own or
// an AWS-managed list of its region.
func prefixListFor(t *cloud.Txn, id string) (*ManagedPrefixList, error) {
	if !cloud.WellFormed(id, "pl-") {
		return nil, malformedID(cloud.KindPrefixList, id, "pl-")
	}
	if l, ok := awsservices.FindPrefixList(t.Scope.Region, id); ok {
		return AWSManagedPrefixList(l), nil
	}
	return cloud.GetIn[ManagedPrefixList](t, id)
}

// ownPrefixList loads one of the caller's customer-managed lists for a
// change; AWS-managed lists cannot be changed.
func ownPrefixList(t *cloud.Txn, id string) (*ManagedPrefixList, error) {
	p, err := prefixListFor(t, id)
	if err != nil {
		return nil, err
	}
	if p.AWSManaged() {
		return nil, cloud.Errorf(cloud.OperationNotPermitted, cloud.KindPrefixList, "The prefix list %s is managed by AWS and cannot be modified or deleted.", id)
	}
	return p, nil
}

// prefixListEntries checks a request's entries for a list of the family and
// returns them canonical (host bits cleared), in address order.
func prefixListEntries(family string, in []PrefixListEntry) ([]PrefixListEntry, error) {
	out := make([]PrefixListEntry, 0, len(in))
	seen := map[string]bool{}
	for _, e := range in {
		cidr, err := prefixListCIDR(family, e.CIDR)
		if err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(e.Description) > maxEntryDescription {
			return nil, cloud.InvalidParam("Value for parameter Description is invalid. The description of entry %s exceeds %d characters.", e.CIDR, maxEntryDescription)
		}
		if seen[cidr] {
			return nil, cloud.InvalidParam("The request contains the entry %s more than once.", cidr)
		}
		seen[cidr] = true
		out = append(out, PrefixListEntry{CIDR: cidr, Description: e.Description})
	}
	sortEntries(out)
	return out, nil
}

// prefixListCIDR parses one entry's block for a list of the family.
func prefixListCIDR(family, s string) (string, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || p.Addr().Is4In6() || p.Addr().Zone() != "" {
		return "", cloud.InvalidParam("Value (%s) for parameter Cidr is invalid. This is not a valid CIDR block.", s)
	}
	if p.Addr().Is4() != (family == "IPv4") {
		return "", cloud.InvalidParam("Value (%s) for parameter Cidr is invalid. The CIDR block must be an %s CIDR block for a prefix list of address family %s.", s, family, family)
	}
	return p.Masked().String(), nil
}

func sortEntries(e []PrefixListEntry) {
	sort.Slice(e, func(i, j int) bool {
		a, b := netip.MustParsePrefix(e[i].CIDR), netip.MustParsePrefix(e[j].CIDR)
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c < 0
		}
		return a.Bits() < b.Bits()
	})
}

func checkMaxEntries(n int32) error {
	if n < 1 || n > maxPrefixListEntries {
		return cloud.InvalidParam("Must specify a max size between 1 and %d", maxPrefixListEntries)
	}
	return nil
}

func checkPrefixListName(name string) error {
	switch {
	case name == "":
		return cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter PrefixListName")
	case utf8.RuneCountInString(name) > maxPrefixListName:
		return cloud.InvalidParam("Value for parameter PrefixListName is invalid. The name cannot exceed %d characters.", maxPrefixListName)
	case strings.HasPrefix(strings.ToLower(name), "com.amazonaws"):
		return cloud.InvalidParam("Value (%s) for parameter PrefixListName is invalid. The name cannot start with com.amazonaws.", name)
	}
	return nil
}

func tooManyEntries(p *ManagedPrefixList) *cloud.Error {
	return cloud.Errorf(cloud.LimitExceeded, cloud.KindPrefixListEntry, "The maximum number of entries (%d) for prefix list %s has been exceeded.", p.MaxEntries, p.ID)
}

// CreatePrefixListInput is what CreateManagedPrefixList takes.
type CreatePrefixListInput struct {
	Name          string
	AddressFamily string
	MaxEntries    int32
	Entries       []PrefixListEntry
	Tags          []cloud.TagSpec
}

// CreateManagedPrefixList creates a customer-managed prefix list at
// version 1.
func (c *Service) CreateManagedPrefixList(ctx context.Context, who cloud.Caller, in CreatePrefixListInput) (*ManagedPrefixList, error) {
	if err := checkPrefixListName(in.Name); err != nil {
		return nil, err
	}
	if in.AddressFamily != "IPv4" && in.AddressFamily != "IPv6" {
		return nil, cloud.InvalidParam("Value (%s) for parameter AddressFamily is invalid. Valid values are IPv4 and IPv6.", in.AddressFamily)
	}
	if err := checkMaxEntries(in.MaxEntries); err != nil {
		return nil, err
	}
	entries, err := prefixListEntries(in.AddressFamily, in.Entries)
	if err != nil {
		return nil, err
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindPrefixList)
	if err != nil {
		return nil, err
	}
	var p *ManagedPrefixList
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		n := 0
		if err := t.Scan(cloud.KindPrefixList, t.Scope, "", func(*cloud.Record) bool { n++; return true }); err != nil {
			return err
		}
		if n >= t.Limit("prefix-lists") {
			return cloud.Errorf(cloud.LimitExceeded, cloud.KindPrefixList, "The maximum number of prefix lists (%d) has been reached.", t.Limit("prefix-lists"))
		}
		p = &ManagedPrefixList{
			Meta:          cloud.Meta{ID: t.NewID("pl-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[cloud.KindPrefixList]},
			Name:          in.Name,
			AddressFamily: in.AddressFamily,
			MaxEntries:    in.MaxEntries,
			Version:       1,
			State:         PrefixListCreateComplete,
			Entries:       entries,
		}
		if len(entries) > int(p.MaxEntries) {
			return tooManyEntries(p)
		}
		return cloud.Put(t, p)
	})
	return p, err
}

// ModifyPrefixListInput is what ModifyManagedPrefixList takes. A change of
// entries and a change of size cannot go together.
type ModifyPrefixListInput struct {
	ID             string
	CurrentVersion *int64
	Name           *string
	Add            []PrefixListEntry
	Remove         []string
	MaxEntries     *int32
}

// ModifyManagedPrefixList renames a list, changes its entries (a new
// version) or resizes it. A resize that a resource referencing the list
// cannot take fails the way AWS fails it: the call succeeds and the list
// ends in modify-failed, its size unchanged, with the first ten such
// resources in its state message. It returns the list as the call leaves it.
func (c *Service) ModifyManagedPrefixList(ctx context.Context, who cloud.Caller, in ModifyPrefixListInput) (*ManagedPrefixList, error) {
	changesEntries := len(in.Add) > 0 || len(in.Remove) > 0
	if changesEntries && in.MaxEntries != nil {
		return nil, cloud.Errorf(cloud.InvalidCombination, "", "You cannot modify the entries of a prefix list and modify the size of a prefix list at the same time.")
	}
	if changesEntries && in.CurrentVersion == nil {
		return nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter CurrentVersion")
	}
	if in.Name != nil {
		if err := checkPrefixListName(*in.Name); err != nil {
			return nil, err
		}
	}
	if in.MaxEntries != nil {
		if err := checkMaxEntries(*in.MaxEntries); err != nil {
			return nil, err
		}
	}
	var p *ManagedPrefixList
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if p, err = ownPrefixList(t, in.ID); err != nil {
			return err
		}
		if in.CurrentVersion != nil && *in.CurrentVersion != p.Version {
			return versionMismatch()
		}
		if in.Name != nil {
			p.Name = *in.Name
		}
		p.State, p.StateMessage = PrefixListModifyComplete, ""
		if changesEntries {
			entries, err := editedEntries(p, in.Add, in.Remove)
			if err != nil {
				return err
			}
			p.newVersion(entries)
		}
		if in.MaxEntries != nil {
			if err := resizePrefixList(t, p, *in.MaxEntries); err != nil {
				return err
			}
		}
		return cloud.Put(t, p)
	})
	return p, err
}

func versionMismatch() *cloud.Error {
	return cloud.Errorf(cloud.Conflict, cloud.KindPrefixList, "The prefix list has the incorrect version number.")
}

// editedEntries applies a request's removals and additions to the list's
// entries.
func editedEntries(p *ManagedPrefixList, add []PrefixListEntry, remove []string) ([]PrefixListEntry, error) {
	added, err := prefixListEntries(p.AddressFamily, add)
	if err != nil {
		return nil, err
	}
	entries := slices.Clone(p.Entries)
	for _, r := range remove {
		cidr, err := prefixListCIDR(p.AddressFamily, r)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(added, func(e PrefixListEntry) bool { return e.CIDR == cidr }) {
			return nil, cloud.InvalidParam("Request cannot contain Cidr %s in both AddPrefixListEntries and RemovePrefixListEntries", cidr)
		}
		i := slices.IndexFunc(entries, func(e PrefixListEntry) bool { return e.CIDR == cidr })
		if i < 0 {
			return nil, cloud.Errorf(cloud.InvalidParameter, cloud.KindPrefixListEntry, "The prefix list entry %s does not exist.", cidr)
		}
		entries = slices.Delete(entries, i, i+1)
	}
	for _, a := range added {
		if slices.ContainsFunc(entries, func(e PrefixListEntry) bool { return e.CIDR == a.CIDR }) {
			return nil, cloud.Errorf(cloud.InvalidParameter, cloud.KindPrefixListEntry, "The prefix list entry %s already exists.", a.CIDR)
		}
		entries = append(entries, a)
	}
	if len(entries) > int(p.MaxEntries) {
		return nil, tooManyEntries(p)
	}
	sortEntries(entries)
	return entries, nil
}

// newVersion makes entries the list's next version, keeping the current
// one in the history (AWS keeps 1,000 versions and drops the oldest).
func (p *ManagedPrefixList) newVersion(entries []PrefixListEntry) {
	p.History = append(p.History, PrefixListVersion{Version: p.Version, Entries: p.Entries})
	if over := len(p.History) + 1 - maxPrefixListVersions; over > 0 {
		p.History = slices.Delete(p.History, 0, over)
	}
	p.Version++
	p.Entries = entries
}

// resizePrefixList changes a list's size. Below its entries it is refused;
// above what a referencing resource can take, the list's modification
// fails (see ModifyManagedPrefixList).
func resizePrefixList(t *cloud.Txn, p *ManagedPrefixList, size int32) error {
	if int(size) < len(p.Entries) {
		return cloud.InvalidParam("The maximum number of entries (%d) cannot be less than the number of entries in the prefix list (%d).", size, len(p.Entries))
	}
	old := p.MaxEntries
	p.MaxEntries = size
	blocked, err := resourcesOverQuota(t, p)
	if err != nil {
		return err
	}
	if len(blocked) > 0 {
		p.MaxEntries = old
		p.State = PrefixListModifyFailed
		p.StateMessage = fmt.Sprintf("The following resources cannot support the new maximum number of entries (%d) of the prefix list: %s", size, strings.Join(blocked, ", "))
	}
	return nil
}

// resourcesOverQuota lists (up to ten) the resources referencing p that
// would exceed a quota with p at its current size.
func resourcesOverQuota(t *cloud.Txn, p *ManagedPrefixList) ([]string, error) {
	refs, err := prefixListReferences(t, p.ID)
	if err != nil {
		return nil, err
	}
	var out []string
	over := func(id string, err error) error {
		switch {
		case isLimit(err):
			if len(out) < 10 && !slices.Contains(out, id) {
				out = append(out, id)
			}
			return nil
		default:
			return err
		}
	}
	for _, g := range refs.groups {
		for _, egress := range []bool{false, true} {
			if err := over(g.ID, checkRuleQuota(t, g, egress, p)); err != nil {
				return nil, err
			}
		}
	}
	for _, rt := range refs.tables {
		if err := over(rt.ID, checkRouteQuota(t, rt, p)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func isLimit(err error) bool {
	e, ok := cloud.AsError(err)
	return ok && e.Reason == cloud.LimitExceeded
}

// RestoreManagedPrefixListVersion makes the entries of an earlier version
// the list's next version.
func (c *Service) RestoreManagedPrefixListVersion(ctx context.Context, who cloud.Caller, id string, previous, current int64) (*ManagedPrefixList, error) {
	var p *ManagedPrefixList
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if p, err = ownPrefixList(t, id); err != nil {
			return err
		}
		if current != p.Version {
			return versionMismatch()
		}
		if previous == p.Version {
			return cloud.InvalidParam("The prefix list %s is already at version %d.", id, previous)
		}
		entries, err := p.EntriesAt(previous)
		if err != nil {
			return err
		}
		if len(entries) > int(p.MaxEntries) {
			return tooManyEntries(p)
		}
		p.newVersion(slices.Clone(entries))
		p.State, p.StateMessage = PrefixListRestoreComplete, ""
		return cloud.Put(t, p)
	})
	return p, err
}

// DeleteManagedPrefixList deletes a list that no security group rule or
// route references.
func (c *Service) DeleteManagedPrefixList(ctx context.Context, who cloud.Caller, id string) (*ManagedPrefixList, error) {
	var p *ManagedPrefixList
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if p, err = ownPrefixList(t, id); err != nil {
			return err
		}
		refs, err := prefixListReferences(t, id)
		if err != nil {
			return err
		}
		if len(refs.groups)+len(refs.tables) > 0 {
			return cloud.HasDependents(cloud.KindPrefixList, id)
		}
		return cloud.Remove(t, p)
	})
	return p, err
}

// ListManagedPrefixLists runs a DescribeManagedPrefixLists query: the
// caller's lists and its region's AWS-managed lists, in id order.
func (c *Service) ListManagedPrefixLists(ctx context.Context, who cloud.Caller, q cloud.Query, match func(*ManagedPrefixList) bool) (cloud.Page[*ManagedPrefixList], error) {
	var page cloud.Page[*ManagedPrefixList]
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		candidates, err := prefixListCandidates(t, q)
		if err != nil {
			return err
		}
		page = pageOf(candidates, q, match, func(p *ManagedPrefixList) string { return p.ID })
		return nil
	})
	return page, err
}

// prefixListCandidates loads the lists a query may return, in id order.
func prefixListCandidates(t *cloud.Txn, q cloud.Query) ([]*ManagedPrefixList, error) {
	var out []*ManagedPrefixList
	if len(q.IDs) > 0 {
		var missing []string
		for _, id := range cloud.SortedUnique(q.IDs) {
			p, err := prefixListFor(t, id)
			switch {
			case ErrIsNotFound(err):
				missing = append(missing, id)
			case err != nil:
				return nil, err
			default:
				out = append(out, p)
			}
		}
		if len(missing) > 0 {
			return nil, prefixListNotFound(missing...)
		}
		return out, nil
	}
	for _, l := range awsservices.PrefixLists(t.Scope.Region) {
		out = append(out, AWSManagedPrefixList(l))
	}
	own, err := cloud.ListIn[ManagedPrefixList](t, cloud.Query{Filters: q.Filters}, nil)
	if err != nil {
		return nil, err
	}
	out = append(out, own.Items...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// pageOf takes one page of sorted items: those after q.After that match,
// up to q.Limit.
func pageOf[P any](items []P, q cloud.Query, match func(P) bool, key func(P) string) cloud.Page[P] {
	var page cloud.Page[P]
	for _, p := range items {
		if key(p) <= q.After || match != nil && !match(p) {
			continue
		}
		if q.Limit > 0 && len(page.Items) == q.Limit {
			page.Next = key(page.Items[len(page.Items)-1])
			break
		}
		page.Items = append(page.Items, p)
	}
	return page
}

// AWSPrefixLists lists the AWS-managed prefix lists of the caller's region
// that match, one page of them (DescribePrefixLists).
func (c *Service) AWSPrefixLists(ctx context.Context, who cloud.Caller, q cloud.Query, match func(*ManagedPrefixList) bool) (cloud.Page[*ManagedPrefixList], error) {
	var page cloud.Page[*ManagedPrefixList]
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		var lists []*ManagedPrefixList
		var missing []string
		for _, l := range awsservices.PrefixLists(t.Scope.Region) {
			lists = append(lists, AWSManagedPrefixList(l))
		}
		if len(q.IDs) > 0 {
			var wanted []*ManagedPrefixList
			for _, id := range cloud.SortedUnique(q.IDs) {
				if !cloud.WellFormed(id, "pl-") {
					return malformedID(cloud.KindPrefixList, id, "pl-")
				}
				i := slices.IndexFunc(lists, func(p *ManagedPrefixList) bool { return p.ID == id })
				if i < 0 {
					missing = append(missing, id)
					continue
				}
				wanted = append(wanted, lists[i])
			}
			if len(missing) > 0 {
				return prefixListNotFound(missing...)
			}
			lists = wanted
		}
		page = pageOf(lists, q, match, func(p *ManagedPrefixList) string { return p.ID })
		return nil
	})
	return page, err
}

// GetManagedPrefixList returns a list the caller can see (its own or an
// AWS-managed one of its region).
func (c *Service) GetManagedPrefixList(ctx context.Context, who cloud.Caller, id string) (*ManagedPrefixList, error) {
	var p *ManagedPrefixList
	err := c.View(ctx, who, func(t *cloud.Txn) (err error) {
		p, err = prefixListFor(t, id)
		return err
	})
	return p, err
}

// PrefixListAssociation is a resource that references a prefix list.
type PrefixListAssociation struct {
	ResourceID    string
	ResourceOwner string
}

// PrefixListAssociations lists the caller's security groups and route
// tables that reference a list, in id order.
func (c *Service) PrefixListAssociations(ctx context.Context, who cloud.Caller, id string) ([]PrefixListAssociation, error) {
	var out []PrefixListAssociation
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		if _, err := prefixListFor(t, id); err != nil {
			return err
		}
		refs, err := prefixListReferences(t, id)
		if err != nil {
			return err
		}
		for _, g := range refs.groups {
			out = append(out, PrefixListAssociation{ResourceID: g.ID, ResourceOwner: g.Owner})
		}
		for _, rt := range refs.tables {
			out = append(out, PrefixListAssociation{ResourceID: rt.ID, ResourceOwner: rt.Owner})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].ResourceID < out[j].ResourceID })
		return nil
	})
	return out, err
}

// references are the caller's resources that reference a prefix list.
type references struct {
	groups []*SecurityGroup
	tables []*RouteTable
}

// prefixListReferences finds the caller's security groups with a rule that
// references the list and route tables with a route to it.
func prefixListReferences(t *cloud.Txn, id string) (references, error) {
	var refs references
	seen := map[string]bool{}
	for _, key := range []string{prefixListRuleKey(false), prefixListRuleKey(true)} {
		groups, err := cloud.FindIn[SecurityGroup](t, cloud.Key{Name: key, Value: id})
		if err != nil {
			return refs, err
		}
		for _, g := range groups {
			if !seen[g.ID] {
				seen[g.ID] = true
				refs.groups = append(refs.groups, g)
			}
		}
	}
	tables, err := cloud.FindIn[RouteTable](t, cloud.Key{Name: "route.destination-prefix-list-id", Value: id})
	refs.tables = tables
	return refs, err
}

// prefixListWeight is what a reference to a list counts toward a quota,
// and the address family it counts for. A list that cannot be loaded (it
// was never checked, or went away) counts once for both families.
func prefixListWeight(t *cloud.Txn, id string, resizing *ManagedPrefixList) (int, string, error) {
	if resizing != nil && resizing.ID == id {
		return int(resizing.MaxEntries), resizing.AddressFamily, nil
	}
	p, err := prefixListFor(t, id)
	if ErrIsNotFound(err) || isMalformed(err) {
		return 1, "", nil
	}
	if err != nil {
		return 0, "", err
	}
	return int(p.MaxEntries), p.AddressFamily, nil
}

func isMalformed(err error) bool {
	e, ok := cloud.AsError(err)
	return ok && e.Reason == cloud.Malformed
}
