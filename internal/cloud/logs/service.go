// Package logs is the CloudWatch Logs family of the domain: log groups
// (retention, KMS key, tags), log streams and their events, read back by
// GetLogEvents and FilterLogEvents (filter patterns: internal/cloud/logs/
// filterpattern), with CloudWatch Logs' refusals in its words. It registers
// the kernel's log delivery (cloud.LogDelivery), where VPC flow logs write.
//
// Events are stored as batches: one record per write to a stream (a
// PutLogEvents call, a delivery), beside a small stream record holding the
// stream's counters. A write costs one new record and one small rewrite
// whatever the stream already holds, where one record of all a stream's
// events would be read and rewritten whole on every write; reads scan the
// stream's batches in order (their ids sort by stream, then batch). The
// retention policy applies on read: events older than it are never
// answered, as on AWS once it has expired them; a write to a stream also
// deletes its leading batches the policy has wholly expired, so storage
// follows the policy.
package logs

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Service runs the family's use cases on the kernel.
type Service struct {
	*cloud.Cloud
}

// New returns the family's service over the kernel c.
func New(c *cloud.Cloud) *Service { return &Service{Cloud: c} }

// Subjects of refusals whose CloudWatch Logs code differs from the
// reason's; no record has them.
const (
	// SubjectTags is a tag refusal over the limit (TooManyTagsException).
	SubjectTags cloud.Kind = "logs-tags"
)

// Refusals in CloudWatch Logs' words.
func groupMissing() error {
	return cloud.Errorf(cloud.NotFound, cloud.KindLogGroup, "The specified log group does not exist.")
}

func streamMissing() error {
	return cloud.Errorf(cloud.NotFound, cloud.KindLogStream, "The specified log stream does not exist.")
}

func refuse(format string, args ...any) error {
	return cloud.Errorf(cloud.InvalidParameter, "", format, args...)
}

// validation is the refusal of a value outside a member's constraint, as
// CloudWatch Logs' validator words it.
func validation(value, member, constraint string) error {
	return refuse("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

var (
	groupNameRE  = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]+$`)
	streamNameRE = regexp.MustCompile(`^[^:*]*$`)
)

func checkGroupName(name string) error {
	if len(name) < 1 || len(name) > 512 || !groupNameRE.MatchString(name) {
		return validation(name, "logGroupName", `Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+`)
	}
	return nil
}

func checkStreamName(name string) error {
	if len(name) < 1 || len(name) > 512 || !streamNameRE.MatchString(name) {
		return validation(name, "logStreamName", "Member must satisfy regular expression pattern: [^:*]*")
	}
	return nil
}

// Record ids join the scope and the names with ':', which neither a log
// group's name nor a stream's may hold, so that a group's streams and a
// stream's batches are each one run of ids.
func groupID(sc cloud.Scope, name string) string {
	return sc.Account + ":" + sc.Region + ":" + name
}

func streamID(sc cloud.Scope, group, stream string) string {
	return groupID(sc, group) + ":" + stream
}

func batchID(streamID string, seq int64) string {
	return fmt.Sprintf("%s:%012d", streamID, seq)
}

// scanPrefix calls fn with the records of kind in sc whose ids start with
// prefix, in id order, until fn returns false.
func scanPrefix(t *cloud.Txn, kind cloud.Kind, sc cloud.Scope, prefix string, fn func(*cloud.Record) bool) error {
	return t.Scan(kind, sc, prefix[:len(prefix)-1], func(r *cloud.Record) bool {
		if r.ID < prefix {
			return true
		}
		if !strings.HasPrefix(r.ID, prefix) {
			return false
		}
		return fn(r)
	})
}

// GroupARN is a log group's ARN as DescribeLogGroups' arn has it (with
// :*); LogGroupARN without it (logGroupArn, and what the tag calls take).
func GroupARN(sc cloud.Scope, name string) string { return LogGroupARN(sc, name) + ":*" }

// LogGroupARN is a log group's ARN without the trailing :*.
func LogGroupARN(sc cloud.Scope, name string) string {
	return arn.New("logs", sc.Region, sc.Account, "log-group:"+name)
}

// StreamARN is a log stream's ARN.
func StreamARN(sc cloud.Scope, group, stream string) string {
	return LogGroupARN(sc, group) + ":log-stream:" + stream
}
