package cloud

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
)

// Reason says why a use case refused. The API edge maps each reason (and,
// for some, the resource kind) to the error code its AWS service uses.
type Reason int

const (
	NotFound           Reason = iota + 1 // Kind names what is missing
	Malformed                            // an id of Kind is not well formed
	InvalidParameter                     // a value is not acceptable
	InvalidCombination                   // parameters that cannot go together
	MissingParameter
	DependencyViolation // other resources still depend on it
	Duplicate           // Kind already exists (rule, route, name, entry)
	Conflict            // a CIDR conflicts with another (Kind: subnet, vpc cidr)
	Range               // a CIDR is outside what is allowed (Kind: subnet, vpc)
	InUse               // Kind is in use (address, interface, group)
	CannotDelete        // AWS never lets a user delete it (default group)
	ReservedName        // a name AWS reserves
	LimitExceeded       // a quota of Kind is exhausted
	NotAttached         // a gateway is not attached where it must be
	AlreadyAssociated   // the resource is already attached or associated
	IncorrectState      // the resource's state does not allow the action
	OperationNotPermitted
	Unsupported
	InsufficientAddresses // no free address in the subnet
	NoDefaultVPC          // an action that needs the default VPC, which is gone
	IdempotencyMismatch   // a client token reused with other parameters
	AuthFailure
	DryRun // a dry run passed every check
	// InvalidConfiguration is a request that conflicts with how the
	// resources it names are set up (ELBv2's InvalidConfigurationRequest).
	InvalidConfiguration
)

// Error is a refusal with its reason and a message in AWS's words. Its
// subject is what the refusal is about: a resource kind, or one of the
// subjects (Subject*) whose error code differs from its kind's.
type Error struct {
	Reason  Reason
	Subject Kind
	Msg     string
}

func (e *Error) Error() string { return e.Msg }

// Errorf is a refusal for reason r about subject, in AWS's words.
func Errorf(r Reason, subject Kind, format string, args ...any) *Error {
	return &Error{Reason: r, Subject: subject, Msg: fmt.Sprintf(format, args...)}
}

// AsError returns err's domain error, if it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

func errDryRun() *Error {
	return Errorf(DryRun, "", "Request would have succeeded, but DryRun flag is set.")
}

func InvalidParam(format string, args ...any) *Error {
	return Errorf(InvalidParameter, "", format, args...)
}

// Missing reports missing resources the way EC2 words it:
// "The vpc ID 'vpc-1' does not exist" / "The vpc IDs 'vpc-1, vpc-2' do not exist".
func Missing(k Kind, ids ...string) *Error {
	if m := kinds[k].missing; m != "" {
		return Errorf(NotFound, k, m, strings.Join(ids, ", "))
	}
	noun := nounOf(k)
	if len(ids) == 1 {
		return Errorf(NotFound, k, "The %s ID '%s' does not exist", noun, ids[0])
	}
	return Errorf(NotFound, k, "The %s IDs '%s' do not exist", noun, strings.Join(ids, ", "))
}

func HasDependents(k Kind, id string) *Error {
	noun := nounOf(k)
	return Errorf(DependencyViolation, k, "The %s '%s' has dependencies and cannot be deleted.", noun, id)
}

// ErrorCodes is how an API names domain errors: a code per reason, and per
// kind where the API's code depends on it ("" is the reason's code for
// every other kind). Each service at the edge has its table.
type ErrorCodes map[Reason]map[Kind]string

// Code is the API's code for e, or fallback where the table has none.
func (c ErrorCodes) Code(e *Error, fallback string) string {
	byKind := c[e.Reason]
	return cmp.Or(byKind[e.Subject], byKind[""], fallback)
}

// Unsuccessful is one id a batch call could not act on, and why.
type Unsuccessful struct {
	ID  string
	Err *Error
}

// EachItem runs one id of a batch call after another: fn's refusal of an
// id (its *Error) makes that id unsuccessful, any other error aborts the
// whole call.
func EachItem(ids []string, fn func(id string) (*Error, error)) ([]Unsuccessful, error) {
	var failed []Unsuccessful
	for _, id := range ids {
		e, err := fn(id)
		if err != nil {
			return nil, err
		}
		if e != nil {
			failed = append(failed, Unsuccessful{ID: id, Err: e})
		}
	}
	return failed, nil
}

// AsItem splits an error for eachItem: a domain error refuses the item,
// anything else is the call's.
func AsItem(err error) (*Error, error) {
	if e, ok := AsError(err); ok {
		return e, nil
	}
	return nil, err
}

// ELBNotFound is ELB's answer for missing resources: named ones are listed
// ("Load balancers '[a, b]' not found"), ARNs are not.
func ELBNotFound(k Kind, names ...string) error {
	if len(names) == 0 {
		return Errorf(NotFound, k, "One or more %s not found", kinds[k].plural[0])
	}
	return Errorf(NotFound, k, "%s '[%s]' not found", kinds[k].plural[1], strings.Join(names, ", "))
}
