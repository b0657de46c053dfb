package elb

import (
	"context"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/regions"
)

// TargetGroup is an Elastic Load Balancing v2 target group: the targets a
// listener forwards to, and how the load balancer checks their health. Its
// ID is its ARN.
type TargetGroup struct {
	cloud.Meta
	Name            string
	Protocol        string // "" for lambda targets
	ProtocolVersion string `json:",omitempty"`
	Port            int32  // 0 for lambda targets
	VpcID           string `json:",omitempty"`
	TargetType      string
	IPAddressType   string
	HealthCheck     HealthCheck
	Attributes      map[string]string
	Targets         []Target `json:",omitempty"`

	// LoadBalancerARNs are the load balancers whose listeners or rules
	// forward to the group, derived on read.
	LoadBalancerARNs []string `json:"-"`
}

// HealthCheck is how a load balancer checks a group's targets.
type HealthCheck struct {
	Enabled            bool
	Protocol           string `json:",omitempty"`
	Port               string `json:",omitempty"` // "traffic-port" or a number
	Path               string `json:",omitempty"`
	IntervalSeconds    int32
	TimeoutSeconds     int32
	HealthyThreshold   int32
	UnhealthyThreshold int32
	HTTPCode           string `json:",omitempty"`
	GRPCCode           string `json:",omitempty"`
}

// Target is one registered target: an instance, an address, a Lambda
// function or an application load balancer, and its port.
type Target struct {
	ID               string
	Port             int32  `json:",omitempty"`
	AvailabilityZone string `json:",omitempty"`
	// DrainUntil is set while a deregistered target drains connections.
	DrainUntil *time.Time `json:",omitempty"`
}

// Target types.
const (
	TargetInstance = "instance"
	TargetIP       = "ip"
	TargetLambda   = "lambda"
	TargetALB      = "alb"
)

func (*TargetGroup) Kind() cloud.Kind { return cloud.KindTargetGroup }

func init() { cloud.RegisterType[TargetGroup]() }

func (g *TargetGroup) Keys() []cloud.Key {
	keys := []cloud.Key{{Name: "name", Value: g.Name}}
	if g.VpcID != "" {
		keys = append(keys, cloud.Key{Name: "vpc-id", Value: g.VpcID})
	}
	return keys
}

// Resolve derives the load balancers that use the group and drops targets
// that finished draining.
func (g *TargetGroup) Resolve(t *cloud.Txn) error {
	key := cloud.Key{Name: "target-group", Value: g.ID}
	listeners, err := cloud.FindIn[Listener](t, key)
	if err != nil {
		return err
	}
	rules, err := cloud.FindIn[Rule](t, key)
	if err != nil {
		return err
	}
	g.LoadBalancerARNs = nil
	for _, l := range listeners {
		if !contains(g.LoadBalancerARNs, l.LoadBalancerARN) {
			g.LoadBalancerARNs = append(g.LoadBalancerARNs, l.LoadBalancerARN)
		}
	}
	for _, r := range rules {
		if !contains(g.LoadBalancerARNs, r.LoadBalancerARN) {
			g.LoadBalancerARNs = append(g.LoadBalancerARNs, r.LoadBalancerARN)
		}
	}
	sort.Strings(g.LoadBalancerARNs)
	g.Targets = network.RemoveWhere(g.Targets, func(tg Target) bool { return tg.DrainUntil != nil && !t.Now.Before(*tg.DrainUntil) })
	return nil
}

// family is the kind of load balancer the group serves.
func (g *TargetGroup) family() string { return tgFamily(g.Protocol, g.TargetType) }

func tgFamily(protocol, targetType string) string {
	switch {
	case protocol == "GENEVE":
		return LBGateway
	case protocol == "HTTP" || protocol == "HTTPS" || targetType == TargetLambda:
		return LBApplication
	}
	return LBNetwork
}

// HealthCheckInput is the health check settings of a create or modify
// call; nil fields take their defaults or stay as they are.
type HealthCheckInput struct {
	Enabled                                             *bool
	Protocol, Port, Path                                *string
	Interval, Timeout, HealthyThreshold, UnhealthyCount *int32
	HTTPCode, GRPCCode                                  *string
}

// CreateTargetGroupInput is what CreateTargetGroup takes.
type CreateTargetGroupInput struct {
	Name            string
	Protocol        string
	ProtocolVersion string
	Port            *int32
	VpcID           string
	TargetType      string // default instance
	IPAddressType   string // default ipv4
	HealthCheck     HealthCheckInput
	Tags            []cloud.Tag
}

