package network

import (
	"context"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// defaultCredits are the burstable performance families and the CPU credit
// option their instances launch with when the launch names none: AWS's
// default credit specification, standard for T2, unlimited for T3, T3a and
// T4g.
var defaultCredits = map[string]string{"t2": "standard", "t3": "unlimited", "t3a": "unlimited", "t4g": "unlimited"}

// Burstable reports whether an instance type is a burstable performance
// type, which earns and spends CPU credits.
func Burstable(instanceType string) bool {
	family, _, _ := strings.Cut(instanceType, ".")
	return defaultCredits[family] != ""
}

// CPUOptions are an instance type's default cores and threads per core.
func CPUOptions(instanceType string) (cores, threads int32) { return cpuOptions(instanceType) }

// Architecture is the processor architecture of an instance type.
func Architecture(instanceType string) string {
	if graviton.MatchString(instanceType) {
		return "arm64"
	}
	return "x86_64"
}

// SubjectCreditSpecification names an instance whose type has no CPU
// credits in refusals (InstanceCreditSpecification.NotSupported).
const SubjectCreditSpecification cloud.Kind = "instance-credit-specification"

// checkCredits checks a CPU credit option asked for.
func checkCredits(credits string) error {
	if credits != "standard" && credits != "unlimited" {
		return cloud.InvalidParam("Value (%s) for parameter cpuCredits is invalid. Valid values: standard, unlimited.", credits)
	}
	return nil
}

// launchCredits is the CPU credit option an instance launches with: the
// one asked for or its family's default; "" for a type without credits.
func launchCredits(instanceType, asked string) (string, error) {
	if asked == "" {
		family, _, _ := strings.Cut(instanceType, ".")
		return defaultCredits[family], nil
	}
	if err := checkCredits(asked); err != nil {
		return "", err
	}
	if !Burstable(instanceType) {
		return "", cloud.Errorf(cloud.InvalidCombination, "", "The parameter creditSpecification is not supported for instance type %s.", instanceType)
	}
	return asked, nil
}

// credits is the instance's CPU credit option: its own or, for one
// launched before vpcemu kept it, its family's default.
func (i *Instance) credits() string {
	if i.CPUCredits != "" {
		return i.CPUCredits
	}
	family, _, _ := strings.Cut(i.InstanceType, ".")
	return defaultCredits[family]
}

// CreditSpecification is an instance's CPU credit option.
type CreditSpecification struct {
	InstanceID string
	CPUCredits string
}

func notBurstable(inst *Instance) error {
	return cloud.Errorf(cloud.InvalidParameter, SubjectCreditSpecification, "The instance ID '%s' is not a burstable performance instance (type %s).", inst.ID, inst.InstanceType)
}

// InstanceCreditSpecifications lists the CPU credit options of the
// instances named, each of which must be burstable; with none named, of
// the caller's instances that have unlimited credits, as AWS lists them.
func (c *Service) InstanceCreditSpecifications(ctx context.Context, who cloud.Caller, ids []string) ([]CreditSpecification, error) {
	var out []CreditSpecification
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		out = nil
		if len(ids) > 0 {
			insts, err := getInstances(t, ids)
			if err != nil {
				return err
			}
			for _, inst := range insts {
				if inst.credits() == "" {
					return notBurstable(inst)
				}
				out = append(out, CreditSpecification{InstanceID: inst.ID, CPUCredits: inst.credits()})
			}
			return nil
		}
		return cloud.ScanScope[Instance](t.StoreTx, t.Scope, t.Now, func(inst *Instance) {
			if inst.credits() == "unlimited" && inst.State != "terminated" {
				out = append(out, CreditSpecification{InstanceID: inst.ID, CPUCredits: inst.credits()})
			}
		})
	})
	return out, err
}

// CreditChange is the outcome of one instance's credit change: Code and Msg
// say why it failed ("" when it did not).
type CreditChange struct {
	InstanceID string
	Code       string
	Msg        string
}

// ModifyInstanceCreditSpecification changes the CPU credit option of
// burstable instances; each change succeeds or fails on its own, with
// the codes AWS gives per instance.
func (c *Service) ModifyInstanceCreditSpecification(ctx context.Context, who cloud.Caller, changes []CreditSpecification) ([]CreditChange, error) {
	for _, ch := range changes {
		if err := checkCredits(ch.CPUCredits); err != nil {
			return nil, err
		}
	}
	var out []CreditChange
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		out = nil
		for _, ch := range changes {
			r := CreditChange{InstanceID: ch.InstanceID}
			inst, err := getInstance(t, ch.InstanceID)
			switch e, _ := cloud.AsError(err); {
			case e != nil && e.Reason == cloud.Malformed:
				r.Code, r.Msg = "InvalidInstanceID.Malformed", e.Msg
			case e != nil && e.Reason == cloud.NotFound:
				r.Code, r.Msg = "InvalidInstanceID.NotFound", e.Msg
			case err != nil:
				return err
			case inst.credits() == "":
				r.Code, r.Msg = "InstanceCreditSpecification.NotSupported", notBurstable(inst).Error()
			case inst.State == "terminated" || inst.State == "shutting-down":
				r.Code, r.Msg = "IncorrectInstanceState", "The instance '"+inst.ID+"' is not in a state from which its credit specification can be modified."
			default:
				inst.CPUCredits = ch.CPUCredits
				if err := cloud.Put(t, inst); err != nil {
					return err
				}
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}
