package cloud

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/store"
)

// Listener is a load balancer's listener: a port and protocol (none on a
// gateway load balancer) and the default actions for what arrives there.
// Its ID is its ARN.
type Listener struct {
	Meta
	LoadBalancerARN string
	Port            int32    `json:",omitempty"`
	Protocol        string   `json:",omitempty"`
	SSLPolicy       string   `json:",omitempty"`
	Certificates    []string `json:",omitempty"`
	AlpnPolicy      []string `json:",omitempty"`
	Actions         []Action
	Attributes      map[string]string `json:",omitempty"`
}

// Action is one default action of a listener.
type Action struct {
	Type  string
	Order int32 `json:",omitempty"`
	// Forward actions: the groups and their weights (nil for a gateway
	// load balancer, which has none), and the stickiness between groups.
	ForwardGroups []WeightedTargetGroup `json:",omitempty"`
	Stickiness    *ForwardStickiness    `json:",omitempty"`
	Redirect      *RedirectAction       `json:",omitempty"`
	FixedResponse *FixedResponseAction  `json:",omitempty"`
}

// WeightedTargetGroup is a target group of a forward action.
type WeightedTargetGroup struct {
	ARN    string
	Weight *int32 `json:",omitempty"`
}

// ForwardStickiness is a forward action's stickiness between groups.
type ForwardStickiness struct {
	Enabled         bool
	DurationSeconds int32 `json:",omitempty"`
}

// RedirectAction is an application load balancer's redirect.
type RedirectAction struct {
	Host, Path, Port, Protocol, Query string `json:",omitempty"`
	StatusCode                        string
}

// FixedResponseAction is an application load balancer's fixed response.
type FixedResponseAction struct {
	ContentType, MessageBody string `json:",omitempty"`
	StatusCode               string
}

// Action types.
const (
	ActionForward       = "forward"
	ActionRedirect      = "redirect"
	ActionFixedResponse = "fixed-response"
)

func (*Listener) kind() Kind { return KindListener }

func (l *Listener) keys() []store.Key {
	keys := []store.Key{
		{Name: "load-balancer", Value: l.LoadBalancerARN},
		{Name: "load-balancer-port", Value: l.LoadBalancerARN + "/" + strconv.Itoa(int(l.Port))},
	}
	for _, arn := range l.targetGroupARNs() {
		keys = append(keys, store.Key{Name: "target-group", Value: arn})
	}
	return keys
}

// targetGroupARNs are the groups the listener forwards to.
func (l *Listener) targetGroupARNs() []string {
	var arns []string
	for _, a := range l.Actions {
		for _, g := range a.ForwardGroups {
			if !contains(arns, g.ARN) {
				arns = append(arns, g.ARN)
			}
		}
	}
	return arns
}

// TargetGroupARN is the group of a forward action with one group, which
// AWS also reports on its own.
func (a Action) TargetGroupARN() string {
	if a.Type == ActionForward && len(a.ForwardGroups) == 1 {
		return a.ForwardGroups[0].ARN
	}
	return ""
}

// ListenerInput is what CreateListener and ModifyListener take; in a
// modify call, zero fields stay as they are.
type ListenerInput struct {
	Port         *int32
	Protocol     string
	SSLPolicy    string
	Certificates []string
	AlpnPolicy   []string
	Actions      []ActionInput
	Tags         []Tag
}

// ActionInput is an action as a request gives it: a forward action names
// its group directly, in a forward configuration, or both.
type ActionInput struct {
	Type           string
	Order          *int32
	TargetGroupARN string
	ForwardGroups  []WeightedTargetGroup
	Stickiness     *ForwardStickiness
	Redirect       *RedirectAction
	FixedResponse  *FixedResponseAction
}

// listenerProtocols are the protocols each load balancer type listens on,
// as refusals list them.
var listenerProtocols = map[string][]string{
	LBApplication: {"HTTPS", "HTTP"},
	LBNetwork:     {"TLS", "TCP", "TCP_UDP", "UDP", "QUIC", "TCP_QUIC"},
}

