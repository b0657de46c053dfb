package network

import (
	"cmp"
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/amis"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/regions"
)

// Instance is an EC2 instance. For networking it is its network interfaces:
// a private address in a subnet and security groups.
type Instance struct {
	cloud.Meta
	ReservationID    string
	ImageID          string
	InstanceType     string
	KeyName          string `json:",omitempty"`
	UserData         string `json:",omitempty"`
	State            string // pending, running, stopping, stopped, shutting-down, terminated
	StateChanged     time.Time
	LaunchTime       time.Time
	SubnetID         string
	VpcID            string
	AvailabilityZone string
	// AvailabilityZoneID is the zone's id (use1-az4).
	AvailabilityZoneID string `json:",omitempty"`
	// NetworkInterfaces lists the attached interfaces, primary first.
	NetworkInterfaces []string
	PrivateIP         string
	PublicIP          string `json:",omitempty"`
	SecurityGroups    []string
	AmiLaunchIndex    int32
	ClientToken       string `json:",omitempty"`

	// StateReason is the code of why the instance last stopped or
	// terminated (Client.UserInitiatedShutdown); "" while it runs.
	StateReason string `json:",omitempty"`
	// StateTransitionReason is AWS's text for the last user-initiated
	// change: "User initiated (2024-05-01 10:00:00 GMT)".
	StateTransitionReason string `json:",omitempty"`

	Tenancy        string
	Monitoring     bool
	EbsOptimized   bool
	CoreCount      int32
	ThreadsPerCore int32
	Metadata       MetadataOptions
	// How the subnet named instances at launch.
	HostnameType        string
	ResourceNameDNSA    bool
	ResourceNameDNSAAAA bool

	// DisableAPITermination and DisableAPIStop protect the instance from
	// TerminateInstances and StopInstances.
	DisableAPITermination bool `json:",omitempty"`
	DisableAPIStop        bool `json:",omitempty"`
	// ShutdownBehavior is what a shutdown from inside does: stop or
	// terminate ("" is stop, from before vpcemu kept it).
	ShutdownBehavior string `json:",omitempty"`
	// CPUCredits is a burstable instance's credit option (standard,
	// unlimited); "" for other types.
	CPUCredits string `json:",omitempty"`

	// What the instance took from its image; "" for instances launched
	// before vpcemu kept them, which read as the generic Linux image's.
	RootDevice      string `json:",omitempty"`
	Platform        string `json:",omitempty"` // windows
	PlatformDetails string `json:",omitempty"`
	UsageOperation  string `json:",omitempty"`
	BootMode        string `json:",omitempty"`

	// Interfaces are the attached interfaces by device index, and Volumes
	// the attached volumes by device, derived on read (resolve), not stored.
	Interfaces []*NetworkInterface `json:"-"`
	Volumes    []*Volume           `json:"-"`
}

// RootDeviceName is the device of the instance's root volume: its image's.
func (i *Instance) RootDeviceName() string { return cmp.Or(i.RootDevice, RootDeviceName) }

// Details are the platform details and usage operation of the instance's
// image (Linux/UNIX, RunInstances for the generic one).
func (i *Instance) Details() (platform, usage string) {
	return cmp.Or(i.PlatformDetails, "Linux/UNIX"), cmp.Or(i.UsageOperation, "RunInstances")
}

// CurrentBootMode is the boot mode the instance runs in: UEFI where its
// image requires it, legacy BIOS otherwise.
func (i *Instance) CurrentBootMode() string {
	if i.BootMode == "uefi" {
		return "uefi"
	}
	return "legacy-bios"
}

// MetadataOptions are the instance metadata service settings.
type MetadataOptions struct {
	HTTPTokens           string // optional | required
	HTTPEndpoint         string // enabled | disabled
	HTTPProtocolIPv6     string // enabled | disabled
	HopLimit             int32  // 1 to 64
	InstanceMetadataTags string // enabled | disabled
}

// terminatedVisibleFor is how long a terminated instance stays visible.
const terminatedVisibleFor = time.Hour

func (*Instance) Kind() cloud.Kind { return cloud.KindInstance }

func init() { cloud.RegisterType[Instance]() }

// instanceIndexes are the filters DescribeInstances finds by index.
var instanceIndexes = cloud.Declare(cloud.KindInstance, cloud.Same("subnet-id", "vpc-id", "reservation-id", "instance-state-name"), nil)

func (i *Instance) Keys() []cloud.Key {
	ix := instanceIndexes
	keys := []cloud.Key{ix.Key("reservation-id", i.ReservationID), ix.Key("instance-state-name", i.State)}
	if i.SubnetID != "" {
		keys = append(keys, ix.Key("subnet-id", i.SubnetID), ix.Key("vpc-id", i.VpcID))
	}
	return keys
}

// Expired reports whether a terminated instance is past the time AWS
// keeps showing it.
func (i *Instance) Expired(now time.Time) bool {
	return i.State == "terminated" && !now.Before(i.StateChanged.Add(terminatedVisibleFor))
}