// check fills the defaults and checks what needs no state.
func (in *CreateTargetGroupInput) check() error {
	if err := elbName("Target group name", in.Name); err != nil {
		return err
	}
	if in.TargetType == "" {
		in.TargetType = TargetInstance
	}
	if in.IPAddressType == "" {
		in.IPAddressType = "ipv4"
	}
	if in.TargetType == TargetLambda {
		if in.Protocol != "" || in.Port != nil || in.VpcID != "" {
			return cloud.InvalidParam("A protocol, port or VPC ID cannot be specified for target groups with target type 'lambda'")
		}
		return nil
	}
	switch {
	case in.Protocol == "":
		return cloud.InvalidParam("A protocol must be specified")
	case in.Port == nil:
		return cloud.InvalidParam("A port must be specified")
	case in.VpcID == "":
		return cloud.InvalidParam("A VPC ID must be specified")
	case in.Protocol == "GENEVE" && *in.Port != 6081:
		return cloud.InvalidParam("Port must be 6081 for target groups with the 'GENEVE' protocol")
	case in.Protocol == "GENEVE" && in.TargetType != TargetInstance && in.TargetType != TargetIP:
		return cloud.InvalidParam("Target type '%s' is not supported for target groups with the 'GENEVE' protocol", in.TargetType)
	case in.TargetType == TargetALB && in.Protocol != "TCP":
		return cloud.InvalidParam("Target groups with target type 'alb' must use the 'TCP' protocol")
	case in.ProtocolVersion != "" && in.Protocol != "HTTP" && in.Protocol != "HTTPS":
		return cloud.InvalidParam("A protocol version can only be specified for target groups with the 'HTTP' or 'HTTPS' protocol")
	}
	if in.ProtocolVersion != "" {
		v := strings.ToUpper(in.ProtocolVersion)
		if v != "HTTP1" && v != "HTTP2" && v != "GRPC" {
			return cloud.InvalidParam("Protocol version '%s' must be one of 'HTTP1, HTTP2, GRPC'", in.ProtocolVersion)
		}
		in.ProtocolVersion = v
	} else if in.Protocol == "HTTP" || in.Protocol == "HTTPS" {
		in.ProtocolVersion = "HTTP1"
	}
	return nil
}

// defaultHealthCheck is AWS's health check of a new group.
func defaultHealthCheck(protocol, protocolVersion, targetType string) HealthCheck {
	family := tgFamily(protocol, targetType)
	switch {
	case targetType == TargetLambda:
		return HealthCheck{Path: "/", IntervalSeconds: 35, TimeoutSeconds: 30, HealthyThreshold: 5, UnhealthyThreshold: 5, HTTPCode: "200"}
	case family == LBApplication:
		hc := HealthCheck{Enabled: true, Protocol: "HTTP", Port: "traffic-port", Path: "/", IntervalSeconds: 30, TimeoutSeconds: 5, HealthyThreshold: 5, UnhealthyThreshold: 2, HTTPCode: "200"}
		if protocolVersion == "GRPC" {
			hc.Path, hc.HTTPCode, hc.GRPCCode = "/AWS.ALB/healthcheck", "", "12"
		}
		return hc
	case family == LBGateway:
		return HealthCheck{Enabled: true, Protocol: "TCP", Port: "80", IntervalSeconds: 10, TimeoutSeconds: 5, HealthyThreshold: 5, UnhealthyThreshold: 2}
	}
	return HealthCheck{Enabled: true, Protocol: "TCP", Port: "traffic-port", IntervalSeconds: 30, TimeoutSeconds: 10, HealthyThreshold: 5, UnhealthyThreshold: 2}
}

