package privatelink

import (
	"context"
	"regexp"
	"slices"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Principal types of endpoint service permissions.
const (
	PrincipalAll              = "All"
	PrincipalAccount          = "Account"
	PrincipalUser             = "User"
	PrincipalRole             = "Role"
	PrincipalService          = "Service"
	PrincipalOrganizationUnit = "OrganizationUnit"
)

// principalForms are the principals an endpoint service admits, with their
// type. IAM users and roles may not have paths ("Principal ARNs with path
// components aren't supported"); a service principal is an AWS service's
// DNS-style name; an organizational unit is its Organizations ARN.
var principalForms = []struct {
	re  *regexp.Regexp
	typ string
}{
	{regexp.MustCompile(`^\*$`), PrincipalAll},
	{regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):root$`), PrincipalAccount},
	{regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):user/[\w+=,.@-]{1,64}$`), PrincipalUser},
	{regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):role/[\w+=,.@-]{1,64}$`), PrincipalRole},
	{regexp.MustCompile(`^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*\.(amazonaws\.com|aws\.internal)$`), PrincipalService},
	{regexp.MustCompile(`^arn:aws[a-z-]*:organizations::\d{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$`), PrincipalOrganizationUnit},
}

// principalType is the type of a principal, or "" when AWS would refuse it.
func principalType(p string) string {
	for _, f := range principalForms {
		if f.re.MatchString(p) {
			return f.typ
		}
	}
	return ""
}

// admittedAccount is the account a permission lets see the service: the
// account of an IAM principal, "*" for everyone, "" for principals that
// name no account. vpcemu's callers are accounts, not IAM identities, so a
// user or role of an account admits that whole account.
func admittedAccount(p ServicePermission) string {
	switch p.PrincipalType {
	case PrincipalAll:
		return "*"
	case PrincipalAccount, PrincipalUser, PrincipalRole:
		for _, f := range principalForms {
			if m := f.re.FindStringSubmatch(p.Principal); m != nil && f.typ == p.PrincipalType {
				return m[1]
			}
		}
	}
	return ""
}

// ModifyServicePermissions adds and removes allowed principals of one of
// the caller's services. It answers the permissions the call added (a
// principal the service admits already is answered as it is). Removing a
// principal keeps the connections it made.
func (c *Service) ModifyServicePermissions(ctx context.Context, who cloud.Caller, id string, add, remove []string) ([]ServicePermission, error) {
	for _, p := range append(append([]string(nil), add...), remove...) {
		if principalType(p) == "" {
			return nil, cloud.Errorf(cloud.InvalidParameter, cloud.SubjectServicePrincipal, "Invalid principal: '%s'", p)
		}
	}
	var added []ServicePermission
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		added = nil
		s, err := serviceOf(t, id)
		if err != nil {
			return err
		}
		s.AllowedPrincipals = slices.DeleteFunc(s.AllowedPrincipals, func(p ServicePermission) bool { return slices.Contains(remove, p.Principal) })
		for _, p := range add {
			added = append(added, s.admit(t, p))
		}
		return cloud.Put(t, s)
	})
	return added, err
}

// admit adds principal p to the service unless it is there, and returns
// its permission.
func (s *ServiceConfiguration) admit(t *cloud.Txn, p string) ServicePermission {
	for _, have := range s.AllowedPrincipals {
		if have.Principal == p {
			return have
		}
	}
	perm := ServicePermission{ID: t.NewID("vpce-svc-perm-"), Principal: p, PrincipalType: principalType(p)}
	s.AllowedPrincipals = append(s.AllowedPrincipals, perm)
	return perm
}

// ServicePermissions lists the allowed principals of one of the caller's
// services, in the order they were added.
func (c *Service) ServicePermissions(ctx context.Context, who cloud.Caller, id string) ([]ServicePermission, error) {
	var out []ServicePermission
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		s, err := serviceOf(t, id)
		if err != nil {
			return err
		}
		out = s.AllowedPrincipals
		return nil
	})
	return out, err
}
