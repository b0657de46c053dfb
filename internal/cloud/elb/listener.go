package elb

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/sslpolicies"
)

// Listener is a load balancer's listener: a port and protocol (none on a
// gateway load balancer) and the default actions for what arrives there.
// Its ID is its ARN.
type Listener struct {
	cloud.Meta
	LoadBalancerARN string
	Port            int32  `json:",omitempty"`
	Protocol        string `json:",omitempty"`
	SSLPolicy       string `json:",omitempty"`
	// Certificates holds the default certificate of an HTTPS or TLS
	// listener; CertificateList the others it offers by SNI
	// (AddListenerCertificates).
	Certificates    []string `json:",omitempty"`
	CertificateList []string `json:",omitempty"`
	AlpnPolicy      []string `json:",omitempty"`
	Actions         []Action
	Attributes      map[string]string `json:",omitempty"`
}

func (*Listener) Kind() cloud.Kind { return cloud.KindListener }

func init() { cloud.RegisterType[Listener]() }

// listenerIndexes are how DescribeListeners finds a load balancer's
// listeners (its LoadBalancerArn parameter).
var listenerIndexes = cloud.Declare(cloud.KindListener, cloud.Same("load-balancer"), nil)

func (l *Listener) Keys() []cloud.Key {
	keys := []cloud.Key{
		listenerIndexes.Key("load-balancer", l.LoadBalancerARN),
		{Name: "load-balancer-port", Value: l.LoadBalancerARN + "/" + strconv.Itoa(int(l.Port))},
	}
	for _, arn := range forwardedGroups(l.Actions) {
		keys = append(keys, cloud.Key{Name: "target-group", Value: arn})
	}
	return keys
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
	Tags         []cloud.Tag
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

var (
	certificateARN = regexp.MustCompile(`^arn:aws[a-z-]*:(acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}|iam::\d{12}:server-certificate/.+)$`)
	alpnPolicies   = []string{"HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None"}
)

// checkShape refuses a listener that does not fit its load balancer's
// type: ports and protocols, certificates, policies.
func (l *Listener) checkShape(lb *LoadBalancer) error {
	if lb.Type == LBGateway {
		if l.Port != 0 || l.Protocol != "" {
			return cloud.InvalidParam("A port or protocol cannot be specified for listeners of Gateway Load Balancers")
		}
		return nil
	}
	switch {
	case l.Protocol == "":
		return cloud.InvalidParam("A listener protocol must be specified")
	case l.Port == 0:
		return cloud.InvalidParam("A listener port must be specified")
	case !contains(listenerProtocols[lb.Type], l.Protocol):
		return cloud.InvalidParam("Listener protocol '%s' must be one of '%s'", l.Protocol, strings.Join(listenerProtocols[lb.Type], ", "))
	case lb.IPAddressType != "ipv4" && (udpProtocol(l.Protocol) || strings.Contains(l.Protocol, "QUIC")):
		return cloud.Errorf(cloud.InvalidConfiguration, "", "You cannot use the %s protocol with a dualstack load balancer", l.Protocol)
	}
	return l.checkSecurity()
}

// checkSecurity refuses certificates and policies where they do not
// belong and requires them where they do.
func (l *Listener) checkSecurity() error {
	if !secureProtocol(l.Protocol) {
		switch {
		case len(l.Certificates) > 0:
			return cloud.InvalidParam("Certificates cannot be specified for %s listeners", l.Protocol)
		case l.SSLPolicy != "":
			return cloud.InvalidParam("A security policy cannot be specified for %s listeners", l.Protocol)
		case len(l.AlpnPolicy) > 0:
			return cloud.InvalidParam("An ALPN policy can only be specified for TLS listeners")
		}
		return nil
	}
	switch {
	case len(l.Certificates) == 0:
		return cloud.InvalidParam("A certificate must be specified for %s listeners", l.Protocol)
	case len(l.Certificates) > 1:
		return cloud.InvalidParam("You must provide exactly one certificate for the listener's default certificate")
	case !certificateARN.MatchString(l.Certificates[0]):
		return cloud.Errorf(cloud.NotFound, "certificate", "Certificate '%s' not found", l.Certificates[0])
	case !knownSSLPolicy(l.SSLPolicy):
		return cloud.Errorf(cloud.NotFound, "ssl-policy", "SSL policy '%s' not found", l.SSLPolicy)
	case len(l.AlpnPolicy) > 0 && l.Protocol != "TLS":
		return cloud.InvalidParam("An ALPN policy can only be specified for TLS listeners")
	case len(l.AlpnPolicy) > 1:
		return cloud.InvalidParam("You can specify only one ALPN policy")
	case len(l.AlpnPolicy) == 1 && !contains(alpnPolicies, l.AlpnPolicy[0]):
		return cloud.Errorf(cloud.NotFound, "alpn-policy", "ALPN policy '%s' not found", l.AlpnPolicy[0])
	}
	return nil
}

// listenerAtPort finds the load balancer's listener on a port.
func listenerAtPort(t *cloud.Txn, lbARN string, port int32) (*Listener, error) {
	found, err := cloud.FindIn[Listener](t, cloud.Key{Name: "load-balancer-port", Value: lbARN + "/" + strconv.Itoa(int(port))})
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return found[0], nil
}

// sameAs reports whether a create call asks for this listener as it is.
func (l *Listener) sameAs(o *Listener) bool {
	return l.Protocol == o.Protocol && sameSet(l.Certificates, o.Certificates) && sameSet(forwardedGroups(l.Actions), forwardedGroups(o.Actions)) &&
		(o.SSLPolicy == "" || l.SSLPolicy == o.SSLPolicy) && len(l.Actions) == len(o.Actions) && l.Actions[0].Type == o.Actions[0].Type
}

// CreateListener creates a listener. As on AWS it is idempotent: a
// listener on the same port with the same settings is returned as it is;
// another on that port is refused.
func (c *Service) CreateListener(ctx context.Context, who cloud.Caller, lbARN string, in ListenerInput) (*Listener, error) {
	tags, err := elbTags(in.Tags)
	if err != nil {
		return nil, err
	}
	var l *Listener
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		lb, err := getELB[LoadBalancer](t, lbARN)
		if err != nil {
			return err
		}
		l = &Listener{
			Meta:            cloud.Meta{Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags},
			LoadBalancerARN: lb.ID, Port: valOr(in.Port), Protocol: in.Protocol, SSLPolicy: in.SSLPolicy,
			Certificates: in.Certificates, AlpnPolicy: in.AlpnPolicy,
		}
		if secureProtocol(l.Protocol) && l.SSLPolicy == "" {
			l.SSLPolicy = sslpolicies.Default
		}
		if err := l.checkShape(lb); err != nil {
			return err
		}
		if l.Actions, err = l.checkActions(t, lb, in.Actions, "default action"); err != nil {
			return err
		}
		existing, err := listenerAtPort(t, lb.ID, l.Port)
		if err != nil {
			return err
		}
		if existing != nil {
			if !existing.sameAs(l) {
				return cloud.Errorf(cloud.Duplicate, cloud.KindListener, "A listener already exists on this port for this load balancer '%s'", lb.ID)
			}
			l = existing
			return nil
		}
		if err := checkListenerQuota(t, lb); err != nil {
			return err
		}
		l.ID = elbARN(t, "listener/"+lb.path()+"/"+newELBID(t))
		l.Attributes = listenerAttrSet(lb.Type, l.Protocol).values()
		if err := cloud.Put(t, l); err != nil {
			return err
		}
		return createDefaultRule(t, l, lb)
	})
	return l, err
}