// applyHealthCheck applies settings to a group's health check and checks
// the result. creating says whether defaults tied to the protocol still
// follow a changed health check protocol.
func (g *TargetGroup) applyHealthCheck(in HealthCheckInput, creating bool) error {
	hc := &g.HealthCheck
	if in.Protocol != nil && *in.Protocol != hc.Protocol {
		hc.Protocol = *in.Protocol
		if err := g.checkHealthCheckProtocol(); err != nil {
			return err
		}
		g.protocolDefaults(creating)
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	setInt := func(dst *int32, v *int32) {
		if v != nil {
			*dst = *v
		}
	}
	if in.Enabled != nil {
		hc.Enabled = *in.Enabled
	}
	set(&hc.Port, in.Port)
	set(&hc.Path, in.Path)
	set(&hc.HTTPCode, in.HTTPCode)
	set(&hc.GRPCCode, in.GRPCCode)
	setInt(&hc.IntervalSeconds, in.Interval)
	setInt(&hc.TimeoutSeconds, in.Timeout)
	setInt(&hc.HealthyThreshold, in.HealthyThreshold)
	setInt(&hc.UnhealthyThreshold, in.UnhealthyCount)
	return g.checkHealthCheck(in)
}

// protocolDefaults resets the settings that follow the health check
// protocol: path and matcher exist for HTTP checks only.
func (g *TargetGroup) protocolDefaults(creating bool) {
	hc := &g.HealthCheck
	httpCheck := hc.Protocol == "HTTP" || hc.Protocol == "HTTPS"
	switch {
	case !httpCheck:
		hc.Path, hc.HTTPCode, hc.GRPCCode = "", "", ""
	case hc.Path == "":
		hc.Path = "/"
		hc.HTTPCode = "200-399"
	}
	if creating && g.family() == LBNetwork && hc.Protocol == "HTTP" {
		hc.TimeoutSeconds = 6
	}
}

// checkHealthCheckProtocol refuses a health check protocol the group
// cannot use.
func (g *TargetGroup) checkHealthCheckProtocol() error {
	p := g.HealthCheck.Protocol
	switch {
	case p != "HTTP" && p != "HTTPS" && p != "TCP":
		return cloud.InvalidParam("Health check protocol '%s' must be one of 'HTTP, HTTPS, TCP'", p)
	case p == "TCP" && g.family() == LBApplication:
		return cloud.InvalidParam("Health check protocol 'TCP' is not supported for target groups with the '%s' protocol", g.Protocol)
	}
	return nil
}

// checkHealthCheck refuses settings that do not fit together.
func (g *TargetGroup) checkHealthCheck(in HealthCheckInput) error {
	hc := g.HealthCheck
	// A Lambda function's check has no protocol, but a path and a matcher.
	httpCheck := hc.Protocol == "HTTP" || hc.Protocol == "HTTPS" || g.TargetType == TargetLambda
	switch {
	case !hc.Enabled && g.TargetType != TargetLambda:
		return cloud.InvalidParam("Health checks cannot be disabled for target groups with target type '%s'", g.TargetType)
	case hc.Port != "traffic-port" && !validPort(hc.Port) && !(g.TargetType == TargetLambda && hc.Port == ""):
		// A Lambda function's health check has no port.
		return cloud.InvalidParam("Health check port '%s' must be 'traffic-port' or a port from 1 to 65535", hc.Port)
	case !httpCheck && in.Path != nil:
		return cloud.InvalidParam("A health check path cannot be specified for '%s' health checks", hc.Protocol)
	case !httpCheck && (in.HTTPCode != nil || in.GRPCCode != nil):
		return cloud.InvalidParam("A health check matcher cannot be specified for '%s' health checks", hc.Protocol)
	case hc.TimeoutSeconds >= hc.IntervalSeconds:
		return cloud.InvalidParam("Health check interval must be greater than the timeout.")
	case hc.Path != "" && !strings.HasPrefix(hc.Path, "/"):
		return cloud.InvalidParam("Health check path must begin with a '/' character")
	case hc.HTTPCode != "" && !httpCodes.MatchString(hc.HTTPCode):
		return cloud.InvalidParam("Health check matcher HTTP code '%s' must be a value from 200 to 499 (200 to 599 for Network Load Balancers), a list or a range", hc.HTTPCode)
	}
	return nil
}

var httpCodes = regexp.MustCompile(`^[2-5]\d\d(-[2-5]\d\d)?(,[2-5]\d\d(-[2-5]\d\d)?)*$`)

func validPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 65535
}

// sameAs reports whether a create call asks for this group as it is.
func (g *TargetGroup) sameAs(in CreateTargetGroupInput) bool {
	return g.Protocol == in.Protocol && g.Port == valOr(in.Port) && g.VpcID == in.VpcID &&
		g.TargetType == in.TargetType && g.IPAddressType == in.IPAddressType && g.ProtocolVersion == in.ProtocolVersion
}

func valOr(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

// targetGroupByName finds the caller's target group with a name.
func targetGroupByName(t *cloud.Txn, name string) (*TargetGroup, error) {
	found, err := cloud.FindIn[TargetGroup](t, cloud.Key{Name: "name", Value: name})
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return found[0], nil
}

// checkTGQuota refuses a group past the region's quotas.
func checkTGQuota(t *cloud.Txn, protocol string) error {
	n, err := countIn[TargetGroup](t, func(*TargetGroup) bool { return true })
	if err != nil {
		return err
	}
	if n >= t.Limit("target-groups") {
		return cloud.Errorf(cloud.LimitExceeded, cloud.KindTargetGroup, "The maximum number of target groups has been reached")
	}
	if protocol == "GENEVE" {
		n, err := countIn[TargetGroup](t, func(g *TargetGroup) bool { return g.Protocol == "GENEVE" })
		if err != nil {
			return err
		}
		if n >= t.Limit("geneve-target-groups") {
			return cloud.Errorf(cloud.LimitExceeded, cloud.KindTargetGroup, "The maximum number of GENEVE target groups has been reached")
		}
	}
	return nil
}

// CreateTargetGroup creates a target group. As on AWS it is idempotent: a
// group of the same name and settings is returned as it is; another of the
// same name is refused.
func (c *Service) CreateTargetGroup(ctx context.Context, who cloud.Caller, in CreateTargetGroupInput) (*TargetGroup, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	tags, err := elbTags(in.Tags)
	if err != nil {
		return nil, err
	}
	var g *TargetGroup
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		if in.VpcID != "" {
			if _, err := cloud.GetIn[network.VPC](t, in.VpcID); err != nil {
				return cloud.InvalidParam("The VPC ID '%s' is not found", in.VpcID)
			}
		}
		existing, err := targetGroupByName(t, in.Name)
		if err != nil {
			return err
		}
		if existing != nil {
			if !existing.sameAs(in) {
				return cloud.Errorf(cloud.Duplicate, cloud.KindTargetGroup, "A target group with the same name '%s' exists, but with different settings", in.Name)
			}
			g = existing
			return g.Resolve(t)
		}
		if err := checkTGQuota(t, in.Protocol); err != nil {
			return err
		}
		g = &TargetGroup{
			Meta: cloud.Meta{Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags},
			Name: in.Name, Protocol: in.Protocol, ProtocolVersion: in.ProtocolVersion, Port: valOr(in.Port),
			VpcID: in.VpcID, TargetType: in.TargetType, IPAddressType: in.IPAddressType,
			HealthCheck: defaultHealthCheck(in.Protocol, in.ProtocolVersion, in.TargetType),
		}
		g.ID = elbARN(t, "targetgroup/"+in.Name+"/"+newELBID(t))
		g.Attributes = g.attrSet().values()
		if err := g.applyHealthCheck(in.HealthCheck, true); err != nil {
			return err
		}
		if err := cloud.Put(t, g); err != nil {
			return err
		}
		return g.Resolve(t)
	})
	return g, err
}

