package logs

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// LogGroup is a log group. Its record's id joins the scope and the name.
type LogGroup struct {
	cloud.Meta
	Name string
	// Created is when it was made, in milliseconds since the epoch.
	Created int64
	// RetentionDays is the retention policy (0: events never expire).
	RetentionDays int    `json:",omitempty"`
	KMSKeyID      string `json:",omitempty"`
	Class         string
	// StoredBytes are the bytes of the messages written to it.
	StoredBytes int64 `json:",omitempty"`
}

func (*LogGroup) Kind() cloud.Kind  { return cloud.KindLogGroup }
func (*LogGroup) Keys() []cloud.Key { return nil }

func init() { cloud.RegisterType[LogGroup]() }

// ARN is the group's ARN with the :* DescribeLogGroups gives it.
func (g *LogGroup) ARN() string { return GroupARN(g.Scope(), g.Name) }

// LogGroupARN is the group's ARN without :*.
func (g *LogGroup) LogGroupARN() string { return LogGroupARN(g.Scope(), g.Name) }

// expiry is the time before which events are past the retention policy
// (milliseconds; 0 when they never expire).
func (g *LogGroup) expiry(now int64) int64 {
	if g.RetentionDays == 0 {
		return 0
	}
	return now - int64(g.RetentionDays)*24*3600*1000
}

// Log group classes.
const (
	ClassStandard         = "STANDARD"
	ClassInfrequentAccess = "INFREQUENT_ACCESS"
)

// RetentionDays are the retention policies CloudWatch Logs takes.
var RetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// NewGroup asks for a log group.
type NewGroup struct {
	Name     string
	KMSKeyID string
	Class    string
	Tags     cloud.Tags
}

// CreateLogGroup makes a log group in the caller's scope.
func (s *Service) CreateLogGroup(ctx context.Context, who cloud.Caller, in NewGroup) error {
	if err := checkGroupName(in.Name); err != nil {
		return err
	}
	if err := checkTags(in.Tags); err != nil {
		return err
	}
	return s.Update(ctx, who, func(t *cloud.Txn) error {
		_, err := createGroup(t, t.Scope, in)
		return err
	})
}

// createGroup makes a log group in sc, refusing a name in use.
func createGroup(t *cloud.Txn, sc cloud.Scope, in NewGroup) (*LogGroup, error) {
	id := groupID(sc, in.Name)
	if _, err := t.Get(cloud.KindLogGroup, id); err == nil {
		return nil, cloud.Errorf(cloud.Duplicate, cloud.KindLogGroup, "The specified log group already exists")
	} else if !errors.Is(err, cloud.ErrNoRecord) {
		return nil, err
	}
	g := &LogGroup{
		Meta:     cloud.Meta{ID: id, Owner: sc.Account, Region: sc.Region, Tags: in.Tags},
		Name:     in.Name,
		Created:  t.Now.UnixMilli(),
		KMSKeyID: in.KMSKeyID,
		Class:    cmp.Or(in.Class, ClassStandard),
	}
	return g, cloud.Put(t, g)
}

// group reads a log group of sc by name.
func group(t *cloud.Txn, sc cloud.Scope, name string) (*LogGroup, error) {
	r, err := t.Get(cloud.KindLogGroup, groupID(sc, name))
	if errors.Is(err, cloud.ErrNoRecord) {
		return nil, groupMissing()
	}
	if err != nil {
		return nil, err
	}
	return cloud.Decode[LogGroup](r)
}

// GroupRef names a log group as the reading calls may: by name or by
// identifier (a name or an ARN), not both.
type GroupRef struct {
	Name       string
	Identifier string
}

// resolve finds the caller's group a reference names.
func (ref GroupRef) resolve(t *cloud.Txn) (*LogGroup, error) {
	name := ref.Name
	switch {
	case ref.Name != "" && ref.Identifier != "":
		return nil, refuse("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
	case ref.Identifier != "":
		name = ref.Identifier
		if arn.Is(name) {
			n, ok := nameOfARN(t.Scope, name)
			if !ok {
				return nil, groupMissing()
			}
			name = n
		}
	case name == "":
		return nil, refuse("Either the log group name or the log group ARN must be specified.")
	}
	return group(t, t.Scope, name)
}

// nameOfARN is the log group name an ARN of the caller's scope names
// (with or without :*).
func nameOfARN(sc cloud.Scope, s string) (string, bool) {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "logs" || a.Region != sc.Region || a.AccountID != sc.Account {
		return "", false
	}
	name, ok := strings.CutPrefix(a.Resource, "log-group:")
	name = strings.TrimSuffix(name, ":*")
	return name, ok && name != "" && !strings.Contains(name, ":")
}

// DeleteLogGroup deletes a log group with its streams and their events.
func (s *Service) DeleteLogGroup(ctx context.Context, who cloud.Caller, name string) error {
	return s.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := group(t, t.Scope, name)
		if err != nil {
			return err
		}
		streams, err := streamsOf(t, g)
		if err != nil {
			return err
		}
		for _, st := range streams {
			if err := deleteStream(t, st); err != nil {
				return err
			}
		}
		return cloud.Remove(t, g)
	})
}