// Resolve loads the attached interfaces and the network fields derived
// from the primary one.
func (i *Instance) Resolve(t *cloud.Txn) error {
	enis, err := i.interfaces(t)
	if err != nil {
		return err
	}
	for _, e := range enis {
		if err := e.Resolve(t); err != nil {
			return err
		}
	}
	i.Interfaces = enis
	if i.Volumes, err = instanceVolumes(t, i.ID); err != nil {
		return err
	}
	i.PrivateIP, i.PublicIP = "", ""
	if p := i.Primary(); p != nil {
		i.PrivateIP, i.PublicIP = p.PrimaryIP(), p.PublicIP()
	}
	i.SecurityGroups, _ = i.Groups()
	return nil
}

// interfaces reads the instance's attached interfaces, by device index.
func (i *Instance) interfaces(t *cloud.Txn) ([]*NetworkInterface, error) {
	enis, err := cloud.FindAny[NetworkInterface](t, cloud.Key{Name: "attachment.instance-id", Value: i.ID})
	if err != nil {
		return nil, err
	}
	sort.Slice(enis, func(a, b int) bool { return enis[a].Attachment.DeviceIndex < enis[b].Attachment.DeviceIndex })
	return enis, nil
}

// Running reports whether the instance runs (or is starting): only then do
// its interfaces send, receive and forward traffic.
func (i *Instance) Running() bool { return i.State == "running" || i.State == "pending" }

// Primary is the resolved primary interface (device index 0), or nil.
func (i *Instance) Primary() *NetworkInterface {
	if len(i.Interfaces) > 0 && i.Interfaces[0].Attachment.DeviceIndex == 0 {
		return i.Interfaces[0]
	}
	return nil
}

// Groups lists the security groups of the resolved interfaces, each once,
// with their names.
func (i *Instance) Groups() (ids, names []string) {
	seen := map[string]bool{}
	for _, e := range i.Interfaces {
		for k, g := range e.Groups {
			if !seen[g] {
				seen[g] = true
				ids = append(ids, g)
				names = append(names, e.GroupNames[k])
			}
		}
	}
	return ids, names
}

// StateCode is the state's number, as EC2 gives it.
func StateCode(state string) int32 {
	return map[string]int32{"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64, "stopped": 80}[state]
}

// PrivateDNSName is the instance's internal host name ("" once terminated).
func (i *Instance) PrivateDNSName() string { return privateDNSName(i.PrivateIP, i.Region) }

// PublicDNSName is the instance's public host name, when it has a public
// address and its VPC gives DNS hostnames.
func (i *Instance) PublicDNSName() string {
	if p := i.Primary(); p != nil {
		return p.PublicDNSName(i.PublicIP)
	}
	return ""
}

// getInstance reads one of the caller's instances; a terminated instance
// past its visible hour is gone.
func getInstance(t *cloud.Txn, id string) (*Instance, error) {
	if err := CheckID(id, "i-", cloud.KindInstance); err != nil {
		return nil, err
	}
	inst, err := cloud.GetIn[Instance](t, id)
	if err != nil {
		return nil, err
	}
	if inst.Expired(t.Now) {
		return nil, cloud.Missing(cloud.KindInstance, id)
	}
	return inst, nil
}

// getInstances reads the caller's instances, in the order asked, each once;
// any missing fails the call, naming every missing one.
func getInstances(t *cloud.Txn, ids []string) ([]*Instance, error) {
	var out []*Instance
	var missing []string
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		inst, err := getInstance(t, id)
		if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
			missing = append(missing, id)
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, inst)
	}
	if len(missing) > 0 {
		return nil, cloud.Missing(cloud.KindInstance, missing...)
	}
	return out, nil
}

// purgeExpired deletes the caller's terminated instances that no longer
// show.
func purgeExpired(t *cloud.Txn) error {
	gone, err := cloud.FindIn[Instance](t, cloud.Key{Name: "instance-state-name", Value: "terminated"})
	if err != nil {
		return err
	}
	for _, inst := range gone {
		if inst.Expired(t.Now) {
			if err := cloud.Remove(t, inst); err != nil {
				return err
			}
		}
	}
	return nil
}

// LaunchInterface is one network interface of a launch: a new one in a
// subnet, or an existing one by id.
type LaunchInterface struct {
	DeviceIndex         *int32
	NetworkInterfaceID  string
	SubnetID            string
	Groups              []string
	PrivateIP           string
	PrivateIPs          []PrivateIPSpec
	SecondaryCount      int
	IPv6                IPv6Spec
	Description         string
	AssociatePublicIP   *bool
	DeleteOnTermination *bool
}

