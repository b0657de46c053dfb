package costreport

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/cost"
	"github.com/vpcemu/vpcemu/internal/dataplane"
)

// UsageFromMeters is the traffic the data plane metered, attributed as AWS
// bills it: what each endpoint, NAT gateway and load balancer processed,
// and, from each path's zones and regions and the resources it crossed,
// the cross-zone, inter-region, internet and Direct Connect bytes. Bytes to
// an AWS service's public address leave no region (no transfer out).
func UsageFromMeters(list dataplane.MeterList, inv *cost.Inventory, now time.Time) *cost.Usage {
	u := &cost.Usage{
		Source:         fmt.Sprintf("metered by the data plane since %s (%s), as carried, not projected", list.Since.UTC().Format("2006-01-02 15:04 UTC"), now.Sub(list.Since).Round(time.Second)),
		Processed:      map[string]float64{},
		NewConnections: map[string]float64{},
	}
	for _, m := range list.Resources {
		res := inv.Find(m.Resource)
		if res == nil {
			continue
		}
		switch res.Kind {
		case cost.KindInterfaceEndpoint, cost.KindGWLBEndpoint, cost.KindNATGateway:
			u.Processed[res.ID] += cost.GB(m.BytesOut + m.BytesIn)
		case cost.KindNLB, cost.KindGWLB:
			u.Processed[res.ID] += cost.GB(m.BytesOut + m.BytesIn)
			u.NewConnections[res.ID] += float64(m.Connections)
		}
	}
	services := map[[4]string]*cost.ServiceFlow{}
	for _, p := range list.Paths {
		via := strings.Join(p.Through, " > ")
		out, in := cost.GB(p.BytesOut), cost.GB(p.BytesIn)
		switch {
		case p.ToRegion != "" && p.ToRegion != p.FromRegion:
			u.Transfers = append(u.Transfers,
				cost.Transfer{Account: p.Account, Kind: cost.InterRegion, FromRegion: p.FromRegion, ToRegion: p.ToRegion, GB: out, Via: via},
				cost.Transfer{Account: p.ToAccount, Kind: cost.InterRegion, FromRegion: p.ToRegion, ToRegion: p.FromRegion, GB: in, Via: via})
		case p.ToRegion != "" && p.ToZone != p.FromZone:
			u.Transfers = append(u.Transfers, cost.Transfer{Account: p.Account, PeerAccount: p.ToAccount, Kind: cost.CrossZone, FromRegion: p.FromRegion, GB: out + in, Via: via})
		case p.ToRegion == "":
			if vgw := first(p.Through, "vgw-"); vgw != "" {
				loc := inv.DXLocations[vgw]
				u.Transfers = append(u.Transfers, cost.Transfer{Account: p.Account, Kind: cost.DirectConnect, FromRegion: p.FromRegion, ToRegion: loc.Region, Location: loc.Code, GB: out, Via: via})
			} else if first(p.Through, "igw-") != "" && p.Service == "" {
				u.Transfers = append(u.Transfers, cost.Transfer{Account: p.Account, Kind: cost.Internet, FromRegion: p.FromRegion, GB: out, Via: via})
			}
		}
		if id, service := serviceRoute(p, inv); id != "" {
			k := [4]string{p.Account, p.FromRegion, service, id}
			f := services[k]
			if f == nil {
				f = &cost.ServiceFlow{Account: p.Account, Region: p.FromRegion, Service: service, Via: id}
				services[k] = f
			}
			f.GB += out + in
			if p.FromZone != "" && !slices.Contains(f.Zones, p.FromZone) {
				f.Zones = append(f.Zones, p.FromZone)
				slices.Sort(f.Zones)
			}
		}
	}
	for _, f := range services {
		u.Services = append(u.Services, *f)
	}
	slices.SortFunc(u.Services, func(a, b cost.ServiceFlow) int {
		return strings.Compare(a.Account+a.Region+a.Service+a.Via, b.Account+b.Region+b.Service+b.Via)
	})
	return u
}

// serviceRoute is the NAT gateway or endpoint a path took to an AWS
// service, and the service's short name ("" when it went to none).
func serviceRoute(p dataplane.PathMeter, inv *cost.Inventory) (id, service string) {
	if nat := first(p.Through, "nat-"); nat != "" && p.Service != "" {
		return nat, p.Service
	}
	for _, hop := range p.Through {
		res := inv.Find(hop)
		if res == nil || res.Kind != cost.KindInterfaceEndpoint && res.Kind != cost.KindGatewayEndpoint {
			continue
		}
		if name, ok := strings.CutPrefix(res.Service, "com.amazonaws."+res.Region+"."); ok {
			return res.ID, name
		}
	}
	return "", ""
}

// first is the first id with the prefix, or "".
func first(ids []string, prefix string) string {
	for _, id := range ids {
		if strings.HasPrefix(id, prefix) {
			return id
		}
	}
	return ""
}