// tgProtocols are the target group protocols each listener protocol
// forwards to.
var tgProtocols = map[string][]string{
	"HTTP": {"HTTP", "HTTPS"}, "HTTPS": {"HTTP", "HTTPS"},
	"TCP": {"TCP", "TCP_UDP"}, "TLS": {"TCP", "TLS"}, "UDP": {"UDP", "TCP_UDP"}, "TCP_UDP": {"TCP_UDP"},
	"QUIC": {"QUIC", "TCP_QUIC"}, "TCP_QUIC": {"TCP_QUIC"}, "": {"GENEVE"},
}

// secureProtocols carry a certificate and security policy.
func secureProtocol(p string) bool { return p == "HTTPS" || p == "TLS" }

// defaultSSLPolicy is the security policy of a new HTTPS or TLS listener.
const defaultSSLPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

var (
	certificateARN = regexp.MustCompile(`^arn:aws[a-z-]*:(acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}|iam::\d{12}:server-certificate/.+)$`)
	alpnPolicies   = []string{"HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None"}
)

// checkShape refuses a listener that does not fit its load balancer's
// type: ports and protocols, certificates, policies.
func (l *Listener) checkShape(lb *LoadBalancer) error {
	if lb.Type == LBGateway {
		if l.Port != 0 || l.Protocol != "" {
			return invalidParam("A port or protocol cannot be specified for listeners of Gateway Load Balancers")
		}
		return nil
	}
	switch {
	case l.Protocol == "":
		return invalidParam("A listener protocol must be specified")
	case l.Port == 0:
		return invalidParam("A listener port must be specified")
	case !contains(listenerProtocols[lb.Type], l.Protocol):
		return invalidParam("Listener protocol '%s' must be one of '%s'", l.Protocol, strings.Join(listenerProtocols[lb.Type], ", "))
	case lb.IPAddressType != "ipv4" && (udpProtocol(l.Protocol) || strings.Contains(l.Protocol, "QUIC")):
		return errorf(InvalidConfiguration, "", "You cannot use the %s protocol with a dualstack load balancer", l.Protocol)
	}
	return l.checkSecurity()
}

// checkSecurity refuses certificates and policies where they do not
// belong and requires them where they do.
func (l *Listener) checkSecurity() error {
	if !secureProtocol(l.Protocol) {
		switch {
		case len(l.Certificates) > 0:
			return invalidParam("Certificates cannot be specified for %s listeners", l.Protocol)
		case l.SSLPolicy != "":
			return invalidParam("A security policy cannot be specified for %s listeners", l.Protocol)
		case len(l.AlpnPolicy) > 0:
			return invalidParam("An ALPN policy can only be specified for TLS listeners")
		}
		return nil
	}
	switch {
	case len(l.Certificates) == 0:
		return invalidParam("A certificate must be specified for %s listeners", l.Protocol)
	case len(l.Certificates) > 1:
		return invalidParam("You must provide exactly one certificate for the listener's default certificate")
	case !certificateARN.MatchString(l.Certificates[0]):
		return errorf(NotFound, "certificate", "Certificate '%s' not found", l.Certificates[0])
	case !strings.HasPrefix(l.SSLPolicy, "ELBSecurityPolicy-"):
		return errorf(NotFound, "ssl-policy", "SSL policy '%s' not found", l.SSLPolicy)
	case len(l.AlpnPolicy) > 0 && l.Protocol != "TLS":
		return invalidParam("An ALPN policy can only be specified for TLS listeners")
	case len(l.AlpnPolicy) > 1:
		return invalidParam("You can specify only one ALPN policy")
	case len(l.AlpnPolicy) == 1 && !contains(alpnPolicies, l.AlpnPolicy[0]):
		return errorf(NotFound, "alpn-policy", "ALPN policy '%s' not found", l.AlpnPolicy[0])
	}
	return nil
}

