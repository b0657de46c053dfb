package privatelink

import (
	"cmp"
	"context"
	"regexp"
	"slices"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/regions"
)

// ConnectionNotification (vpce-nfn-…) tells an SNS topic about the
// connection events of one endpoint service or one interface endpoint.
// vpcemu has no SNS: it keeps the notification as AWS shows it and
// delivers nothing.
type ConnectionNotification struct {
	cloud.Meta
	ServiceID     string `json:",omitempty"`
	VpcEndpointID string `json:",omitempty"`
	TopicARN      string
	Events        []string
	// ServiceRegion is the region of the service the events come from.
	ServiceRegion string
}

// Connection notification values as EC2 spells them: every notification
// is an enabled SNS topic.
const (
	NotificationEnabled = "Enabled"
	NotificationTopic   = "Topic"
)

// connectionEvents are the events a notification may watch.
var connectionEvents = []string{"Accept", "Connect", "Delete", "Reject"}

// snsTopicARN is an SNS topic's ARN; the region is its first group.
var snsTopicARN = regexp.MustCompile(`^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$`)

func (*ConnectionNotification) Kind() cloud.Kind { return cloud.KindConnectionNotification }

func init() { cloud.RegisterType[ConnectionNotification]() }

// notificationIndexes are the filters
// DescribeVpcEndpointConnectionNotifications finds by index.
var notificationIndexes = cloud.Declare(cloud.KindConnectionNotification, cloud.Same("service-id", "vpc-endpoint-id"), nil)

func (n *ConnectionNotification) Keys() []cloud.Key {
	var keys []cloud.Key
	if n.ServiceID != "" {
		keys = append(keys, notificationIndexes.Key("service-id", n.ServiceID))
	}
	if n.VpcEndpointID != "" {
		keys = append(keys, notificationIndexes.Key("vpc-endpoint-id", n.VpcEndpointID))
	}
	return keys
}

// setTopic checks and sets the SNS topic, when one is given.
func (n *ConnectionNotification) setTopic(arn string) error {
	if arn == "" {
		return nil
	}
	m := snsTopicARN.FindStringSubmatch(arn)
	if m == nil {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindConnectionNotification, "The connection notification ARN '%s' is not a valid SNS topic ARN", arn)
	}
	if _, ok := regions.Lookup(m[1]); !ok {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindConnectionNotification, "The connection notification ARN '%s' names a Region that does not exist", arn)
	}
	n.TopicARN = arn
	return nil
}

// setEvents checks and sets the events, when some are given.
func (n *ConnectionNotification) setEvents(events []string) error {
	if len(events) == 0 {
		return nil
	}
	for _, e := range events {
		if !slices.Contains(connectionEvents, e) {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindConnectionNotification, "The connection event '%s' is not valid. Valid values: Accept, Connect, Delete, Reject", e)
		}
	}
	n.Events = cloud.SortedUnique(events)
	return nil
}

// ConnectionNotificationInput is what CreateVpcEndpointConnectionNotification
// takes: a service or an endpoint of the caller, a topic and events.
type ConnectionNotificationInput struct {
	ServiceID     string
	VpcEndpointID string
	TopicARN      string
	Events        []string
}

// CreateConnectionNotification creates a connection notification for one
// of the caller's endpoint services or interface endpoints.
func (c *Service) CreateConnectionNotification(ctx context.Context, who cloud.Caller, in ConnectionNotificationInput) (*ConnectionNotification, error) {
	switch {
	case in.ServiceID != "" && in.VpcEndpointID != "":
		return nil, cloud.Errorf(cloud.InvalidCombination, "", "Specify either a ServiceId or a VpcEndpointId, not both")
	case in.ServiceID == "" && in.VpcEndpointID == "":
		return nil, cloud.Errorf(cloud.MissingParameter, "", "Either ServiceId or VpcEndpointId must be specified")
	case in.TopicARN == "":
		return nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter ConnectionNotificationArn")
	case len(in.Events) == 0:
		return nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter ConnectionEvents")
	}
	var n *ConnectionNotification
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		n = &ConnectionNotification{Meta: cloud.Meta{ID: t.NewID("vpce-nfn-"), Owner: t.Scope.Account, Region: t.Scope.Region}}
		if err := n.watch(t, in.ServiceID, in.VpcEndpointID); err != nil {
			return err
		}
		if err := n.setTopic(in.TopicARN); err != nil {
			return err
		}
		if err := n.setEvents(in.Events); err != nil {
			return err
		}
		return cloud.Put(t, n)
	})
	return n, err
}

// watch points the notification at the caller's service or interface
// endpoint.
func (n *ConnectionNotification) watch(t *cloud.Txn, serviceID, endpointID string) error {
	if serviceID != "" {
		s, err := serviceOf(t, serviceID)
		if err != nil {
			return err
		}
		n.ServiceID, n.ServiceRegion = s.ID, s.Region
		return nil
	}
	e, err := cloud.GetIn[VPCEndpoint](t, endpointID)
	if err != nil {
		return err
	}
	if e.Type != ServiceTypeInterface {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindConnectionNotification, "Connection notifications are supported for interface endpoints only: '%s' is a %s endpoint", e.ID, e.Type)
	}
	n.VpcEndpointID, n.ServiceRegion = e.ID, cmp.Or(e.ServiceRegion, e.Region)
	return nil
}

// ModifyConnectionNotification changes the topic or the events of one of
// the caller's connection notifications.
func (c *Service) ModifyConnectionNotification(ctx context.Context, who cloud.Caller, id, topicARN string, events []string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		n, err := cloud.GetIn[ConnectionNotification](t, id)
		if err != nil {
			return err
		}
		if err := n.setTopic(topicARN); err != nil {
			return err
		}
		if err := n.setEvents(events); err != nil {
			return err
		}
		return cloud.Put(t, n)
	})
}

// DeleteConnectionNotifications deletes connection notifications of the
// caller; an unknown one is an unsuccessful item.
func (c *Service) DeleteConnectionNotifications(ctx context.Context, who cloud.Caller, ids []string) ([]cloud.Unsuccessful, error) {
	var failed []cloud.Unsuccessful
	err := c.Update(ctx, who, func(t *cloud.Txn) (err error) {
		failed, err = cloud.EachItem(ids, func(id string) (*cloud.Error, error) {
			n, err := cloud.GetIn[ConnectionNotification](t, id)
			if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
				return e, nil
			}
			if err != nil {
				return nil, err
			}
			return nil, cloud.Remove(t, n)
		})
		return err
	})
	return failed, err
}