// getTargetGroup reads one of the caller's groups with its derived fields.
func getTargetGroup(t *cloud.Txn, arn string) (*TargetGroup, error) {
	g, err := getELB[TargetGroup](t, arn)
	if err != nil {
		return nil, err
	}
	return g, g.Resolve(t)
}

// ModifyTargetGroup changes a group's health check.
func (c *Service) ModifyTargetGroup(ctx context.Context, who cloud.Caller, arn string, in HealthCheckInput) (*TargetGroup, error) {
	var g *TargetGroup
	err := c.Update(ctx, who, func(t *cloud.Txn) (err error) {
		if g, err = getTargetGroup(t, arn); err != nil {
			return err
		}
		if err := g.applyHealthCheck(in, false); err != nil {
			return err
		}
		return cloud.Put(t, g)
	})
	return g, err
}

// DeleteTargetGroup deletes a group no listener forwards to. Deleting one
// that does not exist succeeds, as on AWS.
func (c *Service) DeleteTargetGroup(ctx context.Context, who cloud.Caller, arn string) error {
	if err := CheckELBARN(arn, cloud.KindTargetGroup); err != nil {
		return err
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := cloud.GetIn[TargetGroup](t, arn)
		if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
			return nil
		}
		if err != nil {
			return err
		}
		used, err := cloud.Exists(t, cloud.KindListener, cloud.Key{Name: "target-group", Value: arn})
		if err != nil {
			return err
		}
		usedByRule, err := cloud.Exists(t, cloud.KindRule, cloud.Key{Name: "target-group", Value: arn})
		if err != nil {
			return err
		}
		if used || usedByRule {
			return cloud.Errorf(cloud.InUse, cloud.KindTargetGroup, "Target group '%s' is currently in use by a listener or a rule", arn)
		}
		return cloud.Remove(t, g)
	})
}

// LoadBalancerTargetGroupARNs lists the groups a load balancer's listeners
// and rules forward to.
func (c *Service) LoadBalancerTargetGroupARNs(ctx context.Context, who cloud.Caller, lbARN string) ([]string, error) {
	var arns []string
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		if _, err := getELB[LoadBalancer](t, lbARN); err != nil {
			return err
		}
		key := cloud.Key{Name: "load-balancer", Value: lbARN}
		listeners, err := cloud.FindIn[Listener](t, key)
		if err != nil {
			return err
		}
		rules, err := cloud.FindIn[Rule](t, key)
		if err != nil {
			return err
		}
		var actions []Action
		for _, l := range listeners {
			actions = append(actions, l.Actions...)
		}
		for _, r := range rules {
			actions = append(actions, r.Actions...)
		}
		arns = forwardedGroups(actions)
		return nil
	})
	return arns, err
}

// tgAttrs are the target group attributes AWS knows.
var tgAttrs = attrKind{noun: "Target group", rules: map[string]attrRule{
	"deregistration_delay.timeout_seconds":                                           intRange(0, 3600),
	"deregistration_delay.connection_termination.enabled":                            boolValue,
	"stickiness.enabled":                                                             boolValue,
	"stickiness.type":                                                                oneOf("lb_cookie", "app_cookie", "source_ip", "source_ip_dest_ip", "source_ip_dest_ip_proto"),
	"stickiness.lb_cookie.duration_seconds":                                          intRange(1, 604800),
	"stickiness.app_cookie.cookie_name":                                              anyValue,
	"stickiness.app_cookie.duration_seconds":                                         intRange(1, 604800),
	"load_balancing.algorithm.type":                                                  oneOf("round_robin", "least_outstanding_requests", "weighted_random"),
	"load_balancing.algorithm.anomaly_mitigation":                                    oneOf("on", "off"),
	"slow_start.duration_seconds":                                                    {func(v string) bool { return v == "0" || intRange(30, 900).valid(v) }, "0 or an integer from 30 to 900"},
	"load_balancing.cross_zone.enabled":                                              oneOf("true", "false", "use_load_balancer_configuration"),
	"target_group_health.dns_failover.minimum_healthy_targets.count":                 offOr(intRange(1, 5000)),
	"target_group_health.dns_failover.minimum_healthy_targets.percentage":            offOr(intRange(1, 100)),
	"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count":      intRange(1, 5000),
	"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": offOr(intRange(1, 100)),
	"lambda.multi_value_headers.enabled":                                             boolValue,
	"preserve_client_ip.enabled":                                                     boolValue,
	"proxy_protocol_v2.enabled":                                                      boolValue,
	"target_health_state.unhealthy.connection_termination.enabled":                   boolValue,
	"target_health_state.unhealthy.draining_interval_seconds":                        intRange(0, 360000),
	"target_failover.on_deregistration":                                              oneOf("rebalance", "no_rebalance"),
	"target_failover.on_unhealthy":                                                   oneOf("rebalance", "no_rebalance"),
}}