func checkListenerQuota(t *cloud.Txn, lb *LoadBalancer) error {
	found, err := cloud.FindIn[Listener](t, cloud.Key{Name: "load-balancer", Value: lb.ID})
	if err != nil {
		return err
	}
	quota := "listeners-per-network-load-balancer"
	if lb.Type == LBApplication {
		quota = "listeners-per-application-load-balancer"
	}
	if len(found) >= t.Limit(quota) {
		return cloud.Errorf(cloud.LimitExceeded, cloud.KindListener, "The maximum number of listeners per load balancer has been reached")
	}
	return nil
}

// ModifyListener changes a listener: what the call gives replaces what
// the listener has. Leaving HTTPS or TLS drops the certificate and policy.
func (c *Service) ModifyListener(ctx context.Context, who cloud.Caller, arn string, in ListenerInput) (*Listener, error) {
	var l *Listener
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if l, err = getELB[Listener](t, arn); err != nil {
			return err
		}
		lb, err := cloud.GetAny[LoadBalancer](t.StoreTx, l.LoadBalancerARN)
		if err != nil {
			return err
		}
		oldPort, oldProtocol := l.Port, l.Protocol
		l.applyChanges(in)
		if err := l.checkShape(lb); err != nil {
			return err
		}
		if len(in.Actions) > 0 {
			if l.Actions, err = l.checkActions(t, lb, in.Actions, "default action"); err != nil {
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
				return cloud.InvalidParam("Listener port '%d' is already in use", l.Port)
			}
		}
		if l.Protocol != oldProtocol {
			l.Attributes = listenerAttrSet(lb.Type, l.Protocol).carry(l.Attributes)
		}
		return cloud.Put(t, l)
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
			l.SSLPolicy, l.Certificates, l.CertificateList, l.AlpnPolicy = "", nil, nil, nil
		} else if l.SSLPolicy == "" {
			l.SSLPolicy = sslpolicies.Default
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
func (l *Listener) recheckGroups(t *cloud.Txn, lb *LoadBalancer) error {
	for _, arn := range forwardedGroups(l.Actions) {
		if err := l.checkTargetGroup(t, lb, arn); err != nil {
			return err
		}
	}
	return nil
}

// DeleteListener deletes a listener and its rules.
func (c *Service) DeleteListener(ctx context.Context, who cloud.Caller, arn string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		l, err := getELB[Listener](t, arn)
		if err != nil {
			return err
		}
		return removeListener(t, l)
	})
}

