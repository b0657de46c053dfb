package cost

// Usage is the traffic a bill prices: what each resource processed and
// the bytes each path carried, in GB (2^30 bytes, as AWS bills).
type Usage struct {
	// Source says where the figures come from ("metered since …", "usage
	// file x.yml").
	Source string `json:"source"`
	// Processed are the GB each resource processed (both directions), by
	// id: endpoints, NAT gateways, load balancers.
	Processed map[string]float64 `json:"processed,omitempty"`
	// NewConnections are a load balancer's new connections (its capacity
	// units count them too).
	NewConnections map[string]float64 `json:"newConnections,omitempty"`
	// Transfers are the bytes that cross a priced boundary.
	Transfers []Transfer `json:"transfers,omitempty"`
	// Services are the traffic to AWS services, by route (what Compare
	// prices the other way).
	Services []ServiceFlow `json:"services,omitempty"`
}

// TransferKind is the boundary a transfer crosses.
type TransferKind string

// The boundaries data transfer is priced at.
const (
	// CrossZone is between zones of one region (billed in each direction).
	CrossZone TransferKind = "cross-zone"
	// InterRegion is out of one region to another.
	InterRegion TransferKind = "inter-region"
	// Internet is out to the internet.
	Internet TransferKind = "internet"
	// DirectConnect is out of a region to a Direct Connect location.
	DirectConnect TransferKind = "direct-connect"
)

// Transfer is data sent across a boundary: GB out of FromRegion (for
// CrossZone, GB crossing in either direction).
type Transfer struct {
	Account    string       `json:"account"`
	Kind       TransferKind `json:"kind"`
	FromRegion string       `json:"fromRegion"`
	// ToRegion is the destination region (InterRegion), or the Direct
	// Connect location's region (DirectConnect).
	ToRegion string `json:"toRegion,omitempty"`
	// Location is the Direct Connect location.
	Location string  `json:"location,omitempty"`
	GB       float64 `json:"gb"`
	// Via names the resources the bytes went through (for the report).
	Via string `json:"via,omitempty"`
	// PeerAccount is the other side's account of a cross-zone transfer:
	// each side pays its direction.
	PeerAccount string `json:"peerAccount,omitempty"`
}

// GiB is how many bytes AWS bills as a GB.
const GiB = 1 << 30

// GB is bytes in billed GB.
func GB(bytes uint64) float64 { return float64(bytes) / GiB }

// ServiceFlow is traffic to an AWS service by one route: through a NAT
// gateway (to the service's public address), or through an endpoint.
type ServiceFlow struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	// Service is the service's short name (sns, s3…).
	Service string `json:"service"`
	// Via is the NAT gateway's or the endpoint's id.
	Via string `json:"via"`
	// Zones are the zones the traffic came from.
	Zones []string `json:"zones"`
	GB    float64  `json:"gb"`
}