// actions checks a listener's default actions against its load balancer:
// one final action, forward only on network and gateway load balancers,
// target groups that fit.
func (l *Listener) actions(t *txn, lb *LoadBalancer, in []ActionInput) ([]Action, error) {
	if len(in) == 0 {
		return nil, invalidParam("At least one default action must be specified")
	}
	if len(in) > 1 {
		return nil, errorf(LimitExceeded, "action", "A listener's default actions can hold only one forward, redirect or fixed-response action")
	}
	a := in[0]
	out := Action{Type: a.Type}
	if a.Order != nil {
		out.Order = *a.Order
	}
	if lb.Type != LBApplication && a.Type != ActionForward {
		return nil, invalidParam("Action type '%s' must be one of 'forward'", a.Type)
	}
	switch a.Type {
	case ActionForward:
		groups, err := l.forwardGroups(t, lb, a)
		if err != nil {
			return nil, err
		}
		out.ForwardGroups, out.Stickiness = groups, a.Stickiness
		if lb.Type != LBGateway && out.Stickiness == nil {
			out.Stickiness = &ForwardStickiness{}
		}
	case ActionRedirect:
		if a.Redirect == nil {
			return nil, invalidParam("A redirect configuration must be specified for actions of type 'redirect'")
		}
		out.Redirect = a.Redirect
	case ActionFixedResponse:
		if a.FixedResponse == nil {
			return nil, invalidParam("A fixed response configuration must be specified for actions of type 'fixed-response'")
		}
		out.FixedResponse = a.FixedResponse
	default:
		return nil, errorf(InvalidParameter, "action", "vpcemu does not model actions of type '%s'; listeners take forward, redirect and fixed-response actions", a.Type)
	}
	return []Action{out}, nil
}

// forwardGroups checks a forward action's target groups.
func (l *Listener) forwardGroups(t *txn, lb *LoadBalancer, a ActionInput) ([]WeightedTargetGroup, error) {
	groups := a.ForwardGroups
	switch {
	case a.TargetGroupARN != "" && len(groups) == 0:
		groups = []WeightedTargetGroup{{ARN: a.TargetGroupARN}}
	case a.TargetGroupARN != "" && (len(groups) != 1 || groups[0].ARN != a.TargetGroupARN):
		return nil, invalidParam("You cannot specify both a target group ARN and a forward configuration with other target groups")
	case len(groups) == 0:
		return nil, invalidParam("A target group ARN must be specified for actions of type 'forward'")
	case lb.Type != LBApplication && len(groups) > 1:
		return nil, errorf(LimitExceeded, "action", "You can specify only one target group for a forward action of a load balancer of type '%s'", lb.Type)
	case len(groups) > t.limit("target-groups-per-action-on-application-load-balancer"):
		return nil, errorf(LimitExceeded, "action", "You can specify at most %d target groups for a forward action", t.limit("target-groups-per-action-on-application-load-balancer"))
	}
	var out []WeightedTargetGroup
	for _, wg := range groups {
		if err := l.checkTargetGroup(t, lb, wg.ARN); err != nil {
			return nil, err
		}
		if lb.Type != LBGateway && wg.Weight == nil {
			wg.Weight = ptrTo(int32(1))
		}
		out = append(out, wg)
	}
	return out, nil
}

func ptrTo[T any](v T) *T { return &v }

// checkTargetGroup refuses a group the listener cannot forward to: of
// another VPC, another protocol or target type, or used by another load
// balancer.
func (l *Listener) checkTargetGroup(t *txn, lb *LoadBalancer, arn string) error {
	if err := checkELBARN(arn, KindTargetGroup); err != nil {
		return err
	}
	g, err := getIn[TargetGroup](t, arn)
	if err != nil {
		return errorf(NotFound, KindTargetGroup, "Target group '%s' not found", arn)
	}
	if err := g.resolve(t); err != nil {
		return err
	}
	switch {
	case g.VpcID != "" && g.VpcID != lb.VpcID:
		return errorf(InvalidConfiguration, "", "The target group '%s' is in VPC '%s', not in the load balancer's VPC '%s'", arn, g.VpcID, lb.VpcID)
	case g.TargetType == TargetLambda && lb.Type != LBApplication:
		return errorf(InvalidConfiguration, "", "Target groups with target type 'lambda' can only be used with Application Load Balancers")
	case g.TargetType == TargetALB && (lb.Type != LBNetwork || l.Protocol != "TCP"):
		return errorf(InvalidConfiguration, "", "Target groups with target type 'alb' can only be used with TCP listeners of Network Load Balancers")
	case g.TargetType != TargetLambda && !contains(tgProtocols[l.Protocol], g.Protocol):
		return errorf(InvalidParameter, "protocols", "The listener and its associated target group '%s' have incompatible protocols", arn)
	}
	for _, other := range g.LoadBalancerARNs {
		if other != lb.ID {
			return errorf(LimitExceeded, "association", "The following target groups cannot be associated with more than one load balancer: %s", arn)
		}
	}
	return nil
}

