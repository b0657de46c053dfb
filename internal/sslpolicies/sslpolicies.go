// Package sslpolicies is the catalogue of Elastic Load Balancing's
// predefined security policies (DescribeSSLPolicies): each policy's TLS
// protocols and ciphers in priority order, read from the embedded
// sslpolicies.json, which names its sources.
package sslpolicies

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

//go:embed sslpolicies.json
var data []byte

// Policy is one predefined security policy.
type Policy struct {
	Name string
	// Protocols are the TLS versions it negotiates ("TLSv1.2").
	Protocols []string
	// Ciphers are its ciphers, the first preferred.
	Ciphers []string
	// LoadBalancerTypes are the load balancer types that take it.
	LoadBalancerTypes []string
}

// Default is the policy of an HTTPS or TLS listener created through the
// API without one: "Other methods (for example, the AWS CLI, AWS
// CloudFormation, and the AWS CDK) – The default security policy is
// ELBSecurityPolicy-2016-08" (the ALB and NLB guides, "Security
// policies"); only the console picks a TLS 1.3 policy.
const Default = "ELBSecurityPolicy-2016-08"

var (
	all    []Policy
	byName = map[string]int{}
)

func init() {
	var f struct {
		LoadBalancerTypes []string `json:"loadBalancerTypes"`
		Policies          []struct {
			Name      string   `json:"name"`
			Protocols []string `json:"protocols"`
			Ciphers   []string `json:"ciphers"`
			CiphersOf string   `json:"ciphersOf"`
		} `json:"policies"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		panic("sslpolicies.json: " + err.Error())
	}
	for _, p := range f.Policies {
		ciphers := p.Ciphers
		if p.CiphersOf != "" {
			i, ok := byName[p.CiphersOf]
			if !ok {
				panic(fmt.Sprintf("sslpolicies.json: %s takes the ciphers of %s, which comes later or not at all", p.Name, p.CiphersOf))
			}
			ciphers = all[i].Ciphers
		}
		if _, dup := byName[p.Name]; dup {
			panic("sslpolicies.json: " + p.Name + " twice")
		}
		byName[p.Name] = len(all)
		all = append(all, Policy{Name: p.Name, Protocols: p.Protocols, Ciphers: ciphers, LoadBalancerTypes: f.LoadBalancerTypes})
	}
}

// All lists the policies in the order DescribeSSLPolicies lists them.
func All() []Policy { return all }

// Lookup finds a policy by name.
func Lookup(name string) (Policy, bool) {
	i, ok := byName[name]
	if !ok {
		return Policy{}, false
	}
	return all[i], true
}
