// Package regions is the catalog of AWS regions and availability zones that
// vpcemu emulates, read from the embedded regions.json. That file is
// generated (gen/) from the commercial partition of the AWS SDK's region
// data and from zones.json, which records each region's zones and AZ ids
// with their sources. Where AWS maps zone names to AZ ids per account,
// vpcemu uses one fixed mapping for every account.
package regions

//go:generate go run ./gen

import (
	_ "embed"
	"encoding/json"
	"sort"
)

//go:embed regions.json
var data []byte

// Zone is one availability zone.
type Zone struct {
	Name string `json:"name"` // us-east-1a
	ID   string `json:"id"`   // use1-az4
}

// Region is one region and its zones.
type Region struct {
	Name string `json:"name"`
	// OptIn marks regions an account must opt in to. vpcemu treats every
	// account as opted in to all of them.
	OptIn bool   `json:"optIn"`
	Zones []Zone `json:"zones"`
}

// Partition is the catalog's partition ("aws").
var Partition string

var (
	all    []Region
	byName = map[string]*Region{}
)

func init() {
	var f struct {
		Partition string   `json:"partition"`
		Regions   []Region `json:"regions"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		panic("regions.json: " + err.Error())
	}
	Partition = f.Partition
	all = f.Regions
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	for i := range all {
		byName[all[i].Name] = &all[i]
	}
}

// All returns every region, sorted by name.
func All() []Region { return all }

// Lookup finds a region by name.
func Lookup(name string) (*Region, bool) {
	r, ok := byName[name]
	return r, ok
}

// Zone finds a zone of the region by name or zone id.
func (r *Region) Zone(nameOrID string) (Zone, bool) {
	for _, z := range r.Zones {
		if z.Name == nameOrID || z.ID == nameOrID {
			return z, true
		}
	}
	return Zone{}, false
}

// ZoneNames lists the region's zone names.
func (r *Region) ZoneNames() []string {
	names := make([]string, len(r.Zones))
	for i, z := range r.Zones {
		names[i] = z.Name
	}
	return names
}