// listenerAtPort finds the load balancer's listener on a port.
func listenerAtPort(t *txn, lbARN string, port int32) (*Listener, error) {
	found, err := findIn[Listener](t, store.Key{Name: "load-balancer-port", Value: lbARN + "/" + strconv.Itoa(int(port))})
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return found[0], nil
}

// sameAs reports whether a create call asks for this listener as it is.
func (l *Listener) sameAs(o *Listener) bool {
	return l.Protocol == o.Protocol && sameSet(l.Certificates, o.Certificates) && sameSet(l.targetGroupARNs(), o.targetGroupARNs()) &&
		(o.SSLPolicy == "" || l.SSLPolicy == o.SSLPolicy) && len(l.Actions) == len(o.Actions) && l.Actions[0].Type == o.Actions[0].Type
}

// CreateListener creates a listener. As on AWS it is idempotent: a
// listener on the same port with the same settings is returned as it is;
// another on that port is refused.
func (c *Cloud) CreateListener(ctx context.Context, who Caller, lbARN string, in ListenerInput) (*Listener, error) {
	tags, err := elbTags(in.Tags)
	if err != nil {
		return nil, err
	}
	var l *Listener
	err = c.update(ctx, who, func(t *txn) error {
		lb, err := getELB[LoadBalancer](t, lbARN)
		if err != nil {
			return err
		}
		l = &Listener{
			Meta:            Meta{Owner: t.scope.Account, Region: t.scope.Region, Tags: tags},
			LoadBalancerARN: lb.ID, Port: valOr(in.Port), Protocol: in.Protocol, SSLPolicy: in.SSLPolicy,
			Certificates: in.Certificates, AlpnPolicy: in.AlpnPolicy,
		}
		if secureProtocol(l.Protocol) && l.SSLPolicy == "" {
			l.SSLPolicy = defaultSSLPolicy
		}
		if err := l.checkShape(lb); err != nil {
			return err
		}
		if l.Actions, err = l.actions(t, lb, in.Actions); err != nil {
			return err
		}
		existing, err := listenerAtPort(t, lb.ID, l.Port)
		if err != nil {
			return err
		}
		if existing != nil {
			if !existing.sameAs(l) {
				return errorf(Duplicate, KindListener, "A listener already exists on this port for this load balancer '%s'", lb.ID)
			}
			l = existing
			return nil
		}
		if err := checkListenerQuota(t, lb); err != nil {
			return err
		}
		l.ID = elbARN(t, "listener/"+lb.path()+"/"+newELBID(t))
		l.Attributes = listenerAttrSet(lb.Type, l.Protocol).values()
		return put(t, l)
	})
	return l, err
}

func checkListenerQuota(t *txn, lb *LoadBalancer) error {
	found, err := findIn[Listener](t, store.Key{Name: "load-balancer", Value: lb.ID})
	if err != nil {
		return err
	}
	quota := "listeners-per-network-load-balancer"
	if lb.Type == LBApplication {
		quota = "listeners-per-application-load-balancer"
	}
	if len(found) >= t.limit(quota) {
		return errorf(LimitExceeded, KindListener, "The maximum number of listeners per load balancer has been reached")
	}
	return nil
}

