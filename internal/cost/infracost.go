package cost

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// An Infracost usage file (infracost.io/docs/features/usage_based_resources):
// `version: 0.1`, then `resource_usage:` keyed by Terraform address. vpcemu
// also accepts a resource's id as the key, and writes one from its meters
// so that the same traffic can be priced by both tools.
type infracostFile struct {
	Version       string                    `yaml:"version"`
	ResourceUsage map[string]map[string]any `yaml:"resource_usage"`
}

// UsageFileInput is what reading a usage file needs besides the file.
type UsageFileInput struct {
	Name string // the file's name, for Usage.Source
	// IDs maps Terraform addresses to resource ids (from the state).
	IDs map[string]string
	// Account is whose the pseudo-resources (aws_data_transfer) are.
	Account string
	// Region is where aws_data_transfer without a region is from.
	Region string
	// Scale turns monthly figures into the period's (hours / hours a month).
	Scale float64
}

// ReadInfracostUsage reads an Infracost usage file into a Usage for inv.
// Keys it cannot use are named in notes, with why; they change nothing.
func ReadInfracostUsage(r io.Reader, inv *Inventory, in UsageFileInput) (u *Usage, notes []string, err error) {
	var f infracostFile
	if err := yaml.NewDecoder(r).Decode(&f); err != nil {
		return nil, nil, fmt.Errorf("usage file %s: %w", in.Name, err)
	}
	if f.Version != "0.1" {
		return nil, nil, fmt.Errorf("usage file %s: version is %q; Infracost usage files are version 0.1", in.Name, f.Version)
	}
	u = &Usage{Source: "usage file " + in.Name, Processed: map[string]float64{}, NewConnections: map[string]float64{}}
	for _, key := range slices.Sorted(maps.Keys(f.ResourceUsage)) {
		values := f.ResourceUsage[key]
		note := func(format string, args ...any) { notes = append(notes, key+": "+fmt.Sprintf(format, args...)) }
		num := func(name string) (float64, bool) {
			v, ok := values[name]
			if !ok {
				return 0, false
			}
			switch n := v.(type) {
			case int:
				return float64(n) * in.Scale, true
			case float64:
				return n * in.Scale, true
			}
			note("%s is not a number", name)
			return 0, false
		}
		if strings.HasPrefix(key, "aws_data_transfer.") {
			dataTransfer(u, values, num, in)
			continue
		}
		id := key
		if mapped, ok := in.IDs[key]; ok {
			id = mapped
		}
		res := inv.Find(id)
		if res == nil {
			if strings.HasPrefix(key, "aws_") && in.IDs == nil {
				note("no Terraform state to find its resource (give --tfstate, or key it by the resource's id)")
			} else {
				note("no such priced resource in the configuration")
			}
			continue
		}
		used := map[string]bool{}
		take := func(name string) (float64, bool) {
			used[name] = true
			return num(name)
		}
		switch res.Kind {
		case KindInterfaceEndpoint, KindGWLBEndpoint, KindNATGateway:
			if gb, ok := take("monthly_data_processed_gb"); ok {
				u.Processed[res.ID] += gb
			}
		case KindNLB, KindGWLB:
			if gb, ok := take("processed_bytes_gb"); ok {
				u.Processed[res.ID] += gb
			}
			// Infracost's new_connections is a rate (per second on average).
			if perSecond, ok := take("new_connections"); ok {
				u.NewConnections[res.ID] += perSecond * 3600 * 730
			}
			used["active_connections"], used["rule_evaluations"] = true, true
		case KindDXConnection:
			if gb, ok := take("monthly_outbound_region_to_dx_location_gb"); ok {
				u.Transfers = append(u.Transfers, dxOut(res, res.Region, gb))
			}
			used["monthly_outbound_from_region_to_dx_connection_location"] = true
			if byRegion, ok := values["monthly_outbound_from_region_to_dx_connection_location"].(map[string]any); ok {
				for _, region := range slices.Sorted(maps.Keys(byRegion)) {
					gb, isNum := byRegion[region].(float64)
					if n, isInt := byRegion[region].(int); isInt {
						gb, isNum = float64(n), true
					}
					if !isNum {
						note("%s is not a number", region)
						continue
					}
					u.Transfers = append(u.Transfers, dxOut(res, strings.ReplaceAll(region, "_", "-"), gb*in.Scale))
				}
			}
			used["dx_virtual_interface_type"], used["dx_connection_type"] = true, true
		}
		for _, name := range slices.Sorted(maps.Keys(values)) {
			if !used[name] {
				note("%s does not apply to a %s", name, res.Kind)
			}
		}
	}
	return u, notes, nil
}