// removeListener deletes a listener with its rules.
func removeListener(t *cloud.Txn, l *Listener) error {
	rules, err := cloud.FindIn[Rule](t, cloud.Key{Name: "listener", Value: l.ID})
	if err != nil {
		return err
	}
	for _, r := range rules {
		if err := cloud.Remove(t, r); err != nil {
			return err
		}
	}
	return cloud.Remove(t, l)
}

// GetListener returns one of the caller's listeners.
func (c *Service) GetListener(ctx context.Context, who cloud.Caller, arn string) (*Listener, error) {
	var l *Listener
	err := c.View(ctx, who, func(t *cloud.Txn) (err error) {
		l, err = getELB[Listener](t, arn)
		return err
	})
	return l, err
}

// CheckLoadBalancer refuses an ARN that is not one of the caller's load
// balancers (DescribeListeners by load balancer).
func (c *Service) CheckLoadBalancer(ctx context.Context, who cloud.Caller, arn string) error {
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
func (c *Service) ListenerAttributes(ctx context.Context, who cloud.Caller, arn string) ([]Attribute, error) {
	var out []Attribute
	err := c.View(ctx, who, func(t *cloud.Txn) error {
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
func (c *Service) ModifyListenerAttributes(ctx context.Context, who cloud.Caller, arn string, changes []Attribute) ([]Attribute, error) {
	var out []Attribute
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
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
		return cloud.Put(t, l)
	})
	return out, err
}

func listenerAndLB(t *cloud.Txn, arn string) (*Listener, *LoadBalancer, error) {
	l, err := getELB[Listener](t, arn)
	if err != nil {
		return nil, nil, err
	}
	lb, err := cloud.GetAny[LoadBalancer](t.StoreTx, l.LoadBalancerARN)
	return l, lb, err
}