// RunInstancesInput is what RunInstances takes.
type RunInstancesInput struct {
	ImageID      string
	InstanceType string
	KeyName      string
	UserData     string
	ClientToken  string
	MinCount     int
	MaxCount     int
	// Either SubnetID (or the default VPC's subnet in AvailabilityZone),
	// groups and PrivateIP, or Interfaces.
	SubnetID           string
	AvailabilityZone   string
	Tenancy            string
	SecurityGroupIDs   []string
	SecurityGroupNames []string
	PrivateIP          string
	// IPv6 is the instance-level Ipv6Addresses/Ipv6AddressCount, for the
	// primary interface when no Interfaces are given.
	IPv6       IPv6Spec
	Interfaces []LaunchInterface

	Monitoring     bool
	EbsOptimized   bool
	CoreCount      int32
	ThreadsPerCore int32
	Metadata       MetadataOptions
	Tags           []cloud.TagSpec

	BlockDevices          []BlockDeviceSpec
	DisableAPITermination bool
	DisableAPIStop        bool
	ShutdownBehavior      string
	CPUCredits            string
}

// Reservation is the instances one RunInstances call launched.
type Reservation struct {
	ID        string
	Owner     string
	Instances []*Instance
}

// kindSpotRequest and kindElasticGPU are resource types RunInstances takes
// tags for but vpcemu does not model: their tags are accepted and dropped.
const (
	kindSpotRequest cloud.Kind = "spot-instances-request"
	kindElasticGPU  cloud.Kind = "elastic-gpu"
)

// defaultInstanceType is EC2's type when a launch names none.
const defaultInstanceType = "m1.small"

var instanceTypePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9-]+$`)

// checkLaunch refuses launch parameters that do not fit together, before
// anything is read.
func checkLaunch(in *RunInstancesInput) error {
	if in.ImageID == "" {
		return cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter ImageId")
	}
	if err := CheckID(in.ImageID, "ami-", cloud.KindImage); err != nil {
		return err
	}
	if in.InstanceType == "" {
		in.InstanceType = defaultInstanceType
	}
	if !instanceTypePattern.MatchString(in.InstanceType) {
		return cloud.InvalidParam("Invalid value '%s' for InstanceType.", in.InstanceType)
	}
	if in.MinCount < 1 {
		return cloud.InvalidParam("Value (%d) for parameter minCount is invalid. Expected a positive integer.", in.MinCount)
	}
	if in.MaxCount < in.MinCount {
		return cloud.InvalidParam("Value (%d) for parameter maxCount is invalid. Expected a value greater than or equal to minCount (%d).", in.MaxCount, in.MinCount)
	}
	if in.PrivateIP != "" && in.MaxCount > 1 {
		return cloud.Errorf(cloud.InvalidCombination, "", "A private IP address can't be specified when launching more than one instance.")
	}
	if len(in.IPv6.Addresses) > 0 && in.MaxCount > 1 {
		return cloud.Errorf(cloud.InvalidCombination, "", "An IPv6 address can't be specified when launching more than one instance.")
	}
	if err := in.IPv6.check(); err != nil {
		return err
	}
	switch in.Tenancy {
	case "", "default", "dedicated", "host":
	default:
		return cloud.InvalidParam("Value (%s) for parameter tenancy is invalid.", in.Tenancy)
	}
	if in.ShutdownBehavior == "" {
		in.ShutdownBehavior = "stop"
	}
	if err := checkShutdownBehavior(in.ShutdownBehavior); err != nil {
		return err
	}
	var err error
	if in.CPUCredits, err = launchCredits(in.InstanceType, in.CPUCredits); err != nil {
		return err
	}
	if err := checkBlockDevices(in.BlockDevices); err != nil {
		return err
	}
	return checkLaunchInterfaces(in)
}

func checkLaunchInterfaces(in *RunInstancesInput) error {
	if len(in.Interfaces) == 0 {
		return nil
	}
	switch {
	case in.SubnetID != "":
		return cloud.Errorf(cloud.InvalidCombination, "", "Network interfaces and an instance-level subnet ID may not be specified on the same request")
	case len(in.SecurityGroupIDs) > 0 || len(in.SecurityGroupNames) > 0:
		return cloud.Errorf(cloud.InvalidCombination, "", "Network interfaces and an instance-level security groups may not be specified on the same request")
	case in.PrivateIP != "":
		return cloud.Errorf(cloud.InvalidCombination, "", "Network interfaces and an instance-level private IP address may not be specified on the same request")
	case len(in.IPv6.Addresses) > 0 || in.IPv6.Count > 0:
		return cloud.Errorf(cloud.InvalidCombination, "", "Network interfaces and an instance-level IPv6 address or IPv6 address count may not be specified on the same request")
	}
	seen := map[int32]bool{}
	for _, ni := range in.Interfaces {
		if ni.DeviceIndex == nil {
			return cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter deviceIndex")
		}
		d := *ni.DeviceIndex
		if d < 0 || seen[d] {
			return cloud.InvalidParam("Each network interface requires a unique, non-negative device index.")
		}
		seen[d] = true
		if ni.AssociatePublicIP != nil && *ni.AssociatePublicIP {
			if len(in.Interfaces) > 1 {
				return cloud.Errorf(cloud.InvalidCombination, "", "The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces.")
			}
			if d != 0 {
				return cloud.Errorf(cloud.InvalidCombination, "", "The associatePublicIPAddress parameter can only be specified for the network interface with DeviceIndex 0.")
			}
		}
		if ni.NetworkInterfaceID != "" {
			if ni.SubnetID != "" || ni.PrivateIP != "" || len(ni.PrivateIPs) > 0 || ni.SecondaryCount > 0 || len(ni.Groups) > 0 || len(ni.IPv6.Addresses) > 0 || ni.IPv6.Count > 0 {
				return cloud.Errorf(cloud.InvalidCombination, "", "A network interface may not specify both a network interface ID and a subnet, IP addresses or security groups")
			}
			if in.MaxCount > 1 {
				return cloud.Errorf(cloud.InvalidCombination, "", "An existing network interface can't be attached when launching more than one instance.")
			}
		}
		if (ni.PrivateIP != "" || len(ni.PrivateIPs) > 0) && in.MaxCount > 1 {
			return cloud.Errorf(cloud.InvalidCombination, "", "A private IP address can't be specified when launching more than one instance.")
		}
		if ni.SecondaryCount < 0 {
			return cloud.InvalidParam("Value (%d) for parameter secondaryPrivateIpAddressCount is invalid. Expected a positive integer.", ni.SecondaryCount)
		}
		if err := ni.IPv6.check(); err != nil {
			return err
		}
		if len(ni.IPv6.Addresses) > 0 && in.MaxCount > 1 {
			return cloud.Errorf(cloud.InvalidCombination, "", "An IPv6 address can't be specified when launching more than one instance.")
		}
	}
	if !seen[0] {
		return cloud.InvalidParam("A network interface at device index 0 must be specified.")
	}
	sort.SliceStable(in.Interfaces, func(a, b int) bool { return *in.Interfaces[a].DeviceIndex < *in.Interfaces[b].DeviceIndex })
	return nil
}

// metadataOptions fills EC2's defaults into the metadata settings asked for
// and checks them.
func metadataOptions(m MetadataOptions) (MetadataOptions, error) {
	def := func(v *string, d string, allowed ...string) error {
		if *v == "" {
			*v = d
		}
		for _, a := range allowed {
			if *v == a {
				return nil
			}
		}
		return cloud.InvalidParam("Value (%s) for parameter metadataOptions is invalid.", *v)
	}
	for _, f := range []struct {
		v       *string
		d       string
		allowed []string
	}{
		{&m.HTTPTokens, "optional", []string{"optional", "required"}},
		{&m.HTTPEndpoint, "enabled", []string{"enabled", "disabled"}},
		{&m.HTTPProtocolIPv6, "disabled", []string{"enabled", "disabled"}},
		{&m.InstanceMetadataTags, "disabled", []string{"enabled", "disabled"}},
	} {
		if err := def(f.v, f.d, f.allowed...); err != nil {
			return m, err
		}
	}
	if m.HopLimit == 0 {
		m.HopLimit = 1
	}
	if m.HopLimit < 1 || m.HopLimit > 64 {
		return m, cloud.InvalidParam("Value (%d) for parameter httpPutResponseHopLimit is invalid. Expected a value between 1 and 64.", m.HopLimit)
	}
	return m, nil
}

// singleThreaded are instance families that run one thread per core, as
// the Arm (Graviton) families do too.
var (
	singleThreaded = map[string]bool{"t1": true, "t2": true, "m1": true, "m2": true, "m3": true, "c1": true}
	graviton       = regexp.MustCompile(`^([a-z]+[0-9]+g|a1\.)`)
)

// Architecture is the processor architecture of the instance's type.
func (i *Instance) Architecture() string { return Architecture(i.InstanceType) }

// cpuOptions derives cores and threads per core from an instance type.
func cpuOptions(instanceType string) (cores, threads int32) {
	family, size, _ := strings.Cut(instanceType, ".")
	threads = 2
	if singleThreaded[family] || graviton.MatchString(instanceType) {
		threads = 1
	}
	vcpus := int32(2)
	switch {
	case size == "nano" || size == "micro" || size == "small":
		vcpus = threads
	case size == "xlarge":
		vcpus = 4
	case strings.HasSuffix(size, "xlarge"):
		if n, err := strconv.Atoi(strings.TrimSuffix(size, "xlarge")); err == nil {
			vcpus = int32(4 * n)
		}
	case strings.HasPrefix(size, "metal"):
		vcpus = 96
	}
	return max(1, vcpus/threads), threads
}

// launch is the state of one RunInstances transaction.
type launch struct {
	t       *cloud.Txn
	in      *RunInstancesInput
	image   amis.Image
	tags    map[cloud.Kind]cloud.Tags
	subnets map[string]*Subnet // each subnet read once, so counts add up
}

func (l *launch) subnet(id string) (*Subnet, error) {
	if s, ok := l.subnets[id]; ok {
		return s, nil
	}
	s, err := cloud.GetIn[Subnet](l.t, id)
	if err != nil {
		return nil, err
	}
	l.subnets[id] = s
	return s, nil
}

// RunInstances launches instances: up to MaxCount when the subnet has the
// addresses, at least MinCount or none. Each gets a primary network
// interface (and the others asked for), and a public address when the
// subnet or the launch asks for one. The instances run at once.
func (c *Service) RunInstances(ctx context.Context, who cloud.Caller, in RunInstancesInput) (*Reservation, error) {
	region, err := who.RegionInfo()
	if err != nil {
		return nil, err
	}
	if err := checkLaunch(&in); err != nil {
		return nil, err
	}
	if in.Metadata, err = metadataOptions(in.Metadata); err != nil {
		return nil, err
	}
	image, err := launchImage(who.Region, in.ImageID, in.InstanceType)
	if err != nil {
		return nil, err
	}
	if err := checkImageDevices(image, in.BlockDevices); err != nil {
		return nil, err
	}
	if in.CoreCount == 0 || in.ThreadsPerCore == 0 {
		cores, threads := cpuOptions(in.InstanceType)
		if in.CoreCount == 0 {
			in.CoreCount = cores
		}
		if in.ThreadsPerCore == 0 {
			in.ThreadsPerCore = threads
		}
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindInstance, cloud.KindNetworkInterface, cloud.KindVolume, kindSpotRequest, kindElasticGPU)
	if err != nil {
		return nil, err
	}
	if len(in.Interfaces) == 0 {
		in.Interfaces = []LaunchInterface{{DeviceIndex: new(int32), SubnetID: in.SubnetID, PrivateIP: in.PrivateIP, IPv6: in.IPv6}}
	}
	var r *Reservation
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		if err := purgeExpired(t); err != nil {
			return err
		}
		// The launch fills in what it resolves; a retried transaction
		// starts again from the request.
		in := in
		in.Interfaces = append([]LaunchInterface(nil), in.Interfaces...)
		l := &launch{t: t, in: &in, image: image, tags: tags, subnets: map[string]*Subnet{}}
		var err error
		r, err = l.run(region)
		return err
	})
	return r, err
}

// run launches the instances in the transaction.
func (l *launch) run(region *regions.Region) (*Reservation, error) {
	t, in := l.t, l.in
	primary := &in.Interfaces[0]
	s, err := l.primarySubnet(region, primary)
	if err != nil {
		return nil, err
	}
	if in.AvailabilityZone != "" && in.AvailabilityZone != s.AvailabilityZone {
		return nil, cloud.InvalidParam("Value (%s) for parameter availabilityZone is invalid. Subnet '%s' is in the availability zone %s", in.AvailabilityZone, s.ID, s.AvailabilityZone)
	}
	if primary.NetworkInterfaceID == "" {
		if primary.Groups, err = l.instanceGroups(s, primary.Groups); err != nil {
			return nil, err
		}
	}
	n, err := l.count(s, primary)
	if err != nil {
		return nil, err
	}
	vpc, err := cloud.GetIn[VPC](t, s.VpcID)
	if err != nil {
		return nil, err
	}
	r := &Reservation{ID: t.NewID("r-"), Owner: t.Scope.Account}
	for k := range n {
		inst := l.newInstance(r.ID, s, vpc, int32(k))
		for _, spec := range in.Interfaces {
			if err := l.attachInterface(inst, s, spec); err != nil {
				return nil, err
			}
		}
		if err := cloud.Put(t, inst); err != nil {
			return nil, err
		}
		if err := launchVolumes(t, inst, l.image, in.BlockDevices, l.tags[cloud.KindVolume]); err != nil {
			return nil, err
		}
		if err := inst.Resolve(t); err != nil {
			return nil, err
		}
		r.Instances = append(r.Instances, inst)
	}
	return r, nil
}

// primarySubnet is the subnet of the primary interface: the existing
// interface's, the one named, or the default VPC's subnet in the zone.
func (l *launch) primarySubnet(region *regions.Region, spec *LaunchInterface) (*Subnet, error) {
	if spec.NetworkInterfaceID != "" {
		eni, err := getInterface(l.t, spec.NetworkInterfaceID)
		if err != nil {
			return nil, err
		}
		return l.subnet(eni.SubnetID)
	}
	if spec.SubnetID != "" {
		return l.subnet(spec.SubnetID)
	}
	s, err := defaultSubnet(l.t, region, l.in.AvailabilityZone)
	if err != nil {
		return nil, err
	}
	spec.SubnetID = s.ID
	return l.subnet(s.ID)
}

// defaultSubnet is the default VPC's subnet in the zone, or in the first
// zone that has one.
func defaultSubnet(t *cloud.Txn, region *regions.Region, zone string) (*Subnet, error) {
	if zone != "" {
		z, ok := region.Zone(zone)
		if !ok {
			return nil, cloud.InvalidParam("Invalid availability zone: [%s]", zone)
		}
		zone = z.Name
	}
	vpc, err := defaultVPC(t)
	if err != nil {
		return nil, err
	}
	if vpc == nil {
		return nil, cloud.Errorf(cloud.NoDefaultVPC, cloud.KindVPC, "No default VPC for this user")
	}
	subnets, err := cloud.FindIn[Subnet](t, cloud.Key{Name: "vpc-id", Value: vpc.ID})
	if err != nil {
		return nil, err
	}
	for _, z := range region.Zones {
		for _, s := range subnets {
			if s.DefaultForAZ && s.AvailabilityZone == z.Name && (zone == "" || zone == z.Name) {
				return s, nil
			}
		}
	}
	if zone != "" {
		return nil, cloud.InvalidParam("No default subnet for availability zone: '%s'.", zone)
	}
	return nil, cloud.Errorf(cloud.MissingParameter, cloud.KindSubnet, "No subnets found for the default VPC '%s'. Please specify a subnet.", vpc.ID)
}

// instanceGroups resolves the launch's groups for the primary interface:
// ids, plus names (default VPC only); the VPC's default group when none.
func (l *launch) instanceGroups(s *Subnet, ids []string) ([]string, error) {
	ids = append(append([]string(nil), ids...), l.in.SecurityGroupIDs...)
	if len(l.in.SecurityGroupNames) > 0 {
		vpc, err := cloud.GetIn[VPC](l.t, s.VpcID)
		if err != nil {
			return nil, err
		}
		if !vpc.IsDefault {
			return nil, cloud.Errorf(cloud.InvalidCombination, "", "The parameter groupName cannot be used with the parameter subnet")
		}
		for _, name := range l.in.SecurityGroupNames {
			gs, err := cloud.FindIn[SecurityGroup](l.t, cloud.Key{Name: "group-name", Value: vpc.ID + "/" + name})
			if err != nil {
				return nil, err
			}
			if len(gs) == 0 {
				return nil, cloud.Errorf(cloud.NotFound, cloud.KindSecurityGroup, "The security group '%s' does not exist in default VPC '%s'", name, vpc.ID)
			}
			ids = append(ids, gs[0].ID)
		}
	}
	return interfaceGroups(l.t, s, ids, true)
}

// count is how many instances to launch: as many as asked up to what the
// subnet's free addresses allow, and at least MinCount.
func (l *launch) count(s *Subnet, spec *LaunchInterface) (int, error) {
	if spec.NetworkInterfaceID != "" {
		return 1, nil
	}
	primaryIP, secondary, err := addressPlan(spec.PrivateIP, spec.PrivateIPs)
	if err != nil {
		return 0, err
	}
	spec.PrivateIP, spec.PrivateIPs = primaryIP, nil
	for _, a := range secondary {
		spec.PrivateIPs = append(spec.PrivateIPs, PrivateIPSpec{Address: a})
	}
	need := int64(1 + len(secondary) + spec.SecondaryCount)
	n := min(int64(l.in.MaxCount), s.AvailableIPs()/need)
	if s.CIDRBlock == "" {
		// IPv6-only: a /64 never runs out.
		n = int64(l.in.MaxCount)
	}
	if n < int64(l.in.MinCount) {
		return 0, cloud.Errorf(cloud.InsufficientAddresses, cloud.KindSubnet, "There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", s.ID)
	}
	return int(n), nil
}

// newInstance makes (but does not save) the k-th instance of the launch.
func (l *launch) newInstance(reservation string, s *Subnet, vpc *VPC, k int32) *Instance {
	t, in := l.t, l.in
	tenancy := in.Tenancy
	if tenancy == "" {
		tenancy = vpc.InstanceTenancy
	}
	return &Instance{
		Meta:          cloud.Meta{ID: t.NewID("i-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: l.tags[cloud.KindInstance]},
		ReservationID: reservation, ImageID: in.ImageID, InstanceType: in.InstanceType,
		KeyName: in.KeyName, UserData: in.UserData, ClientToken: in.ClientToken,
		State: "running", StateChanged: t.Now, LaunchTime: t.Now, AmiLaunchIndex: k,
		SubnetID: s.ID, VpcID: s.VpcID, AvailabilityZone: s.AvailabilityZone, AvailabilityZoneID: s.AvailabilityZoneID,
		Tenancy: tenancy, Monitoring: in.Monitoring, EbsOptimized: in.EbsOptimized,
		CoreCount: in.CoreCount, ThreadsPerCore: in.ThreadsPerCore, Metadata: in.Metadata,
		HostnameType: s.PrivateDNSHostnameType, ResourceNameDNSA: s.EnableResourceNameDNSA, ResourceNameDNSAAAA: s.EnableResourceNameDNSAAAA,
		DisableAPITermination: in.DisableAPITermination, DisableAPIStop: in.DisableAPIStop,
		ShutdownBehavior: in.ShutdownBehavior, CPUCredits: in.CPUCredits,
		RootDevice: l.image.RootDeviceName, Platform: l.image.Platform, PlatformDetails: l.image.PlatformDetails,
		UsageOperation: l.image.UsageOperation, BootMode: l.image.BootMode,
	}
}

// attachInterface gives the instance one interface of the launch: an
// existing one, or a new one (in the primary's subnet unless named).
func (l *launch) attachInterface(inst *Instance, primary *Subnet, spec LaunchInterface) error {
	t := l.t
	d := *spec.DeviceIndex
	var eni *NetworkInterface
	deleteOnTermination := true
	if spec.NetworkInterfaceID != "" {
		var err error
		if eni, err = getInterface(t, spec.NetworkInterfaceID); err != nil {
			return err
		}
		if eni.inUse() {
			return cloud.Errorf(cloud.InUse, cloud.KindNetworkInterface, "Interface: [%s] in use.", eni.ID)
		}
		if eni.AvailabilityZone != inst.AvailabilityZone {
			return cloud.Errorf(cloud.InvalidCombination, "", "You may not attach a network interface to an instance if they are not in the same availability zone")
		}
		deleteOnTermination = false
	} else {
		s := primary
		if spec.SubnetID != "" {
			var err error
			if s, err = l.subnet(spec.SubnetID); err != nil {
				return err
			}
		}
		if s.AvailabilityZone != inst.AvailabilityZone {
			return cloud.Errorf(cloud.InvalidCombination, "", "You may not attach a network interface to an instance if they are not in the same availability zone")
		}
		var err error
		if d == 0 {
			eni, err = l.newPrimaryInterface(s, spec)
		} else {
			eni, err = l.newInterface(s, spec)
		}
		if err != nil {
			return err
		}
	}
	if spec.DeleteOnTermination != nil {
		deleteOnTermination = *spec.DeleteOnTermination
	}
	attach(t, eni, inst, t.NewID("eni-attach-"), d, deleteOnTermination)
	if d == 0 {
		if err := mapAutoPublicIP(t, eni); err != nil {
			return err
		}
		inst.PrivateIP, inst.PublicIP, inst.SecurityGroups = eni.PrimaryIP(), eni.PublicIP(), eni.Groups
	}
	inst.NetworkInterfaces = append(inst.NetworkInterfaces, eni.ID)
	return cloud.Put(t, eni)
}

// newPrimaryInterface creates the primary interface of an instance, with a
// public address when the launch or the subnet asks for one.
func (l *launch) newPrimaryInterface(s *Subnet, spec LaunchInterface) (*NetworkInterface, error) {
	secondary := make([]string, 0, len(spec.PrivateIPs))
	for _, p := range spec.PrivateIPs {
		secondary = append(secondary, p.Address)
	}
	eni, err := CreateInterface(l.t, s, InterfaceSpec{
		Description: spec.Description, Groups: spec.Groups, Tags: l.tags[cloud.KindNetworkInterface],
		PrivateIP: spec.PrivateIP, SecondaryAddrs: secondary, SecondaryIPs: spec.SecondaryCount,
		IPv6: IPv6Spec{Addresses: spec.IPv6.Addresses, Count: spec.IPv6.Count, SubnetDefault: true},
	})
	if err != nil {
		return nil, err
	}
	eni.AssociatePublicIP = s.MapPublicIPOnLaunch
	if spec.AssociatePublicIP != nil {
		eni.AssociatePublicIP = *spec.AssociatePublicIP
	}
	return eni, nil
}

// newInterface creates a secondary interface of a launch.
func (l *launch) newInterface(s *Subnet, spec LaunchInterface) (*NetworkInterface, error) {
	groups, err := interfaceGroups(l.t, s, spec.Groups, true)
	if err != nil {
		return nil, err
	}
	primary, secondary, err := addressPlan(spec.PrivateIP, spec.PrivateIPs)
	if err != nil {
		return nil, err
	}
	return CreateInterface(l.t, s, InterfaceSpec{
		Description: spec.Description, Groups: groups, Tags: l.tags[cloud.KindNetworkInterface],
		PrivateIP: primary, SecondaryAddrs: secondary, SecondaryIPs: spec.SecondaryCount,
		IPv6: IPv6Spec{Addresses: spec.IPv6.Addresses, Count: spec.IPv6.Count, SubnetDefault: true},
	})
}

// StateChange is one instance's move from one state to another.
type StateChange struct {
	InstanceID string
	Previous   string
	Current    string
}

// userInitiated is AWS's state transition reason for a user's stop or
// terminate.
func userInitiated(now time.Time) string {
	return "User initiated (" + now.UTC().Format("2006-01-02 15:04:05") + " GMT)"
}

// changeStates applies step to each instance asked for, in one
// transaction, and saves them.
func (c *Service) changeStates(ctx context.Context, who cloud.Caller, ids []string, step func(t *cloud.Txn, inst *Instance) (string, error)) ([]StateChange, error) {
	var out []StateChange
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		out = nil
		if err := purgeExpired(t); err != nil {
			return err
		}
		insts, err := getInstances(t, ids)
		if err != nil {
			return err
		}
		for _, inst := range insts {
			prev := inst.State
			cur, err := step(t, inst)
			if err != nil {
				return err
			}
			if err := cloud.Put(t, inst); err != nil {
				return err
			}
			out = append(out, StateChange{InstanceID: inst.ID, Previous: prev, Current: cur})
		}
		return nil
	})
	return out, err
}

// stopped records a user-initiated stop or termination.
func (i *Instance) stopped(t *cloud.Txn, state string) {
	i.State, i.StateChanged = state, t.Now
	i.StateReason = "Client.UserInitiatedShutdown"
	i.StateTransitionReason = userInitiated(t.Now)
}

// TerminateInstances terminates instances: interfaces marked
// DeleteOnTermination are deleted with their addresses, the others are
// detached. The answer shows them shutting down; they show as terminated
// for an hour, then vanish.
func (c *Service) TerminateInstances(ctx context.Context, who cloud.Caller, ids []string) ([]StateChange, error) {
	return c.changeStates(ctx, who, ids, func(t *cloud.Txn, inst *Instance) (string, error) {
		if inst.State == "terminated" {
			return "terminated", nil
		}
		if inst.DisableAPITermination {
			return "", cloud.Errorf(cloud.OperationNotPermitted, cloud.KindInstance, "The instance '%s' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.", inst.ID)
		}
		if err := releaseVolumes(t, inst.ID); err != nil {
			return "", err
		}
		enis, err := inst.interfaces(t)
		if err != nil {
			return "", err
		}
		for _, eni := range enis {
			if eni.Attachment.DeleteOnTermination {
				err = DestroyInterface(t, eni)
			} else if err = detach(t, eni); err == nil {
				err = cloud.Put(t, eni)
			}
			if err != nil {
				return "", err
			}
		}
		inst.stopped(t, "terminated")
		inst.NetworkInterfaces, inst.SecurityGroups = nil, nil
		inst.SubnetID, inst.VpcID, inst.PrivateIP, inst.PublicIP = "", "", "", ""
		return "shutting-down", nil
	})
}

// StopInstances stops running instances; their auto-assigned public
// addresses go back to Amazon's pool.
func (c *Service) StopInstances(ctx context.Context, who cloud.Caller, ids []string) ([]StateChange, error) {
	return c.changeStates(ctx, who, ids, func(t *cloud.Txn, inst *Instance) (string, error) {
		switch inst.State {
		case "stopped", "stopping":
			return inst.State, nil
		case "pending", "running":
		default:
			return "", cloud.Errorf(cloud.IncorrectState, cloud.KindInstance, "This instance '%s' is not in a state from which it can be stopped.", inst.ID)
		}
		if inst.DisableAPIStop {
			return "", cloud.Errorf(cloud.OperationNotPermitted, cloud.KindInstance, "The instance '%s' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.", inst.ID)
		}
		enis, err := inst.interfaces(t)
		if err != nil {
			return "", err
		}
		for _, eni := range enis {
			if err := unmapAutoPublicIPs(t, eni); err != nil {
				return "", err
			}
			if err := cloud.Put(t, eni); err != nil {
				return "", err
			}
		}
		inst.stopped(t, "stopped")
		inst.PublicIP = ""
		return "stopping", nil
	})
}

// StartInstances starts stopped instances; a primary interface that gets
// an auto-assigned public address gets a new one.
func (c *Service) StartInstances(ctx context.Context, who cloud.Caller, ids []string) ([]StateChange, error) {
	return c.changeStates(ctx, who, ids, func(t *cloud.Txn, inst *Instance) (string, error) {
		switch inst.State {
		case "pending", "running":
			return inst.State, nil
		case "stopped":
		default:
			return "", cloud.Errorf(cloud.IncorrectState, cloud.KindInstance, "The instance '%s' is not in a state from which it can be started.", inst.ID)
		}
		enis, err := inst.interfaces(t)
		if err != nil {
			return "", err
		}
		for _, eni := range enis {
			if eni.Attachment.DeviceIndex != 0 {
				continue
			}
			if err := mapAutoPublicIP(t, eni); err != nil {
				return "", err
			}
			inst.PublicIP = eni.PublicIP()
			if err := cloud.Put(t, eni); err != nil {
				return "", err
			}
		}
		inst.State, inst.StateChanged = "running", t.Now
		inst.StateReason, inst.StateTransitionReason = "", ""
		return "pending", nil
	})
}