// ModifyListener changes a listener: what the call gives replaces what
// the listener has. Leaving HTTPS or TLS drops the certificate and policy.
func (c *Cloud) ModifyListener(ctx context.Context, who Caller, arn string, in ListenerInput) (*Listener, error) {
	var l *Listener
	err := c.update(ctx, who, func(t *txn) error {
		var err error
		if l, err = getELB[Listener](t, arn); err != nil {
			return err
		}
		lb, err := getAny[LoadBalancer](t.Tx, l.LoadBalancerARN)
		if err != nil {
			return err
		}
		oldPort, oldProtocol := l.Port, l.Protocol
		l.applyChanges(in)
		if err := l.checkShape(lb); err != nil {
			return err
		}
		if len(in.Actions) > 0 {
			if l.Actions, err = l.actions(t, lb, in.Actions); err != nil {
				return err
			}
		} else if err := l.recheckGroups(t, lb); err != nil {
			return err
		}
		if l.Port != oldPort {
			other, err := listenerAtPort(t, lb.ID, l.Port)
			if err != nil {
				return err
			}
			if other != nil {
				return invalidParam("Listener port '%d' is already in use", l.Port)
			}
		}
		if l.Protocol != oldProtocol {
			l.Attributes = listenerAttrSet(lb.Type, l.Protocol).carry(l.Attributes)
		}
		return put(t, l)
	})
	return l, err
}

// applyChanges applies the fields a modify call gives.
func (l *Listener) applyChanges(in ListenerInput) {
	if in.Port != nil {
		l.Port = *in.Port
	}
	if in.Protocol != "" && in.Protocol != l.Protocol {
		l.Protocol = in.Protocol
		if !secureProtocol(l.Protocol) {
			l.SSLPolicy, l.Certificates, l.AlpnPolicy = "", nil, nil
		} else if l.SSLPolicy == "" {
			l.SSLPolicy = defaultSSLPolicy
		}
	}
	if in.SSLPolicy != "" {
		l.SSLPolicy = in.SSLPolicy
	}
	if len(in.Certificates) > 0 {
		l.Certificates = in.Certificates
	}
	if len(in.AlpnPolicy) > 0 {
		l.AlpnPolicy = in.AlpnPolicy
	}
}

// recheckGroups checks the listener's groups after its protocol changed.
func (l *Listener) recheckGroups(t *txn, lb *LoadBalancer) error {
	for _, arn := range l.targetGroupARNs() {
		if err := l.checkTargetGroup(t, lb, arn); err != nil {
			return err
		}
	}
	return nil
}

// DeleteListener deletes a listener.
func (c *Cloud) DeleteListener(ctx context.Context, who Caller, arn string) error {
	return c.update(ctx, who, func(t *txn) error {
		l, err := getELB[Listener](t, arn)
		if err != nil {
			return err
		}
		return remove(t, l)
	})
}

// GetListener returns one of the caller's listeners.
func (c *Cloud) GetListener(ctx context.Context, who Caller, arn string) (*Listener, error) {
	var l *Listener
	err := c.view(ctx, who, func(t *txn) (err error) {
		l, err = getELB[Listener](t, arn)
		return err
	})
	return l, err
}

// CheckLoadBalancer refuses an ARN that is not one of the caller's load
// balancers (DescribeListeners by load balancer).
func (c *Cloud) CheckLoadBalancer(ctx context.Context, who Caller, arn string) error {
	_, err := c.GetLoadBalancer(ctx, who, arn)
	return err
}

// mtlsHeaders are the request headers an HTTPS listener can rename, with
// their default names.
var mtlsHeaders = attrSet{
	{"routing.http.request.x_amzn_mtls_clientcert_serial_number.header_name", "X-Amzn-Mtls-Clientcert-Serial-Number"},
	{"routing.http.request.x_amzn_mtls_clientcert_issuer.header_name", "X-Amzn-Mtls-Clientcert-Issuer"},
	{"routing.http.request.x_amzn_mtls_clientcert_subject.header_name", "X-Amzn-Mtls-Clientcert-Subject"},
	{"routing.http.request.x_amzn_mtls_clientcert_validity.header_name", "X-Amzn-Mtls-Clientcert-Validity"},
	{"routing.http.request.x_amzn_mtls_clientcert_leaf.header_name", "X-Amzn-Mtls-Clientcert-Leaf"},
	{"routing.http.request.x_amzn_mtls_clientcert.header_name", "X-Amzn-Mtls-Clientcert"},
	{"routing.http.request.x_amzn_tls_version.header_name", "X-Amzn-Tls-Version"},
	{"routing.http.request.x_amzn_tls_cipher_suite.header_name", "X-Amzn-Tls-Cipher-Suite"},
}