func dxOut(res *Resource, from string, gb float64) Transfer {
	return Transfer{Account: res.Account, Kind: DirectConnect, FromRegion: from, ToRegion: res.LocationRegion, Location: res.Location, GB: gb, Via: res.ID}
}

// dataTransfer reads an aws_data_transfer pseudo-resource.
func dataTransfer(u *Usage, values map[string]any, num func(string) (float64, bool), in UsageFileInput) {
	region, _ := values["region"].(string)
	region = cmp.Or(region, in.Region)
	add := func(kind TransferKind, to string, gb float64) {
		u.Transfers = append(u.Transfers, Transfer{Account: in.Account, Kind: kind, FromRegion: region, ToRegion: to, GB: gb})
	}
	if gb, ok := num("monthly_intra_region_gb"); ok {
		add(CrossZone, "", gb)
	}
	if gb, ok := num("monthly_outbound_us_east_to_us_east_gb"); ok {
		other := map[string]string{"us-east-1": "us-east-2", "us-east-2": "us-east-1"}[region]
		add(InterRegion, other, gb)
	}
	if gb, ok := num("monthly_outbound_other_regions_gb"); ok {
		add(InterRegion, "", gb)
	}
	if gb, ok := num("monthly_outbound_internet_gb"); ok {
		add(Internet, "", gb)
	}
}

// WriteInfracostUsage writes u as an Infracost usage file: each resource
// under its Terraform address when addresses knows it (else its id), and
// the transfers as aws_data_transfer by region. The figures are u's as
// they are; header says what they cover.
func WriteInfracostUsage(w io.Writer, u *Usage, inv *Inventory, addresses map[string]string, header string) error {
	out := map[string]map[string]any{}
	key := func(id string) string { return cmp.Or(addresses[id], id) }
	for _, id := range slices.Sorted(maps.Keys(u.Processed)) {
		res := inv.Find(id)
		if res == nil {
			continue
		}
		switch res.Kind {
		case KindInterfaceEndpoint, KindGWLBEndpoint, KindNATGateway:
			out[key(id)] = map[string]any{"monthly_data_processed_gb": round(u.Processed[id])}
		case KindNLB, KindGWLB:
			out[key(id)] = map[string]any{"processed_bytes_gb": round(u.Processed[id])}
		}
	}
	dx := map[string]map[string]any{}
	for _, t := range u.Transfers {
		switch t.Kind {
		case DirectConnect:
			k := key(t.Via)
			if dx[k] == nil {
				dx[k] = map[string]any{}
				out[k] = map[string]any{"monthly_outbound_from_region_to_dx_connection_location": dx[k]}
			}
			r := strings.ReplaceAll(t.FromRegion, "-", "_")
			prev, _ := dx[k][r].(float64)
			dx[k][r] = round(prev + t.GB)
		default:
			k := "aws_data_transfer." + t.FromRegion
			if out[k] == nil {
				out[k] = map[string]any{"region": t.FromRegion}
			}
			name := map[TransferKind]string{CrossZone: "monthly_intra_region_gb", Internet: "monthly_outbound_internet_gb", InterRegion: "monthly_outbound_other_regions_gb"}[t.Kind]
			if t.Kind == InterRegion && strings.HasPrefix(t.FromRegion, "us-east-") && strings.HasPrefix(t.ToRegion, "us-east-") {
				name = "monthly_outbound_us_east_to_us_east_gb"
			}
			prev, _ := out[k][name].(float64)
			out[k][name] = round(prev + t.GB)
		}
	}
	if _, err := fmt.Fprintf(w, "# %s\n", strings.ReplaceAll(header, "\n", "\n# ")); err != nil {
		return err
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(infracostFile{Version: "0.1", ResourceUsage: out}); err != nil {
		return err
	}
	return enc.Close()
}

// round keeps a usage figure readable: GB to the byte's order (9 places).
func round(gb float64) float64 {
	const places = 1e9
	return float64(int64(gb*places+0.5)) / places
}