// udpProtocol reports whether a group carries UDP, whose connections AWS
// always terminates and whose client addresses it always preserves.
func udpProtocol(p string) bool { return p == "UDP" || p == "TCP_UDP" }

// attrSet is the attributes the group has, with their defaults.
func (g *TargetGroup) attrSet() attrSet {
	health := attrSet{
		{"load_balancing.cross_zone.enabled", "use_load_balancer_configuration"},
		{"target_group_health.dns_failover.minimum_healthy_targets.count", "1"},
		{"target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"},
		{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"},
		{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"},
	}
	switch {
	case g.TargetType == TargetLambda:
		return append(attrSet{{"lambda.multi_value_headers.enabled", "false"}, {"stickiness.enabled", "false"}}, health...)
	case g.family() == LBGateway:
		return attrSet{
			{"deregistration_delay.timeout_seconds", "300"}, {"stickiness.enabled", "false"}, {"stickiness.type", "source_ip_dest_ip"},
			{"target_failover.on_deregistration", "no_rebalance"}, {"target_failover.on_unhealthy", "no_rebalance"},
		}
	case g.family() == LBApplication:
		set := attrSet{
			{"deregistration_delay.timeout_seconds", "300"}, {"stickiness.enabled", "false"}, {"stickiness.type", "lb_cookie"},
			{"stickiness.lb_cookie.duration_seconds", "86400"}, {"stickiness.app_cookie.cookie_name", ""},
			{"stickiness.app_cookie.duration_seconds", "86400"}, {"load_balancing.algorithm.type", "round_robin"},
			{"load_balancing.algorithm.anomaly_mitigation", "off"}, {"slow_start.duration_seconds", "0"},
		}
		return append(set, health...)
	}
	preserve := strconv.FormatBool(g.defaultPreserveClientIP())
	udp := udpProtocol(g.Protocol)
	set := attrSet{
		{"deregistration_delay.timeout_seconds", "300"},
		{"deregistration_delay.connection_termination.enabled", strconv.FormatBool(udp)},
		{"stickiness.enabled", "false"}, {"stickiness.type", "source_ip"},
		{"proxy_protocol_v2.enabled", "false"}, {"preserve_client_ip.enabled", preserve},
	}
	set = append(set, health...)
	return append(set,
		attrDefault{"target_health_state.unhealthy.connection_termination.enabled", strconv.FormatBool(!udp)},
		attrDefault{"target_health_state.unhealthy.draining_interval_seconds", "0"})
}

// stickinessTypes are the stickiness types each family takes.
var stickinessTypes = map[string][]string{
	LBApplication: {"lb_cookie", "app_cookie"},
	LBNetwork:     {"source_ip"},
	LBGateway:     {"source_ip_dest_ip", "source_ip_dest_ip_proto"},
}

// defaultPreserveClientIP is AWS's default for a Network Load Balancer
// group's client IP preservation: on, except for IP targets over TCP or
// TLS.
func (g *TargetGroup) defaultPreserveClientIP() bool {
	return !(g.TargetType == TargetIP && (g.Protocol == "TCP" || g.Protocol == "TLS"))
}

// PreservesClientIP reports whether the group's targets see the client's
// address (the group's preserve_client_ip.enabled, or AWS's default)
// rather than the load balancer node's.
func (g *TargetGroup) PreservesClientIP() bool {
	if v := g.Attributes["preserve_client_ip.enabled"]; v != "" {
		return v == "true"
	}
	return g.defaultPreserveClientIP()
}

// checkAttributes refuses attribute combinations AWS refuses.
func (g *TargetGroup) checkAttributes() error {
	a := g.Attributes
	udp := udpProtocol(g.Protocol)
	switch {
	case a["stickiness.type"] != "" && !contains(stickinessTypes[g.family()], a["stickiness.type"]):
		return cloud.InvalidParam("Stickiness type '%s' is not supported for target groups with the '%s' protocol", a["stickiness.type"], g.Protocol)
	case a["target_failover.on_deregistration"] != a["target_failover.on_unhealthy"]:
		return cloud.InvalidParam("The attributes 'target_failover.on_deregistration' and 'target_failover.on_unhealthy' must have the same value")
	case udp && a["preserve_client_ip.enabled"] == "false":
		return cloud.Errorf(cloud.InvalidConfiguration, "", "Client IP preservation cannot be disabled for target groups with the '%s' protocol", g.Protocol)
	case udp && a["target_health_state.unhealthy.connection_termination.enabled"] == "true":
		return cloud.Errorf(cloud.InvalidConfiguration, "", "Unhealthy connection termination cannot be enabled for target groups with the '%s' protocol", g.Protocol)
	case a["target_health_state.unhealthy.draining_interval_seconds"] != "" && a["target_health_state.unhealthy.draining_interval_seconds"] != "0" &&
		a["target_health_state.unhealthy.connection_termination.enabled"] == "true":
		return cloud.Errorf(cloud.InvalidConfiguration, "", "The unhealthy draining interval can only be set when unhealthy connection termination is disabled")
	case a["load_balancing.algorithm.anomaly_mitigation"] == "on" && a["load_balancing.algorithm.type"] != "weighted_random":
		return cloud.Errorf(cloud.InvalidConfiguration, "", "Anomaly mitigation is only available with the 'weighted_random' load balancing algorithm")
	case strings.HasPrefix(a["stickiness.app_cookie.cookie_name"], "AWSALB"):
		return cloud.InvalidParam("Cookie names that begin with 'AWSALB' are reserved for use by the load balancer")
	case a["stickiness.enabled"] == "true" && a["stickiness.type"] == "app_cookie" && a["stickiness.app_cookie.cookie_name"] == "":
		return cloud.InvalidParam("An application cookie name must be specified for the 'app_cookie' stickiness type")
	}
	return nil
}

// what is how refusals name the group's kind.
func (g *TargetGroup) what() string {
	if g.TargetType == TargetLambda {
		return "target groups with target type 'lambda'"
	}
	return "target groups with the '" + g.Protocol + "' protocol"
}

// TargetGroupAttributes lists a group's attributes.
func (c *Service) TargetGroupAttributes(ctx context.Context, who cloud.Caller, arn string) ([]Attribute, error) {
	var out []Attribute
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		g, err := getELB[TargetGroup](t, arn)
		if err != nil {
			return err
		}
		out = g.attrSet().list(g.Attributes)
		return nil
	})
	return out, err
}

