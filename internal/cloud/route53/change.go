package route53

import (
	"context"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Change is one submitted change (a zone created or deleted, a VPC
// associated, a change batch), kept so GetChange can answer for it.
type Change struct {
	cloud.Meta
	SubmittedAt time.Time
	Comment     string `json:",omitempty"`
}

func (*Change) Kind() cloud.Kind { return cloud.KindRoute53Change }

func init() { cloud.RegisterType[Change]() }

func (*Change) Keys() []cloud.Key { return nil }

// ChangeInfo is a change as the API answers it.
type ChangeInfo struct {
	ID          string
	Status      string
	SubmittedAt time.Time
	Comment     string
}

// submit records a change made in t; the answer says PENDING.
func submit(t *cloud.Txn, comment string) (ChangeInfo, error) {
	c := &Change{Meta: cloud.Meta{ID: newRoute53ID(t, "C"), Owner: t.Scope.Account}, SubmittedAt: t.Now, Comment: comment}
	if err := cloud.Put(t, c); err != nil {
		return ChangeInfo{}, err
	}
	return ChangeInfo{ID: c.ID, Status: StatusPending, SubmittedAt: c.SubmittedAt, Comment: comment}, nil
}

// GetChange reads a change of the caller's: applied, so INSYNC.
func (s *Service) GetChange(ctx context.Context, who cloud.Caller, id string) (ChangeInfo, error) {
	var out ChangeInfo
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		id = StripZonePrefix(id)
		c, err := cloud.GetAny[Change](t, id)
		if err != nil {
			return err
		}
		if c.Owner != t.Scope.Account {
			return cloud.Missing(cloud.KindRoute53Change, id)
		}
		out = ChangeInfo{ID: c.ID, Status: StatusInsync, SubmittedAt: c.SubmittedAt, Comment: c.Comment}
		return nil
	})
	return out, err
}
