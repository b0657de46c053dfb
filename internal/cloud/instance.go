package cloud

import (
	"time"

	"github.com/vpcemu/vpcemu/internal/store"
)

// Instance is an EC2 instance. For networking it is its network interfaces:
// a private address in a subnet and security groups.
type Instance struct {
	Meta
	ReservationID    string
	ImageID          string
	InstanceType     string
	KeyName          string `json:",omitempty"`
	State            string // pending, running, stopping, stopped, shutting-down, terminated
	StateChanged     time.Time
	LaunchTime       time.Time
	SubnetID         string
	VpcID            string
	AvailabilityZone string
	// NetworkInterfaces lists the attached interfaces, primary first.
	NetworkInterfaces []string
	PrivateIP         string
	PublicIP          string `json:",omitempty"`
	SecurityGroups    []string
	AmiLaunchIndex    int32
	ClientToken       string `json:",omitempty"`
}

func (*Instance) kind() Kind { return KindInstance }

func (i *Instance) keys() []store.Key {
	return []store.Key{{Name: "subnet-id", Value: i.SubnetID}, {Name: "vpc-id", Value: i.VpcID}, {Name: "reservation-id", Value: i.ReservationID}}
}
