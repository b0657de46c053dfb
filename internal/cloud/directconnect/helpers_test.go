package directconnect

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

var (
	alice, bob = cloudtest.Alice, cloudtest.Bob
	aliceWest  = cloud.Caller{Account: alice.Account, Region: "us-west-2"}
	ctx        = context.Background()
)

// clock stands still until a test moves it.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newService is the family on a fresh in-memory store, with sequential ids,
// a clock that stands still and the given provision delay.
func newService(t *testing.T, delay time.Duration) (*Service, *clock) {
	t.Helper()
	clk := &clock{now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	c := cloudtest.Open(t, cloud.WithIDs(cloud.SequentialIDs()), cloud.WithClock(clk.Now))
	return New(c, WithProvisionDelay(delay)), clk
}

// refused fails unless err is a domain refusal with reason r whose message
// holds msg.
func refused(t *testing.T, err error, r cloud.Reason, msg string) {
	t.Helper()
	e, ok := cloud.AsError(err)
	if !ok || e.Reason != r || !strings.Contains(e.Msg, msg) {
		t.Fatalf("want reason %d %q, got %v", r, msg, err)
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// dedicated creates a 1 Gbps connection at EqDC2 for who.
func dedicated(t *testing.T, s *Service, who cloud.Caller) *Connection {
	t.Helper()
	return must[*Connection](t)(s.CreateConnection(ctx, who, NewConnection{Name: "c", Location: "EqDC2", Bandwidth: "1Gbps"}))
}

// gateway creates a Direct Connect gateway for who.
func gateway(t *testing.T, s *Service, who cloud.Caller) *Gateway {
	t.Helper()
	return must[*Gateway](t)(s.CreateGateway(ctx, who, NewGateway{Name: "g"}))
}

// privateVIF creates a private VIF on connection for who, attached to gw.
func privateVIF(t *testing.T, s *Service, who cloud.Caller, connection, gw string, vlan int) *VirtualInterface {
	t.Helper()
	return must[*VirtualInterface](t)(s.CreateVirtualInterface(ctx, who, NewVirtualInterface{
		Type: Private, ConnectionID: connection, Name: "v", Vlan: vlan, ASN: 65000, GatewayID: gw}))
}

// connectionState is the connection's state as DescribeConnections says.
func connectionState(t *testing.T, s *Service, who cloud.Caller, id string) string {
	t.Helper()
	cs := must[[]*Connection](t)(s.DescribeConnections(ctx, who, id))
	return cs[0].State
}

// vifState is the VIF's state as DescribeVirtualInterfaces says.
func vifState(t *testing.T, s *Service, who cloud.Caller, id string) string {
	t.Helper()
	vs := must[[]*VirtualInterface](t)(s.DescribeVirtualInterfaces(ctx, who, "", id))
	if len(vs) != 1 {
		t.Fatalf("%s: %d VIFs", id, len(vs))
	}
	return vs[0].State
}

// attachedVGW is a virtual private gateway of who attached to a new VPC
// with the blocks given (the first primary).
func attachedVGW(t *testing.T, s *Service, who cloud.Caller, blocks ...string) string {
	t.Helper()
	n := network.New(s.Cloud)
	vpc := must[*network.VPC](t)(n.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: blocks[0]}))
	for _, b := range blocks[1:] {
		if _, _, err := n.AssociateVPCCIDRBlock(ctx, who, vpc.ID, b, false, ""); err != nil {
			t.Fatal(err)
		}
	}
	g := must[*network.VPNGateway](t)(n.CreateVPNGateway(ctx, who, network.NewVPNGateway{Type: network.VPNGatewayType, AmazonSideASN: 65100}))
	must[network.GatewayAttachment](t)(n.AttachVPNGateway(ctx, who, g.ID, vpc.ID))
	return g.ID
}
