package awsproto

import (
	"fmt"
	"net/http"
)

// Error is an error as AWS puts it on the wire: a code, a message and an
// HTTP status.
type Error struct {
	Code    string
	Message string
	Status  int
	// Messages are the several problems some errors list one by one
	// (Route 53's InvalidChangeBatch, one per change refused).
	Messages []string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Sender reports whether the client is at fault (the query protocol's
// <Type>Sender</Type>).
func (e *Error) Sender() bool { return e.Status < 500 }

// Errorf builds a 400 error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Status: http.StatusBadRequest}
}

// NotImplemented is the answer to an operation the model has but vpcemu does
// not serve yet, in every protocol: a 4xx that names it (SDKs retry 5xx
// DryRunOperation is the answer to a request with the DryRun flag that
// would have succeeded: the one place it is worded.
func DryRunOperation() *Error {
	return &Error{Code: "DryRunOperation", Message: "Request would have succeeded, but DryRun flag is set.", Status: http.StatusPreconditionFailed}
}

// answers for minutes).
func NotImplemented(spec *Spec, operation string) *Error {
	return Errorf("UnsupportedOperation", "vpcemu does not implement %s:%s yet.", spec.SigningName, operation)
}

// ParamProblem says what is wrong with one request parameter. Codecs return
// it and each protocol turns it into the code its service uses.
type ParamProblem int

const (
	ParamUnknown ParamProblem = iota + 1 // the parameter is not in the model
	ParamMissing                         // a required parameter is absent
	ParamInvalid                         // the value does not parse as its type
	ParamRange                           // the value is outside the model's min/max
)

// ParamError is a problem with one request parameter.
type ParamError struct {
	Problem ParamProblem
	// Name is the parameter as the message names it: the key as the client
	// sent it for ParamUnknown and ParamInvalid, the member's name in the
	// protocol's own spelling for ParamMissing and ParamRange.
	Name   string
	Value  string
	Detail string // ParamInvalid: what the value should look like
	// ParamRange: the bound the value breaks, e.g. "length" "less than or
	// equal to" 64.
	Measure string // "length", "value" or "list index"
	Bound   string
	Limit   float64
}

// Error is the message in EC2's words.
func (e *ParamError) Error() string {
	switch e.Problem {
	case ParamUnknown:
		return fmt.Sprintf("The parameter %s is not recognized", e.Name)
	case ParamMissing:
		return fmt.Sprintf("The request must contain the parameter %s", e.Name)
	case ParamRange:
		return fmt.Sprintf("Value (%s) for parameter %s is invalid. Expecting a %s %s %v.", e.Value, e.Name, e.Measure, e.Bound, e.Limit)
	default:
		return fmt.Sprintf("Invalid value '%s' for parameter %s: %s", e.Value, e.Name, e.Detail)
	}
}

// Validation is the message in the words of the query services that
// validate their input against the model (STS): "1 validation error
// detected: Value null at 'roleArn' failed to satisfy constraint: Member
// must not be null".
func (e *ParamError) Validation() string {
	const prefix = "1 validation error detected: "
	switch e.Problem {
	case ParamMissing:
		return fmt.Sprintf(prefix+"Value null at '%s' failed to satisfy constraint: Member must not be null", e.Name)
	case ParamRange:
		return fmt.Sprintf(prefix+"Value '%s' at '%s' failed to satisfy constraint: Member must have %s %s %v", e.Value, e.Name, e.Measure, e.Bound, e.Limit)
	default:
		return e.Error()
	}
}
