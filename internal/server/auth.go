package server

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/sigv4"
)

// AWS's messages for refused signatures. EC2 answers some refusals with
// codes of its own (AuthFailure, RequestExpired); the query services (STS,
// Elastic Load Balancing) with the common ones (InvalidClientTokenId,
// SignatureDoesNotMatch "Signature expired: …"); the json services (Direct
// Connect) with exceptions of their own (jsonAuthError).
const (
	msgMismatch      = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgEC2UnknownKey = "AWS was not able to validate the provided access credentials"
	msgUnknownKey    = "The security token included in the request is invalid."
	msgEC2Expired    = "Request has expired."
	msgEC2Missing    = "The request must contain either a valid (registered) AWS access key ID or X.509 certificate."
	msgMissing       = "Request is missing Authentication Token"
	ec2Protocol      = "ec2"
	jsonProtocol     = "json"
	awsTime          = sigv4.TimeFormat
)

// authError words a refused signature as the service's protocol does on
// AWS.
func authError(protocol string, err error) *awsproto.Error {
	var e *sigv4.Error
	if !errors.As(err, &e) {
		return internalError()
	}
	if protocol == jsonProtocol {
		return jsonAuthError(e)
	}
	ec2 := protocol == ec2Protocol
	forbidden := func(code, msg string) *awsproto.Error {
		return &awsproto.Error{Code: code, Message: msg, Status: http.StatusForbidden}
	}
	switch e.Reason {
	case sigv4.Missing:
		if ec2 {
			return forbidden("MissingAuthenticationToken", msgEC2Missing)
		}
		return forbidden("MissingAuthenticationToken", msgMissing)
	case sigv4.Malformed, sigv4.Streaming:
		return &awsproto.Error{Code: "IncompleteSignature", Message: e.Detail, Status: http.StatusBadRequest}
	case sigv4.UnknownKey:
		if ec2 {
			return &awsproto.Error{Code: "AuthFailure", Message: msgEC2UnknownKey, Status: http.StatusUnauthorized}
		}
		return forbidden("InvalidClientTokenId", msgUnknownKey)
	case sigv4.Expired, sigv4.NotYetCurrent:
		if ec2 {
			return &awsproto.Error{Code: "RequestExpired", Message: msgEC2Expired, Status: http.StatusBadRequest}
		}
		if e.Reason == sigv4.Expired {
			return forbidden("SignatureDoesNotMatch", fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s.)",
				e.Signed.Format(awsTime), e.Limit.Format(awsTime), e.Now.Format(awsTime), span(e.Window)))
		}
		return forbidden("SignatureDoesNotMatch", fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s.)",
			e.Signed.Format(awsTime), e.Limit.Format(awsTime), e.Now.Format(awsTime), span(e.Window)))
	default:
		return forbidden("SignatureDoesNotMatch", msgMismatch)
	}
}

// jsonAuthError words a refused signature as AWS's json-protocol services
// (Coral) do: with exceptions of their own, all 400 ("UnrecognizedClientException:
// The security token included in the request is invalid.", status 400, from
// ECR and Cognito; "InvalidSignatureException: Signature expired: …", status
// 400, from Kinesis).
func jsonAuthError(e *sigv4.Error) *awsproto.Error {
	switch e.Reason {
	case sigv4.Missing:
		return awsproto.Errorf("MissingAuthenticationTokenException", "%s", msgMissing)
	case sigv4.Malformed, sigv4.Streaming:
		return awsproto.Errorf("IncompleteSignatureException", "%s", e.Detail)
	case sigv4.UnknownKey:
		return awsproto.Errorf("UnrecognizedClientException", "%s", msgUnknownKey)
	case sigv4.Expired:
		return awsproto.Errorf("InvalidSignatureException", "Signature expired: %s is now earlier than %s (%s - %s.)",
			e.Signed.Format(awsTime), e.Limit.Format(awsTime), e.Now.Format(awsTime), span(e.Window))
	case sigv4.NotYetCurrent:
		return awsproto.Errorf("InvalidSignatureException", "Signature not yet current: %s is still later than %s (%s + %s.)",
			e.Signed.Format(awsTime), e.Limit.Format(awsTime), e.Now.Format(awsTime), span(e.Window))
	default:
		return awsproto.Errorf("InvalidSignatureException", "%s", msgMismatch)
	}
}

// span writes a window as AWS's messages do ("15 min").
func span(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%d sec", d/time.Second)
}
