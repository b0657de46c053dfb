package ec2

import (
	"context"
	"slices"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// managedPrefixListShape renders a list. AWS shows no version for the lists
// it manages.
func managedPrefixListShape(p *network.ManagedPrefixList) ec2api.ManagedPrefixList {
	out := ec2api.ManagedPrefixList{
		PrefixListId:   new(p.ID),
		PrefixListName: new(p.Name),
		PrefixListArn:  new(p.ARN()),
		AddressFamily:  new(p.AddressFamily),
		MaxEntries:     new(p.MaxEntries),
		OwnerId:        new(p.Owner),
		State:          new(p.State),
		StateMessage:   optional.String(p.StateMessage),
		Tags:           tagSet(p.Tags),
	}
	if !p.AWSManaged() {
		out.Version = new(p.Version)
	}
	return out
}

// inProgress renders a list as the call that changes it answers: in the
// operation's in-progress state.
func inProgress(p *network.ManagedPrefixList, state string) *ec2api.ManagedPrefixList {
	shape := managedPrefixListShape(p)
	shape.State, shape.StateMessage = new(state), nil
	return &shape
}

var managedPrefixListFilters = &filters[*network.ManagedPrefixList]{
	values: map[string]func(*network.ManagedPrefixList) []string{
		"owner-id":         func(p *network.ManagedPrefixList) []string { return one(p.Owner) },
		"prefix-list-id":   func(p *network.ManagedPrefixList) []string { return one(p.ID) },
		"prefix-list-name": func(p *network.ManagedPrefixList) []string { return one(p.Name) },
	},
	tags: func(p *network.ManagedPrefixList) cloud.Tags { return p.Tags },
}

// DescribeManagedPrefixLists implements ec2api.Handler: the caller's lists
// and the AWS-managed lists of its region.
func (s *Service) DescribeManagedPrefixLists(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeManagedPrefixListsInput) (*ec2api.DescribeManagedPrefixListsOutput, error) {
	match, keys, err := managedPrefixListFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	q, err := query(in.PrefixListIds, keys, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	page, err := s.network.ListManagedPrefixLists(ctx, caller(req), q, match)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeManagedPrefixListsOutput{PrefixLists: make([]ec2api.ManagedPrefixList, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, p := range page.Items {
		out.PrefixLists = append(out.PrefixLists, managedPrefixListShape(p))
	}
	return out, nil
}

// awsPrefixListFilters are DescribePrefixLists's filters (no tags: the
// lists are AWS's).
var awsPrefixListFilters = &filters[*network.ManagedPrefixList]{
	values: map[string]func(*network.ManagedPrefixList) []string{
		"prefix-list-id":   func(p *network.ManagedPrefixList) []string { return one(p.ID) },
		"prefix-list-name": func(p *network.ManagedPrefixList) []string { return one(p.Name) },
	},
	tags: func(p *network.ManagedPrefixList) cloud.Tags { return p.Tags },
}

// DescribePrefixLists implements ec2api.Handler: the AWS-managed lists of
// the caller's region, with their blocks.
func (s *Service) DescribePrefixLists(ctx context.Context, req *awsproto.Request, in *ec2api.DescribePrefixListsInput) (*ec2api.DescribePrefixListsOutput, error) {
	match, _, err := awsPrefixListFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	q, err := query(in.PrefixListIds, nil, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	page, err := s.network.AWSPrefixLists(ctx, caller(req), q, match)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribePrefixListsOutput{PrefixLists: make([]ec2api.PrefixList, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, p := range page.Items {
		out.PrefixLists = append(out.PrefixLists, ec2api.PrefixList{PrefixListId: new(p.ID), PrefixListName: new(p.Name), Cidrs: p.CIDRs()})
	}
	return out, nil
}

// GetManagedPrefixListEntries implements ec2api.Handler: the entries of the
// current version, or of TargetVersion, in address order.
func (s *Service) GetManagedPrefixListEntries(ctx context.Context, req *awsproto.Request, in *ec2api.GetManagedPrefixListEntriesInput) (*ec2api.GetManagedPrefixListEntriesOutput, error) {
	p, err := s.network.GetManagedPrefixList(ctx, caller(req), optional.Value(in.PrefixListId))
	if err != nil {
		return nil, err
	}
	entries := p.Entries
	if in.TargetVersion != nil && !p.AWSManaged() {
		if entries, err = p.EntriesAt(*in.TargetVersion); err != nil {
			return nil, err
		}
	}
	page, err := slicePage(entries, func(e network.PrefixListEntry) string { return e.CIDR }, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.GetManagedPrefixListEntriesOutput{Entries: make([]ec2api.PrefixListEntry, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, e := range page.Items {
		out.Entries = append(out.Entries, ec2api.PrefixListEntry{Cidr: new(e.CIDR), Description: optional.String(e.Description)})
	}
	return out, nil
}

// GetManagedPrefixListAssociations implements ec2api.Handler: the security
// groups and route tables that reference the list.
func (s *Service) GetManagedPrefixListAssociations(ctx context.Context, req *awsproto.Request, in *ec2api.GetManagedPrefixListAssociationsInput) (*ec2api.GetManagedPrefixListAssociationsOutput, error) {
	assocs, err := s.network.PrefixListAssociations(ctx, caller(req), optional.Value(in.PrefixListId))
	if err != nil {
		return nil, err
	}
	page, err := slicePage(assocs, func(a network.PrefixListAssociation) string { return a.ResourceID }, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.GetManagedPrefixListAssociationsOutput{
		PrefixListAssociations: make([]ec2api.PrefixListAssociation, 0, len(page.Items)),
		NextToken:              nextToken(page.Next),
	}
	for _, a := range page.Items {
		out.PrefixListAssociations = append(out.PrefixListAssociations, ec2api.PrefixListAssociation{ResourceId: new(a.ResourceID), ResourceOwner: new(a.ResourceOwner)})
	}
	return out, nil
}

func addEntries(in []ec2api.AddPrefixListEntry) []network.PrefixListEntry {
	out := make([]network.PrefixListEntry, 0, len(in))
	for _, e := range in {
		out = append(out, network.PrefixListEntry{CIDR: optional.Value(e.Cidr), Description: optional.Value(e.Description)})
	}
	return out
}

// CreateManagedPrefixList implements ec2api.Handler. The new list answers
// create-in-progress; Describe shows it create-complete.
func (s *Service) CreateManagedPrefixList(ctx context.Context, req *awsproto.Request, in *ec2api.CreateManagedPrefixListInput) (*ec2api.CreateManagedPrefixListOutput, error) {
	p, err := s.network.CreateManagedPrefixList(ctx, caller(req), network.CreatePrefixListInput{
		Name:          optional.Value(in.PrefixListName),
		AddressFamily: optional.Value(in.AddressFamily),
		MaxEntries:    optional.Value(in.MaxEntries),
		Entries:       addEntries(in.Entries),
		Tags:          tagSpecs(in.TagSpecifications),
	})
	if err != nil {
		return nil, err
	}
	return &ec2api.CreateManagedPrefixListOutput{PrefixList: inProgress(p, ec2api.PrefixListStateCreateInProgress)}, nil
}

// ModifyManagedPrefixList implements ec2api.Handler.
func (s *Service) ModifyManagedPrefixList(ctx context.Context, req *awsproto.Request, in *ec2api.ModifyManagedPrefixListInput) (*ec2api.ModifyManagedPrefixListOutput, error) {
	remove := make([]string, 0, len(in.RemoveEntries))
	for _, e := range in.RemoveEntries {
		remove = append(remove, optional.Value(e.Cidr))
	}
	p, err := s.network.ModifyManagedPrefixList(ctx, caller(req), network.ModifyPrefixListInput{
		ID:             optional.Value(in.PrefixListId),
		CurrentVersion: in.CurrentVersion,
		Name:           in.PrefixListName,
		Add:            addEntries(in.AddEntries),
		Remove:         remove,
		MaxEntries:     in.MaxEntries,
	})
	if err != nil {
		return nil, err
	}
	return &ec2api.ModifyManagedPrefixListOutput{PrefixList: inProgress(p, ec2api.PrefixListStateModifyInProgress)}, nil
}

// RestoreManagedPrefixListVersion implements ec2api.Handler.
func (s *Service) RestoreManagedPrefixListVersion(ctx context.Context, req *awsproto.Request, in *ec2api.RestoreManagedPrefixListVersionInput) (*ec2api.RestoreManagedPrefixListVersionOutput, error) {
	p, err := s.network.RestoreManagedPrefixListVersion(ctx, caller(req), optional.Value(in.PrefixListId), optional.Value(in.PreviousVersion), optional.Value(in.CurrentVersion))
	if err != nil {
		return nil, err
	}
	return &ec2api.RestoreManagedPrefixListVersionOutput{PrefixList: inProgress(p, ec2api.PrefixListStateRestoreInProgress)}, nil
}

// DeleteManagedPrefixList implements ec2api.Handler.
func (s *Service) DeleteManagedPrefixList(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteManagedPrefixListInput) (*ec2api.DeleteManagedPrefixListOutput, error) {
	p, err := s.network.DeleteManagedPrefixList(ctx, caller(req), optional.Value(in.PrefixListId))
	if err != nil {
		return nil, err
	}
	return &ec2api.DeleteManagedPrefixListOutput{PrefixList: inProgress(p, ec2api.PrefixListStateDeleteInProgress)}, nil
}

// slicePage is one page of an ordered slice for a call with MaxResults and
// NextToken; key identifies an item, and the token remembers the key of the
// page's last item.
func slicePage[E any](items []E, key func(E) string, maxResults *int32, token *string) (cloud.Page[E], error) {
	var page cloud.Page[E]
	q, err := query(nil, nil, maxResults, token)
	if err != nil {
		return page, err
	}
	start := 0
	if q.After != "" {
		i := slices.IndexFunc(items, func(e E) bool { return key(e) == q.After })
		if i < 0 {
			return page, awsproto.Errorf("InvalidParameterValue", "The token '%s' is invalid.", optional.Value(token))
		}
		start = i + 1
	}
	rest := items[start:]
	if q.Limit > 0 && len(rest) > q.Limit {
		rest = rest[:q.Limit]
		page.Next = key(rest[len(rest)-1])
	}
	page.Items = rest
	return page, nil
}
