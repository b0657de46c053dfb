// Package sts serves the parts of AWS STS that clients call before anything
// else: GetCallerIdentity (every Terraform run) and AssumeRole. Identity in
// vpcemu is the access key id: a 12-digit key id is that account.
package sts

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"time"

	"github.com/vpcemu/vpcemu/internal/api/stsapi"
	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/sigv4"
)

// Service implements stsapi.Handler.
type Service struct {
	now      func() time.Time
	sessions *sigv4.Sessions
}

var _ stsapi.Handler = (*Service)(nil)

// New returns the STS service.
func New() *Service { return NewWithSessions(sigv4.NewSessions()) }

// NewWithSessions returns the STS service issuing AssumeRole's credentials
// from sessions, so that a server verifying signatures with the same
// sessions accepts them.
func NewWithSessions(sessions *sigv4.Sessions) *Service {
	return &Service{now: time.Now, sessions: sessions}
}

// GetCallerIdentity implements stsapi.Handler.
func (s *Service) GetCallerIdentity(_ context.Context, r *awsproto.Request, _ *stsapi.GetCallerIdentityInput) (*stsapi.GetCallerIdentityOutput, error) {
	return &stsapi.GetCallerIdentityOutput{
		Account: &r.Account,
		Arn:     new(arn.Root(r.Account)),
		UserId:  &r.Account,
	}, nil
}

var roleARN = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):role/(?:[\w+=,.@-]+/)*([\w+=,.@-]{1,64})$`)

// AssumeRole implements stsapi.Handler. The credentials it returns carry the
// role's account as their access key id, so requests signed with them act in
// that account.
func (s *Service) AssumeRole(ctx context.Context, req *awsproto.Request, in *stsapi.AssumeRoleInput) (*stsapi.AssumeRoleOutput, error) {
	m := roleARN.FindStringSubmatch(*in.RoleArn)
	if m == nil {
		return nil, awsproto.Errorf("ValidationError", "%s is invalid", *in.RoleArn)
	}
	account, role := m[1], m[2]
	duration := time.Hour
	if in.DurationSeconds != nil {
		duration = time.Duration(*in.DurationSeconds) * time.Second
	}
	roleID := "AROA" + randomHex(8)
	token := sigv4.SessionPrefix + randomHex(32)
	return &stsapi.AssumeRoleOutput{
		AssumedRoleUser: &stsapi.AssumedRoleUser{
			Arn:           new("arn:aws:sts::" + account + ":assumed-role/" + role + "/" + *in.RoleSessionName),
			AssumedRoleId: new(roleID + ":" + *in.RoleSessionName),
		},
		Credentials: &stsapi.Credentials{
			AccessKeyId:     new(account),
			SecretAccessKey: new(s.sessions.Secret(account, token)),
			SessionToken:    new(token),
			Expiration:      new(s.now().Add(duration).UTC().Truncate(time.Second)),
		},
		SourceIdentity: in.SourceIdentity,
	}, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
