package cost

// Kind is the kind of a priced resource.
type Kind string

// The kinds the bill prices.
const (
	KindInterfaceEndpoint Kind = "interface-endpoint"
	KindGWLBEndpoint      Kind = "gwlb-endpoint"
	KindGatewayEndpoint   Kind = "gateway-endpoint"
	KindNATGateway        Kind = "nat-gateway"
	KindPublicIPv4        Kind = "public-ipv4"
	KindNLB               Kind = "network-load-balancer"
	KindGWLB              Kind = "gateway-load-balancer"
	KindDXConnection      Kind = "dx-connection"
	KindVPNGateway        Kind = "vpn-gateway"
	KindPeering           Kind = "vpc-peering"
	KindEndpointService   Kind = "endpoint-service"
	KindHostedZone        Kind = "hosted-zone"
	KindInsightsAnalysis  Kind = "insights-analysis"
)

// Resource is a resource of the configuration that AWS bills (or that is
// free and shown as such).
type Resource struct {
	ID      string `json:"id"`
	Kind    Kind   `json:"kind"`
	Account string `json:"account"`
	Region  string `json:"region"`
	Name    string `json:"name,omitempty"` // its Name tag
	// Zones are the zones an interface endpoint has an interface in (it is
	// billed per zone-hour).
	Zones []string `json:"zones,omitempty"`
	// VPC is the VPC an endpoint or NAT gateway is in.
	VPC string `json:"vpc,omitempty"`
	// Service is an endpoint's service name.
	Service string `json:"service,omitempty"`
	// Bandwidth and Location are a Direct Connect connection's; Hosted
	// says it is a hosted connection (priced apart from dedicated ports).
	Bandwidth string `json:"bandwidth,omitempty"`
	Location  string `json:"location,omitempty"`
	// LocationRegion is the region of the Direct Connect location.
	LocationRegion string `json:"locationRegion,omitempty"`
	Hosted         bool   `json:"hosted,omitempty"`
	// Address is a public IPv4 address's, and Holder what holds it.
	Address string `json:"address,omitempty"`
	Holder  string `json:"holder,omitempty"`
}

// Inventory is the priced resources of a configuration.
type Inventory struct {
	Resources []Resource `json:"resources"`
	// DXLocations maps a virtual private gateway to the Direct Connect
	// location (and that location's region) traffic leaves through, for the
	// data-out price of bytes metered on it.
	DXLocations map[string]DXLocation `json:"dxLocations,omitempty"`
}

// DXLocation is a Direct Connect location and its region.
type DXLocation struct {
	Code   string `json:"code"`
	Region string `json:"region"`
}

// Find is the resource with the id, or nil.
func (inv *Inventory) Find(id string) *Resource {
	for i := range inv.Resources {
		if inv.Resources[i].ID == id {
			return &inv.Resources[i]
		}
	}
	return nil
}
