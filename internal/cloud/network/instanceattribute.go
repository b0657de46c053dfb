package network

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Instance returns one of the caller's instances, resolved.
func (c *Service) Instance(ctx context.Context, who cloud.Caller, id string) (*Instance, error) {
	var inst *Instance
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		var err error
		if inst, err = getInstance(t, id); err != nil {
			return err
		}
		return inst.Resolve(t)
	})
	return inst, err
}

// InstanceChange is one ModifyInstanceAttribute: exactly one field is set.
type InstanceChange struct {
	InstanceType          *string
	UserData              *string // base64, as RunInstances takes it
	EbsOptimized          *bool
	SourceDestCheck       *bool
	Groups                []string
	DisableAPITermination *bool
	DisableAPIStop        *bool
	ShutdownBehavior      *string
	// DeleteOnTermination changes the volumes at these devices.
	DeleteOnTermination map[string]bool
}

// checkShutdownBehavior checks what an instance does when it shuts itself
// down.
func checkShutdownBehavior(b string) error {
	if b != "stop" && b != "terminate" {
		return cloud.InvalidParam("Value (%s) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values: stop, terminate.", b)
	}
	return nil
}

// ModifyInstanceAttribute changes one attribute of an instance. The type,
// user data and EBS optimization change only while it is stopped; source
// and destination checks and groups are its primary interface's, and only
// of an instance with one interface.
func (c *Service) ModifyInstanceAttribute(ctx context.Context, who cloud.Caller, id string, ch InstanceChange) error {
	if ch.ShutdownBehavior != nil {
		if err := checkShutdownBehavior(*ch.ShutdownBehavior); err != nil {
			return err
		}
	}
	if ch.InstanceType != nil && !instanceTypePattern.MatchString(*ch.InstanceType) {
		return cloud.InvalidParam("Invalid value '%s' for InstanceType.", *ch.InstanceType)
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		inst, err := getInstance(t, id)
		if err != nil {
			return err
		}
		if inst.State == "terminated" || inst.State == "shutting-down" {
			return cloud.Errorf(cloud.IncorrectState, cloud.KindInstance, "The instance '%s' is not in a state from which it can be modified.", inst.ID)
		}
		if (ch.InstanceType != nil || ch.UserData != nil || ch.EbsOptimized != nil) && inst.State != "stopped" {
			return cloud.Errorf(cloud.IncorrectState, cloud.KindInstance, "The instance '%s' is not in the 'stopped' state.", inst.ID)
		}
		switch {
		case ch.InstanceType != nil:
			// A burstable instance keeps its credit option across burstable
			// types; one becoming burstable takes its new family's default.
			credits, _ := launchCredits(*ch.InstanceType, "")
			if old := inst.credits(); old != "" && credits != "" {
				credits = old
			}
			inst.InstanceType, inst.CPUCredits = *ch.InstanceType, credits
			inst.CoreCount, inst.ThreadsPerCore = cpuOptions(inst.InstanceType)
		case ch.UserData != nil:
			inst.UserData = *ch.UserData
		case ch.EbsOptimized != nil:
			inst.EbsOptimized = *ch.EbsOptimized
		case ch.DisableAPITermination != nil:
			inst.DisableAPITermination = *ch.DisableAPITermination
		case ch.DisableAPIStop != nil:
			inst.DisableAPIStop = *ch.DisableAPIStop
		case ch.ShutdownBehavior != nil:
			inst.ShutdownBehavior = *ch.ShutdownBehavior
		case ch.DeleteOnTermination != nil:
			return setDeleteOnTermination(t, inst, ch.DeleteOnTermination)
		case ch.SourceDestCheck != nil || len(ch.Groups) > 0:
			return modifyPrimaryInterface(t, inst, ch)
		}
		return cloud.Put(t, inst)
	})
}

// modifyPrimaryInterface changes the source/destination check or the
// groups of an instance's only interface.
func modifyPrimaryInterface(t *cloud.Txn, inst *Instance, ch InstanceChange) error {
	enis, err := inst.interfaces(t)
	if err != nil {
		return err
	}
	if len(enis) != 1 {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindInstance, "There are multiple interfaces attached to instance '%s'. Please specify an interface ID for the operation instead.", inst.ID)
	}
	eni := enis[0]
	if ch.SourceDestCheck != nil {
		eni.SourceDestCheck = *ch.SourceDestCheck
	}
	if len(ch.Groups) > 0 {
		s, err := cloud.GetAny[Subnet](t.StoreTx, eni.SubnetID)
		if err != nil {
			return err
		}
		if eni.Groups, err = interfaceGroups(t, s, ch.Groups, false); err != nil {
			return err
		}
	}
	return cloud.Put(t, eni)
}