// ModifyTargetGroupAttributes changes a group's attributes and lists them
// all.
func (c *Service) ModifyTargetGroupAttributes(ctx context.Context, who cloud.Caller, arn string, changes []Attribute) ([]Attribute, error) {
	var out []Attribute
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := getELB[TargetGroup](t, arn)
		if err != nil {
			return err
		}
		set := g.attrSet()
		if err := tgAttrs.apply(set, g.Attributes, changes, g.what()); err != nil {
			return err
		}
		if err := g.checkAttributes(); err != nil {
			return err
		}
		out = set.list(g.Attributes)
		return cloud.Put(t, g)
	})
	return out, err
}

// TargetSpec names a target in a register, deregister or health call.
type TargetSpec struct {
	ID               string
	Port             *int32
	AvailabilityZone string
}

// port is the target's port: its own or the group's.
func (g *TargetGroup) port(s TargetSpec) int32 {
	if s.Port != nil {
		return *s.Port
	}
	return g.Port
}

// indexOf is the position of a registered target, or -1.
func (g *TargetGroup) indexOf(id string, port int32) int {
	for i, tg := range g.Targets {
		if tg.ID == id && tg.Port == port {
			return i
		}
	}
	return -1
}

// RegisterTargets registers targets with a group; registering one again
// changes nothing (and stops its draining).
func (c *Service) RegisterTargets(ctx context.Context, who cloud.Caller, arn string, specs []TargetSpec) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := getTargetGroup(t, arn)
		if err != nil {
			return err
		}
		targets, err := g.checkTargets(t, specs)
		if err != nil {
			return err
		}
		for _, tg := range targets {
			if i := g.indexOf(tg.ID, tg.Port); i >= 0 {
				g.Targets[i] = tg
				continue
			}
			g.Targets = append(g.Targets, tg)
		}
		if len(g.Targets) > t.Limit("targets-per-target-group") {
			return cloud.Errorf(cloud.LimitExceeded, cloud.KindTarget, "You've reached the limit on the number of targets per target group")
		}
		return cloud.Put(t, g)
	})
}

// checkTargets checks targets to register and resolves their ports and
// zones.
func (g *TargetGroup) checkTargets(t *cloud.Txn, specs []TargetSpec) ([]Target, error) {
	var out []Target
	for _, s := range specs {
		port := g.port(s)
		switch {
		case port == 0 && g.TargetType != TargetLambda:
			return nil, cloud.InvalidParam("A port must be specified for target '%s'", s.ID)
		case g.Protocol == "GENEVE" && port != 6081:
			return nil, cloud.InvalidParam("Port must be 6081 for targets of target groups with the 'GENEVE' protocol")
		case port < 0 || port > 65535:
			return nil, cloud.InvalidParam("Port %d of target '%s' must be from 1 to 65535", port, s.ID)
		}
		out = append(out, Target{ID: s.ID, Port: port, AvailabilityZone: s.AvailabilityZone})
	}
	var err error
	switch g.TargetType {
	case TargetInstance:
		err = g.checkInstanceTargets(t, out)
	case TargetIP:
		err = g.checkIPTargets(t, out)
	case TargetLambda:
		err = checkLambdaTargets(g, out)
	case TargetALB:
		err = g.checkALBTargets(t, out)
	}
	return out, err
}

