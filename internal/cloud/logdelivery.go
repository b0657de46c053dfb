package cloud

import (
	"errors"
	"time"
)

// LogEvent is one event an AWS service delivers to CloudWatch Logs.
type LogEvent struct {
	Time    time.Time
	Message string
}

// LogDelivery is CloudWatch Logs as a delivering AWS service sees it (VPC
// flow logs write one stream per interface). The logs family keeps log
// groups and registers it; the flow-logs family calls it. Like the
// delivering service on AWS, it creates the group and the stream when they
// are missing. It writes in the caller's transaction.
type LogDelivery interface {
	DeliverLogEvents(t *Txn, account, region, group, stream string, events []LogEvent) error
}

// logDelivery is the registered LogDelivery; nil when no family keeps logs.
var logDelivery LogDelivery

// RegisterLogDelivery tells the kernel who keeps CloudWatch Logs.
func RegisterLogDelivery(d LogDelivery) { logDelivery = d }

// DeliverLogEvents hands events to the registered LogDelivery; without
// one, delivery fails as it would to a service that is not there.
func DeliverLogEvents(t *Txn, account, region, group, stream string, events []LogEvent) error {
	if logDelivery == nil {
		return errNoLogDelivery
	}
	return logDelivery.DeliverLogEvents(t, account, region, group, stream, events)
}

var errNoLogDelivery = errors.New("CloudWatch Logs is not served: no log group can take the events")
