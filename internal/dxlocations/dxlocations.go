// Package dxlocations is the catalogue of Direct Connect locations
// (DescribeLocations): each location's code, name, region and port speeds,
// read from the embedded locations.json, which names its sources. Nothing
// physical exists in vpcemu, so the catalogue is small and fixed.
package dxlocations

import (
	_ "embed"
	"encoding/json"
	"slices"
)

//go:embed locations.json
var data []byte

// Location is one Direct Connect location.
type Location struct {
	Code   string `json:"locationCode"`
	Name   string `json:"locationName"`
	Region string `json:"region"`
	// PortSpeeds are the dedicated port speeds it offers ("10Gbps").
	PortSpeeds       []string `json:"availablePortSpeeds"`
	Providers        []string `json:"availableProviders"`
	MacSecPortSpeeds []string `json:"availableMacSecPortSpeeds"`
}

var all = func() []Location {
	var f struct {
		Locations []Location `json:"locations"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		panic("dxlocations: locations.json: " + err.Error())
	}
	return f.Locations
}()

// InRegion lists the locations of a region, in catalogue order (none for a
// region without any).
func InRegion(region string) []Location {
	var out []Location
	for _, l := range all {
		if l.Region == region {
			out = append(out, l)
		}
	}
	return out
}

// Find returns the location with code in region.
func Find(region, code string) (Location, bool) {
	i := slices.IndexFunc(all, func(l Location) bool { return l.Region == region && l.Code == code })
	if i < 0 {
		return Location{}, false
	}
	return all[i], true
}