// responseHeaders are the response headers an application load balancer's
// listener can add (empty: not added).
var responseHeaders = attrSet{
	{"routing.http.response.server.enabled", "true"},
	{"routing.http.response.strict_transport_security.header_value", ""},
	{"routing.http.response.access_control_allow_origin.header_value", ""},
	{"routing.http.response.access_control_allow_methods.header_value", ""},
	{"routing.http.response.access_control_allow_headers.header_value", ""},
	{"routing.http.response.access_control_allow_credentials.header_value", ""},
	{"routing.http.response.access_control_expose_headers.header_value", ""},
	{"routing.http.response.access_control_max_age.header_value", ""},
	{"routing.http.response.content_security_policy.header_value", ""},
	{"routing.http.response.x_content_type_options.header_value", ""},
	{"routing.http.response.x_frame_options.header_value", ""},
}

// listenerAttrs are the listener attributes AWS knows.
var listenerAttrs = func() attrKind {
	k := attrKind{noun: "Listener", rules: map[string]attrRule{"tcp.idle_timeout.seconds": intRange(60, 6000)}}
	for _, a := range append(append(attrSet(nil), mtlsHeaders...), responseHeaders...) {
		k.rules[a.key] = anyValue
	}
	k.rules["routing.http.response.server.enabled"] = boolValue
	return k
}()

// listenerAttrSet is the attributes a listener has, with their defaults:
// TCP's idle timeout on network and gateway load balancers, headers on
// application load balancers.
func listenerAttrSet(lbType, protocol string) attrSet {
	switch {
	case lbType == LBApplication && protocol == "HTTPS":
		return append(append(attrSet(nil), mtlsHeaders...), responseHeaders...)
	case lbType == LBApplication:
		return append(attrSet(nil), responseHeaders...)
	case protocol == "UDP" || protocol == "QUIC":
		return nil
	}
	return attrSet{{"tcp.idle_timeout.seconds", "350"}}
}

// carry keeps the values of the attributes a set shares with old ones.
func (s attrSet) carry(old map[string]string) map[string]string {
	m := s.values()
	for k := range m {
		if v, ok := old[k]; ok {
			m[k] = v
		}
	}
	return m
}

// ListenerAttributes lists a listener's attributes.
func (c *Cloud) ListenerAttributes(ctx context.Context, who Caller, arn string) ([]Attribute, error) {
	var out []Attribute
	err := c.view(ctx, who, func(t *txn) error {
		l, lb, err := listenerAndLB(t, arn)
		if err != nil {
			return err
		}
		out = listenerAttrSet(lb.Type, l.Protocol).list(l.Attributes)
		return nil
	})
	return out, err
}

// ModifyListenerAttributes changes a listener's attributes and lists them.
func (c *Cloud) ModifyListenerAttributes(ctx context.Context, who Caller, arn string, changes []Attribute) ([]Attribute, error) {
	var out []Attribute
	err := c.update(ctx, who, func(t *txn) error {
		l, lb, err := listenerAndLB(t, arn)
		if err != nil {
			return err
		}
		set := listenerAttrSet(lb.Type, l.Protocol)
		if l.Attributes == nil {
			l.Attributes = map[string]string{}
		}
		what := "listeners of load balancers with type '" + lb.Type + "'"
		if l.Protocol != "" {
			what = l.Protocol + " " + what
		}
		if err := listenerAttrs.apply(set, l.Attributes, changes, what); err != nil {
			return err
		}
		out = set.list(l.Attributes)
		return put(t, l)
	})
	return out, err
}

func listenerAndLB(t *txn, arn string) (*Listener, *LoadBalancer, error) {
	l, err := getELB[Listener](t, arn)
	if err != nil {
		return nil, nil, err
	}
	lb, err := getAny[LoadBalancer](t.Tx, l.LoadBalancerARN)
	return l, lb, err
}
