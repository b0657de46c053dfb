package reach_test

import (
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// Services of the full catalogue resolve through their interface endpoints:
// with private DNS on, the service's Regional name (kinesis.…, not the
// endpoint service's kinesis-streams) answers with the endpoint's address.
func TestCatalogueServicesResolveThroughTheirEndpoints(t *testing.T) {
	for _, tc := range []struct{ service, name string }{
		{"rds", "rds.us-east-1.amazonaws.com"},
		{"bedrock-runtime", "bedrock-runtime.us-east-1.amazonaws.com"},
		{"glue", "glue.us-east-1.amazonaws.com"},
		{"ecs", "ecs.us-east-1.amazonaws.com"},
		{"kinesis-streams", "kinesis.us-east-1.amazonaws.com"},
		{"sagemaker.runtime", "runtime.sagemaker.us-east-1.amazonaws.com"},
		{"rds-fips", "rds-fips.us-east-1.amazonaws.com"},
	} {
		t.Run(tc.service, func(t *testing.T) {
			w := newWorld(t)
			n := newAppVPC(w)
			w.allow(n.epsGr, false, "tcp", 443, 443, cidrPeer("10.0.0.0/16"))
			ep := w.interfaceEndpoint(n.vpc, "com.amazonaws.us-east-1."+tc.service, nil, []*network.Subnet{n.eps}, n.epsGr)
			r := w.analyze(reach.Query{Source: n.inst.ID, DestinationName: tc.name, Protocol: reach.TCP, DestinationPort: 443})
			if !r.NetworkPathFound {
				t.Fatalf("%s: no path: %+v", tc.name, r.Explanations)
			}
			last := r.ForwardPathComponents[len(r.ForwardPathComponents)-1]
			equal(t, "endpoint", last.Component.ID, ep.ID)
			equal(t, "service", last.ServiceName, "com.amazonaws.us-east-1."+tc.service)
		})
	}
}
