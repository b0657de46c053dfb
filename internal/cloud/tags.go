package cloud

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"unicode/utf8"
)

// Tags are a resource's tags, by key.
type Tags map[string]string

// Tag is one key and value.
type Tag struct {
	Key   string
	Value string
}

// TagSpec asks a create call to tag the resources of one type it creates.
type TagSpec struct {
	ResourceType string
	Tags         []Tag
}

// maxTags is AWS's limit of tags per resource.
const maxTags = 50

// Sorted returns the tags in key order.
func (t Tags) Sorted() []Tag {
	out := make([]Tag, 0, len(t))
	for k, v := range t {
		out = append(out, Tag{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func validateTag(tag Tag) error {
	if tag.Key == "" || utf8.RuneCountInString(tag.Key) > 128 {
		return InvalidParam("Tag key must be between 1 and 128 characters: '%s'.", tag.Key)
	}
	if utf8.RuneCountInString(tag.Value) > 256 {
		return InvalidParam("Tag value for key '%s' exceeds 256 characters.", tag.Key)
	}
	if strings.HasPrefix(strings.ToLower(tag.Key), "aws:") {
		return InvalidParam("Tag keys starting with 'aws:' are reserved for internal use")
	}
	return nil
}

// TagsFor sorts a create call's tag specifications by resource type,
// refusing types the call does not create.
func TagsFor(specs []TagSpec, creates ...Kind) (map[Kind]Tags, error) {
	out := map[Kind]Tags{}
	for _, s := range specs {
		k := Kind(s.ResourceType)
		ok := false
		for _, c := range creates {
			ok = ok || c == k
		}
		if !ok {
			return nil, InvalidParam("'%s' is not a valid taggable resource type for this operation.", s.ResourceType)
		}
		tags := out[k]
		if tags == nil {
			tags = Tags{}
			out[k] = tags
		}
		for _, tag := range s.Tags {
			if err := validateTag(tag); err != nil {
				return nil, err
			}
			tags[tag.Key] = tag.Value
		}
		if len(tags) > maxTags {
			return nil, Errorf(LimitExceeded, "tag", "The maximum number of Tags for a resource has been reached.")
		}
	}
	return out, nil
}

// SideTagged is implemented by shared resources whose tags belong to each
// scope that sees them apart (a peering connection's requester and accepter
// tag it each for themselves).
type SideTagged interface {
	TagsOf(s Scope) *Tags
}

// tagsSeen is where the caller's tags of a resource are.
func tagsSeen(t *Txn, o Object) *Tags {
	if st, ok := o.(SideTagged); ok {
		return st.TagsOf(t.Scope)
	}
	return &o.Base().Tags
}

// Holder is implemented by records that hold items with ids and tags of
// their own (a security group holds its rules).
type Holder interface {
	// HeldTags is where the held item id keeps its tags; nil when the
	// record holds no such item.
	HeldTags(id string) *Tags
	// EachHeld calls fn with each held item's kind, id and tags.
	EachHeld(fn func(kind Kind, id string, tags Tags))
}

// taggedObject loads the caller's resource id for tagging, and where its
// tags are: its own, or those of the item it holds (a security group rule's
// group, and the rule's tags).
func taggedObject(t *Txn, id string) (Object, *Tags, error) {
	kind, ok := KindOfID(id)
	if !ok {
		return nil, nil, Errorf(Malformed, "", "Invalid id: \"%s\"", id)
	}
	info := kinds[kind]
	if info.heldBy != "" {
		mk := types[info.heldBy]
		var holder Object
		var derr error
		err := t.Find(info.heldBy, Key{Name: info.heldByKey, Value: id}, func(r *Record) bool {
			if r.Scope == t.Scope {
				holder = mk()
				derr = unmarshal(r.Body, holder)
			}
			return holder == nil
		})
		if err = cmp.Or(err, derr); err != nil {
			return nil, nil, err
		}
		if holder == nil {
			return nil, nil, Missing(kind, id)
		}
		return holder, holder.(Holder).HeldTags(id), nil
	}
	if !info.taggable {
		return nil, nil, Missing(kind, id)
	}
	o, err := GetByID(t, id)
	if err != nil {
		return nil, nil, err
	}
	return o, tagsSeen(t, o), nil
}

// GetByID reads the resource an id names (its kind by the id's prefix), if
// the caller sees it, or fails with NotFound.
func GetByID(t *Txn, id string) (Object, error) {
	kind, ok := KindOfID(id)
	if !ok {
		return nil, Errorf(Malformed, "", "Invalid id: \"%s\"", id)
	}
	mk := types[kind]
	if mk == nil {
		return nil, Missing(kind, id)
	}
	r, err := t.Get(kind, id)
	if errors.Is(err, ErrNoRecord) {
		return nil, Missing(kind, id)
	}
	if err != nil {
		return nil, err
	}
	o := mk()
	if err := unmarshal(r.Body, o); err != nil {
		return nil, err
	}
	if !visible(t, o) {
		return nil, Missing(kind, id)
	}
	return o, nil
}

// CreateTags adds or overwrites tags on resources.
func (c *Cloud) CreateTags(ctx context.Context, who Caller, ids []string, tags []Tag) error {
	for _, tag := range tags {
		if err := validateTag(tag); err != nil {
			return err
		}
	}
	return c.Update(ctx, who, func(t *Txn) error {
		return editTags(t, ids, func(target *Tags) error {
			if *target == nil {
				*target = Tags{}
			}
			for _, tag := range tags {
				(*target)[tag.Key] = tag.Value
			}
			if len(*target) > maxTags {
				return Errorf(LimitExceeded, "tag", "The maximum number of Tags for a resource has been reached.")
			}
			return nil
		})
	})
}

// TagFilter is a tag to delete: with no Value, whatever its value; with a
// Value, only when it matches.
type TagFilter struct {
	Key   string
	Value *string
}

// DeleteTags removes tags from resources. With no filters it removes all.
func (c *Cloud) DeleteTags(ctx context.Context, who Caller, ids []string, filters []TagFilter) error {
	return c.Update(ctx, who, func(t *Txn) error {
		return editTags(t, ids, func(target *Tags) error {
			if len(filters) == 0 {
				*target = nil
			}
			for _, f := range filters {
				if v, ok := (*target)[f.Key]; ok && (f.Value == nil || *f.Value == v) {
					delete(*target, f.Key)
				}
			}
			return nil
		})
	})
}

// editTags runs edit on the tags of each resource id (a security group
// rule's own tags for a rule id) and saves the resource.
func editTags(t *Txn, ids []string, edit func(tags *Tags) error) error {
	for _, id := range ids {
		o, target, err := taggedObject(t, id)
		if err != nil {
			return err
		}
		if err := edit(target); err != nil {
			return err
		}
		if err := Put(t, o); err != nil {
			return err
		}
	}
	return nil
}

// TagDescription is one tag of one resource, as DescribeTags lists them.
type TagDescription struct {
	ResourceID   string
	ResourceType string
	Key          string
	Value        string
}

// DescribeTags lists the caller's tags that match, ordered by resource id
// and key, starting after the given resource id and key.
func (c *Cloud) DescribeTags(ctx context.Context, who Caller, match func(TagDescription) bool) ([]TagDescription, error) {
	var out []TagDescription
	err := c.View(ctx, who, func(t *Txn) error {
		add := func(id string, kind Kind, tags Tags) {
			for _, tag := range tags.Sorted() {
				d := TagDescription{ResourceID: id, ResourceType: string(kind), Key: tag.Key, Value: tag.Value}
				if match(d) {
					out = append(out, d)
				}
			}
		}
		for kind, mk := range types {
			if !kinds[kind].taggable {
				continue
			}
			_, shared := mk().(Shared)
			var derr error
			err := scanVisible(t, kind, shared, "", func(r *Record) bool {
				o := mk()
				if derr = json.Unmarshal(r.Body, o); derr != nil {
					return false
				}
				if !visible(t, o) {
					return true
				}
				add(o.Base().ID, kind, *tagsSeen(t, o))
				if h, ok := o.(Holder); ok {
					h.EachHeld(func(kind Kind, id string, tags Tags) { add(id, kind, tags) })
				}
				return true
			})
			if err == nil {
				err = derr
			}
			if err != nil {
				return err
			}
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].ResourceID != out[j].ResourceID {
				return out[i].ResourceID < out[j].ResourceID
			}
			return out[i].Key < out[j].Key
		})
		return nil
	})
	return out, err
}