// checkInstanceTargets refuses instances that do not exist, are outside
// the group's VPC or are not running, listing them as AWS does.
func (g *TargetGroup) checkInstanceTargets(t *cloud.Txn, targets []Target) error {
	var missing, elsewhere, notRunning []string
	for _, tg := range targets {
		if tg.AvailabilityZone != "" {
			return cloud.InvalidParam("An Availability Zone cannot be specified for targets of target type 'instance'")
		}
		inst, err := cloud.GetIn[network.Instance](t, tg.ID)
		switch {
		case err != nil || cloud.Gone(t, inst):
			missing = append(missing, "'"+tg.ID+"'")
		case inst.VpcID != g.VpcID:
			elsewhere = append(elsewhere, "'"+tg.ID+"'")
		case inst.State != "running":
			notRunning = append(notRunning, "'"+tg.ID+"'")
		}
	}
	switch {
	case len(missing) > 0:
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindTarget, "The following instances do not exist: %s", strings.Join(missing, ", "))
	case len(elsewhere) > 0:
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindTarget, "The following targets are not in the target group VPC '%s': %s", g.VpcID, strings.Join(elsewhere, ", "))
	case len(notRunning) > 0:
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindTarget, "The following targets are not in a running state and cannot be registered: %s", strings.Join(notRunning, ", "))
	}
	return nil
}

// privateRanges are the ranges outside its VPC an ip target may use: RFC
// 1918 and RFC 6598 addresses (peered VPCs, on-premises networks).
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("100.64.0.0/10"),
}

// checkIPTargets refuses addresses of the wrong family or outside the VPC
// and the private ranges; an address outside the VPC needs a zone.
func (g *TargetGroup) checkIPTargets(t *cloud.Txn, targets []Target) error {
	vpc, err := cloud.GetAny[network.VPC](t.StoreTx, g.VpcID)
	if err != nil {
		return err
	}
	region, _ := regions.Lookup(t.Scope.Region)
	for i := range targets {
		tg := &targets[i]
		a, err := netip.ParseAddr(tg.ID)
		if err != nil || a.Is4() != (g.IPAddressType == "ipv4") {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindTarget, "The IP address '%s' is not a valid %s address", tg.ID, map[bool]string{true: "IPv4", false: "IPv6"}[g.IPAddressType == "ipv4"])
		}
		inVPC := cidr.AnyContains(vpc.Prefixes(), a) || inVPCv6(vpc, a)
		if tg.AvailabilityZone != "" && tg.AvailabilityZone != "all" {
			if _, ok := region.Zone(tg.AvailabilityZone); !ok {
				return cloud.InvalidParam("The Availability Zone '%s' is not valid", tg.AvailabilityZone)
			}
		}
		switch {
		case inVPC:
		case !cidr.AnyContains(privateRanges, a):
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindTarget, "The IP address '%s' is not within the VPC '%s' or a private address range (RFC 1918, RFC 6598)", tg.ID, g.VpcID)
		case tg.AvailabilityZone == "":
			return cloud.InvalidParam("An Availability Zone must be specified for the IP address '%s', which is outside the VPC of the target group", tg.ID)
		}
	}
	return nil
}

func inVPCv6(vpc *network.VPC, a netip.Addr) bool {
	for _, as := range vpc.IPv6Associations {
		if p, err := netip.ParsePrefix(as.CIDR); err == nil && p.Contains(a) {
			return true
		}
	}
	return false
}

