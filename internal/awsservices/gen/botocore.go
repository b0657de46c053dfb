package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// botocore is the part of botocore's data/endpoints.json gen reads.
type botocore struct {
	Partitions []botoPartition `json:"partitions"`
}

type botoPartition struct {
	Partition string                     `json:"partition"`
	DNSSuffix string                     `json:"dnsSuffix"`
	Defaults  botoEndpoint               `json:"defaults"`
	Regions   map[string]json.RawMessage `json:"regions"`
	Services  map[string]botoService     `json:"services"`
}

type botoService struct {
	Defaults          botoEndpoint            `json:"defaults"`
	PartitionEndpoint string                  `json:"partitionEndpoint"`
	Endpoints         map[string]botoEndpoint `json:"endpoints"`
}

type botoEndpoint struct {
	Hostname   string `json:"hostname"`
	Deprecated bool   `json:"deprecated"`
	Variants   []struct {
		Hostname  string   `json:"hostname"`
		DNSSuffix string   `json:"dnsSuffix"`
		Tags      []string `json:"tags"`
	} `json:"variants"`
}

// fipsVariant is the endpoint's FIPS host name template, if it has one.
func (e botoEndpoint) fipsVariant() (string, bool) {
	for _, v := range e.Variants {
		if slices.Equal(v.Tags, []string{"fips"}) {
			return v.Hostname, true
		}
	}
	return "", false
}

// extractSDK reads the commercial partition of botocore's endpoints.json
// and keeps what gen needs of the services privatelink.json names; version
// names the botocore release it came from.
func extractSDK(path, version string, pl *privateLink) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var bc botocore
	if err := json.Unmarshal(b, &bc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	i := slices.IndexFunc(bc.Partitions, func(p botoPartition) bool { return p.Partition == "aws" })
	if i < 0 {
		return nil, fmt.Errorf("%s: no aws partition", path)
	}
	p := bc.Partitions[i]
	expand := func(tpl, key, region, suffix string) string {
		if suffix == "" {
			suffix = p.DNSSuffix
		}
		return strings.NewReplacer("{service}", key, "{region}", region, "{dnsSuffix}", suffix).Replace(tpl)
	}
	keys := map[string]bool{}
	for _, n := range append(pl.names(), pl.Gateway...) {
		name := parseName(n)
		if name.global {
			keys[name.short] = true
			continue
		}
		for _, k := range sdkKeys(name.short, pl.Overrides[n]) {
			keys[k.key] = true
		}
	}
	out := sdkFile{
		Comment: "Extract of the AWS SDK's endpoint metadata for the services of privatelink.json, made by `go run ./gen -botocore <endpoints.json>`; do not edit. " +
			"Host names are <key>.<region>.amazonaws.com and <key>-fips.<region>.amazonaws.com unless listed.",
		Source:    fmt.Sprintf("botocore %s data/endpoints.json (the AWS SDK for Python's endpoint metadata), extracted %s", version, time.Now().UTC().Format("2006-01-02")),
		Endpoints: map[string]sdkEndpoint{},
	}
	for key := range keys {
		svc, ok := p.Services[key]
		if !ok {
			continue
		}
		var e sdkEndpoint
		if pe := svc.PartitionEndpoint; pe != "" {
			if g, ok := svc.Endpoints[pe]; ok && g.Hostname != "" {
				e.Global = g.Hostname
			}
		}
		for region, ep := range svc.Endpoints {
			if _, isRegion := p.Regions[region]; !isRegion || ep.Deprecated {
				continue
			}
			e.Regions = append(e.Regions, region)
			host := ep.Hostname
			if host == "" {
				host = svc.Defaults.Hostname
			}
			if host != "" {
				if h := expand(host, key, region, ""); h != key+"."+region+".amazonaws.com" {
					mapSet(&e.Hostnames, region, h)
				}
			}
			if tpl, ok := ep.fipsVariant(); ok {
				if tpl == "" {
					tpl, _ = svc.Defaults.fipsVariant()
				}
				if tpl == "" {
					tpl, _ = p.Defaults.fipsVariant()
				}
				e.FIPS = append(e.FIPS, region)
				if h := expand(tpl, key, region, ""); h != key+"-fips."+region+".amazonaws.com" {
					mapSet(&e.FIPSHostnames, region, h)
				}
			}
		}
		slices.Sort(e.Regions)
		slices.Sort(e.FIPS)
		out.Endpoints[key] = e
	}
	return encode(out)
}

func mapSet(m *map[string]string, k, v string) {
	if *m == nil {
		*m = map[string]string{}
	}
	(*m)[k] = v
}
