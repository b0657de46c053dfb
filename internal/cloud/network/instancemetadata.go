package network

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// ModifyInstanceMetadataOptions changes an instance's metadata service
// settings, running or stopped: a field left "" (0 for the hop limit)
// keeps its value. The data plane's metadata service reads them at each
// request, so a change applies to the next one.
func (c *Service) ModifyInstanceMetadataOptions(ctx context.Context, who cloud.Caller, id string, ch MetadataOptions) (MetadataOptions, error) {
	var out MetadataOptions
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		inst, err := getInstance(t, id)
		if err != nil {
			return err
		}
		if inst.State == "terminated" || inst.State == "shutting-down" {
			return cloud.Errorf(cloud.IncorrectState, cloud.KindInstance, "The instance '%s' is not in a state from which it can be modified.", inst.ID)
		}
		m := inst.Metadata
		for _, f := range []struct {
			to *string
			v  string
		}{
			{&m.HTTPTokens, ch.HTTPTokens}, {&m.HTTPEndpoint, ch.HTTPEndpoint},
			{&m.HTTPProtocolIPv6, ch.HTTPProtocolIPv6}, {&m.InstanceMetadataTags, ch.InstanceMetadataTags},
		} {
			if f.v != "" {
				*f.to = f.v
			}
		}
		if ch.HopLimit != 0 {
			m.HopLimit = ch.HopLimit
		}
		if m, err = metadataOptions(m); err != nil {
			return err
		}
		inst.Metadata, out = m, m
		return cloud.Put(t, inst)
	})
	return out, err
}