var lambdaARN = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$`)

// checkLambdaTargets allows one Lambda function, named by ARN.
func checkLambdaTargets(g *TargetGroup, targets []Target) error {
	for _, tg := range targets {
		if !lambdaARN.MatchString(tg.ID) {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindTarget, "The target '%s' is not a valid Lambda function ARN", tg.ID)
		}
	}
	return singleTarget(g.Targets, targets, "Lambda function")
}

// singleTarget refuses a second target where a group takes one (a Lambda
// function, an application load balancer).
func singleTarget(registered, adding []Target, noun string) error {
	ids := map[string]bool{}
	for _, tg := range append(append([]Target(nil), registered...), adding...) {
		ids[tg.ID] = true
	}
	if len(ids) > 1 {
		return cloud.Errorf(cloud.LimitExceeded, cloud.KindTarget, "You can register only one %s with a target group", noun)
	}
	return nil
}

// checkALBTargets allows one application load balancer of the group's VPC
// with a listener on the group's port.
func (g *TargetGroup) checkALBTargets(t *cloud.Txn, targets []Target) error {
	for _, tg := range targets {
		lb, err := getELB[LoadBalancer](t, tg.ID)
		if err != nil || lb.Type != LBApplication {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindTarget, "The target '%s' is not a valid Application Load Balancer", tg.ID)
		}
		if lb.VpcID != g.VpcID {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindTarget, "The following targets are not in the target group VPC '%s': '%s'", g.VpcID, tg.ID)
		}
		listening, err := cloud.Exists(t, cloud.KindListener, cloud.Key{Name: "load-balancer-port", Value: tg.ID + "/" + strconv.Itoa(int(tg.Port))})
		if err != nil {
			return err
		}
		if !listening {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindTarget, "The Application Load Balancer '%s' must have a listener on port %d", tg.ID, tg.Port)
		}
	}
	return singleTarget(g.Targets, targets, "Application Load Balancer")
}

// DeregisterTargets deregisters targets. A target of a group a load
// balancer uses drains for the group's deregistration delay; others go at
// once. Targets that are not registered are passed over, as on AWS.
func (c *Service) DeregisterTargets(ctx context.Context, who cloud.Caller, arn string, specs []TargetSpec) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := getTargetGroup(t, arn)
		if err != nil {
			return err
		}
		delay, _ := strconv.Atoi(g.Attributes["deregistration_delay.timeout_seconds"])
		for _, s := range specs {
			i := g.indexOf(s.ID, g.port(s))
			if i < 0 || g.Targets[i].DrainUntil != nil {
				continue
			}
			if len(g.LoadBalancerARNs) == 0 || delay == 0 {
				g.Targets = append(g.Targets[:i], g.Targets[i+1:]...)
				continue
			}
			until := t.Now.Add(time.Duration(delay) * time.Second)
			g.Targets[i].DrainUntil = &until
		}
		return cloud.Put(t, g)
	})
}

// TargetHealth is a target's state as DescribeTargetHealth reports it.
type TargetHealth struct {
	Target          Target
	HealthCheckPort string
	State           string
	Reason          string
	Description     string
}

// DescribeTargetHealth reports the health of the named targets, or of all
// registered ones.
func (c *Service) DescribeTargetHealth(ctx context.Context, who cloud.Caller, arn string, specs []TargetSpec) ([]TargetHealth, error) {
	var out []TargetHealth
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		g, err := getTargetGroup(t, arn)
		if err != nil {
			return err
		}
		zones, err := g.enabledZones(t)
		if err != nil {
			return err
		}
		targets := g.Targets
		if len(specs) > 0 {
			targets = nil
			for _, s := range specs {
				tg := Target{ID: s.ID, Port: g.port(s), AvailabilityZone: s.AvailabilityZone}
				if i := g.indexOf(tg.ID, tg.Port); i >= 0 {
					tg = g.Targets[i]
				}
				targets = append(targets, tg)
			}
		}
		for _, tg := range targets {
			if g.indexOf(tg.ID, tg.Port) < 0 {
				out = append(out, g.health(tg, "unused", "Target.NotRegistered", "Target is not registered to the target group"))
				continue
			}
			h, err := g.targetHealth(t, tg, zones)
			if err != nil {
				return err
			}
			out = append(out, h)
		}
		return nil
	})
	return out, err
}

// enabledZones are the zones of the load balancers that use the group.
func (g *TargetGroup) enabledZones(t *cloud.Txn) (map[string]bool, error) {
	zones := map[string]bool{}
	for _, arn := range g.LoadBalancerARNs {
		lb, err := cloud.GetAny[LoadBalancer](t.StoreTx, arn)
		if err != nil {
			if err := network.IgnoreNotFound(err); err != nil {
				return nil, err
			}
			continue
		}
		for _, z := range lb.Zones {
			zones[z.ZoneName] = true
		}
	}
	return zones, nil
}

func (g *TargetGroup) health(tg Target, state, reason, description string) TargetHealth {
	port := g.HealthCheck.Port
	if port == "traffic-port" {
		port = strconv.Itoa(int(tg.Port))
	}
	tg.DrainUntil = nil
	if g.TargetType == TargetInstance {
		tg.AvailabilityZone = ""
	}
	return TargetHealth{Target: tg, HealthCheckPort: port, State: state, Reason: reason, Description: description}
}

// targetHealth is a registered target's state: draining after
// deregistration; unused while no load balancer uses the group, while an
// instance is not running or the target's zone is not enabled; healthy
// otherwise.
func (g *TargetGroup) targetHealth(t *cloud.Txn, tg Target, zones map[string]bool) (TargetHealth, error) {
	if tg.DrainUntil != nil {
		return g.health(tg, "draining", "Target.DeregistrationInProgress", "Target deregistration is in progress"), nil
	}
	if len(g.LoadBalancerARNs) == 0 {
		return g.health(tg, "unused", "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer"), nil
	}
	zone := tg.AvailabilityZone
	switch g.TargetType {
	case TargetInstance:
		inst, err := cloud.GetAny[network.Instance](t.StoreTx, tg.ID)
		if err != nil {
			if err := network.IgnoreNotFound(err); err != nil {
				return TargetHealth{}, err
			}
			return g.health(tg, "unused", "Target.InvalidState", "Target is in the terminated state"), nil
		}
		if inst.State != "running" {
			return g.health(tg, "unused", "Target.InvalidState", "Target is in the "+inst.State+" state"), nil
		}
		zone = inst.AvailabilityZone
	case TargetIP:
		if zone == "" {
			z, err := ipZone(t, g.VpcID, tg.ID)
			if err != nil {
				return TargetHealth{}, err
			}
			zone = z
		}
	}
	if zone != "" && zone != "all" && !zones[zone] {
		return g.health(tg, "unused", "Target.NotInUse", "Target is in an Availability Zone that is not enabled for the load balancer"), nil
	}
	return g.health(tg, "healthy", "", ""), nil
}

// ipZone is the zone of the VPC subnet that holds an address, or "".
func ipZone(t *cloud.Txn, vpcID, ip string) (string, error) {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return "", nil
	}
	subnets, err := cloud.FindAny[network.Subnet](t, cloud.Key{Name: "vpc-id", Value: vpcID})
	if err != nil {
		return "", err
	}
	for _, s := range subnets {
		if s.Prefix().Contains(a) {
			return s.AvailabilityZone, nil
		}
	}
	return "", nil
}