// GroupQuery selects log groups: by name prefix or by a pattern the name
// holds (case-insensitive), and class, a page of Limit after Token.
type GroupQuery struct {
	Prefix, Pattern string
	Class           string
	Token           string
	Limit           int
}

// DescribeLogGroups lists the caller's log groups in name order; next is
// the token of the next page ("" after the last).
func (s *Service) DescribeLogGroups(ctx context.Context, who cloud.Caller, q GroupQuery) (groups []*LogGroup, next string, err error) {
	if q.Prefix != "" && q.Pattern != "" {
		return nil, "", refuse("LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.")
	}
	after := ""
	if q.Token != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.Token)
		if err != nil || !strings.HasPrefix(string(b), "g:") {
			return nil, "", refuse("The specified nextToken is invalid.")
		}
		after = strings.TrimPrefix(string(b), "g:")
	}
	limit := q.Limit
	if limit == 0 {
		limit = 50
	}
	err = s.View(ctx, who, func(t *cloud.Txn) error {
		var derr error
		start := groupID(t.Scope, "")
		err := scanPrefix(t, cloud.KindLogGroup, t.Scope, start, func(r *cloud.Record) bool {
			name := strings.TrimPrefix(r.ID, start)
			switch {
			case name <= after:
				return true
			case q.Prefix != "" && !strings.HasPrefix(name, q.Prefix):
				return name < q.Prefix
			case q.Pattern != "" && !strings.Contains(strings.ToLower(name), strings.ToLower(q.Pattern)):
				return true
			}
			var g *LogGroup
			if g, derr = cloud.Decode[LogGroup](r); derr != nil {
				return false
			}
			if q.Class != "" && g.Class != q.Class {
				return true
			}
			if len(groups) == limit {
				next = base64.RawURLEncoding.EncodeToString([]byte("g:" + groups[len(groups)-1].Name))
				return false
			}
			groups = append(groups, g)
			return true
		})
		return cmp.Or(err, derr)
	})
	return groups, next, err
}

// PutRetentionPolicy sets how long a group keeps its events.
func (s *Service) PutRetentionPolicy(ctx context.Context, who cloud.Caller, name string, days int) error {
	if !slices.Contains(RetentionDays, days) {
		allowed := make([]string, len(RetentionDays))
		for i, d := range RetentionDays {
			allowed[i] = strconv.Itoa(d)
		}
		return validation(strconv.Itoa(days), "retentionInDays", "Member must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
	}
	return s.updateGroup(ctx, who, name, func(g *LogGroup) { g.RetentionDays = days })
}

// DeleteRetentionPolicy makes a group keep its events forever.
func (s *Service) DeleteRetentionPolicy(ctx context.Context, who cloud.Caller, name string) error {
	return s.updateGroup(ctx, who, name, func(g *LogGroup) { g.RetentionDays = 0 })
}

// AssociateKMSKey records the KMS key a group's events are encrypted
// with (vpcemu keeps events as they are: no KMS is consulted).
func (s *Service) AssociateKMSKey(ctx context.Context, who cloud.Caller, name, key string) error {
	if !arn.Is(key) {
		return refuse("Specified KMS key %s is not a valid KMS key ARN.", key)
	}
	return s.updateGroup(ctx, who, name, func(g *LogGroup) { g.KMSKeyID = key })
}

// DisassociateKMSKey forgets a group's KMS key.
func (s *Service) DisassociateKMSKey(ctx context.Context, who cloud.Caller, name string) error {
	return s.updateGroup(ctx, who, name, func(g *LogGroup) { g.KMSKeyID = "" })
}

func (s *Service) updateGroup(ctx context.Context, who cloud.Caller, name string, change func(*LogGroup)) error {
	return s.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := group(t, t.Scope, name)
		if err != nil {
			return err
		}
		change(g)
		return cloud.Put(t, g)
	})
}
