"""Lists, creates and deletes each resource kind vpcemu serves, with boto3.

Run against a fresh vpcemu (AWS_ENDPOINT_URL, the keys and the region come
from the environment). Every response key is read with [], as programs do:
a list vpcemu left out raises KeyError and fails the run. Prints "ok" last.
"""

import boto3

ec2 = boto3.client("ec2")
elb = boto3.client("elbv2")
REGION = ec2.meta.region_name

# An empty account: every kind lists, empty or with what AWS gives a new
# account (the default VPC and what comes with it).
for client, method, key, kwargs in [
    (ec2, "describe_vpcs", "Vpcs", {}),
    (ec2, "describe_subnets", "Subnets", {}),
    (ec2, "describe_route_tables", "RouteTables", {}),
    (ec2, "describe_internet_gateways", "InternetGateways", {}),
    (ec2, "describe_egress_only_internet_gateways", "EgressOnlyInternetGateways", {}),
    (ec2, "describe_nat_gateways", "NatGateways", {}),
    (ec2, "describe_addresses", "Addresses", {}),
    (ec2, "describe_security_groups", "SecurityGroups", {}),
    (ec2, "describe_security_group_rules", "SecurityGroupRules", {}),
    (ec2, "describe_network_acls", "NetworkAcls", {}),
    (ec2, "describe_network_interfaces", "NetworkInterfaces", {}),
    (ec2, "describe_instances", "Reservations", {}),
    (ec2, "describe_volumes", "Volumes", {}),
    (ec2, "describe_instance_credit_specifications", "InstanceCreditSpecifications", {}),
    (ec2, "describe_instance_types", "InstanceTypes", {}),
    (ec2, "describe_managed_prefix_lists", "PrefixLists", {}),
    (ec2, "describe_prefix_lists", "PrefixLists", {}),
    (ec2, "describe_dhcp_options", "DhcpOptions", {}),
    (ec2, "describe_vpc_peering_connections", "VpcPeeringConnections", {}),
    (ec2, "describe_vpc_endpoints", "VpcEndpoints", {}),
    (ec2, "describe_vpc_endpoint_service_configurations", "ServiceConfigurations", {}),
    (ec2, "describe_vpc_endpoint_connections", "VpcEndpointConnections", {}),
    (ec2, "describe_vpc_endpoint_connection_notifications", "ConnectionNotificationSet", {}),
    (ec2, "describe_vpc_endpoint_services", "ServiceNames", {}),
    (ec2, "describe_tags", "Tags", {}),
    (ec2, "describe_network_insights_paths", "NetworkInsightsPaths", {}),
    (ec2, "describe_network_insights_analyses", "NetworkInsightsAnalyses", {}),
    (ec2, "describe_availability_zones", "AvailabilityZones", {}),
    (ec2, "describe_regions", "Regions", {}),
    (elb, "describe_load_balancers", "LoadBalancers", {}),
    (elb, "describe_target_groups", "TargetGroups", {}),
    (elb, "describe_account_limits", "Limits", {}),
    (elb, "describe_ssl_policies", "SslPolicies", {}),
]:
    getattr(client, method)(**kwargs)[key]

default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
default_vpc["Tags"]
default_vpc["Ipv6CidrBlockAssociationSet"]
for acl in ec2.describe_network_acls()["NetworkAcls"]:
    acl["Tags"], acl["Entries"], acl["Associations"]
for subnet in ec2.describe_subnets()["Subnets"]:
    subnet["Ipv6CidrBlockAssociationSet"], subnet["Tags"]
for sg in ec2.describe_security_groups()["SecurityGroups"]:
    sg["IpPermissions"], sg["IpPermissionsEgress"], sg["Tags"]

# One of each kind: create, list, delete.
vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]
vpc_id = vpc["VpcId"]
assert [v["VpcId"] for v in ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"]] == [vpc_id]

azs = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
subnets = [
    ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
    for i, az in enumerate(azs)
]
listed = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
assert sorted(s["SubnetId"] for s in listed) == sorted(subnets)
listed[0]["Ipv6CidrBlockAssociationSet"], listed[0]["Tags"]

igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
assert ec2.describe_internet_gateways(InternetGatewayIds=[igw])["InternetGateways"][0]["Attachments"]

eigw = ec2.create_egress_only_internet_gateway(VpcId=vpc_id)["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"]
ec2.describe_egress_only_internet_gateways(EgressOnlyInternetGatewayIds=[eigw])["EgressOnlyInternetGateways"][0]["Tags"]

rtb = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
assoc = ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnets[0])["AssociationId"]
table = ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]
assert len(table["Routes"]) == 2 and table["Associations"] and table["PropagatingVgws"] == [] and table["Tags"] == []
ec2.delete_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0")

alloc = ec2.allocate_address(Domain="vpc")["AllocationId"]
assert ec2.describe_addresses(AllocationIds=[alloc])["Addresses"][0]["AllocationId"] == alloc

nat = ec2.create_nat_gateway(SubnetId=subnets[0], ConnectivityType="private")["NatGateway"]["NatGatewayId"]
ec2.describe_nat_gateways(NatGatewayIds=[nat])["NatGateways"][0]["NatGatewayAddresses"]

sg = ec2.create_security_group(VpcId=vpc_id, GroupName="web", Description="web")["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}])
rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [sg]}])["SecurityGroupRules"]
assert len(rules) == 2, rules
group = ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]
group["IpPermissions"][0]["Ipv6Ranges"], group["IpPermissions"][0]["PrefixListIds"], group["IpPermissions"][0]["UserIdGroupPairs"]
ec2.revoke_security_group_ingress(GroupId=sg, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}])

acl = ec2.create_network_acl(VpcId=vpc_id)["NetworkAcl"]["NetworkAclId"]
ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="6", RuleAction="allow", Egress=False,
                             CidrBlock="0.0.0.0/0", PortRange={"From": 443, "To": 443})
entries = ec2.describe_network_acls(NetworkAclIds=[acl])["NetworkAcls"][0]
assert entries["Tags"] == [] and entries["Associations"] == [] and len(entries["Entries"]) == 3, entries
ec2.delete_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Egress=False)

eni = ec2.create_network_interface(SubnetId=subnets[1], Groups=[sg])["NetworkInterface"]["NetworkInterfaceId"]
iface = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]
iface["PrivateIpAddresses"], iface["Groups"], iface["Ipv6Addresses"], iface["TagSet"]

run = ec2.run_instances(ImageId="ami-12345678", MinCount=1, MaxCount=1, SubnetId=subnets[1])
instance = run["Instances"][0]["InstanceId"]
reservations = ec2.describe_instances(InstanceIds=[instance])["Reservations"]
assert reservations[0]["Instances"][0]["InstanceId"] == instance
reservations[0]["Instances"][0]["SecurityGroups"], reservations[0]["Instances"][0]["NetworkInterfaces"]
root = reservations[0]["Instances"][0]["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
assert ec2.describe_volumes(VolumeIds=[root])["Volumes"][0]["Attachments"][0]["InstanceId"] == instance
ec2.modify_instance_attribute(InstanceId=instance, DisableApiTermination={"Value": True})
assert ec2.describe_instance_attribute(InstanceId=instance, Attribute="disableApiTermination")["DisableApiTermination"]["Value"]
ec2.modify_instance_attribute(InstanceId=instance, DisableApiTermination={"Value": False})
assert ec2.describe_instance_types(InstanceTypes=["t3.micro"])["InstanceTypes"][0]["BurstablePerformanceSupported"]
ec2.modify_instance_credit_specification(InstanceCreditSpecifications=[{"InstanceId": instance, "CpuCredits": "unlimited"}])["UnsuccessfulInstanceCreditSpecifications"]

pl = ec2.create_managed_prefix_list(PrefixListName="office", MaxEntries=5, AddressFamily="IPv4",
                                    Entries=[{"Cidr": "192.0.2.0/24", "Description": "office"}])["PrefixList"]["PrefixListId"]
assert ec2.describe_managed_prefix_lists(PrefixListIds=[pl])["PrefixLists"][0]["Tags"] == []
assert len(ec2.get_managed_prefix_list_entries(PrefixListId=pl)["Entries"]) == 1
ec2.get_managed_prefix_list_associations(PrefixListId=pl)["PrefixListAssociations"]

dopt = ec2.create_dhcp_options(DhcpConfigurations=[{"Key": "domain-name", "Values": ["corp.example"]}])["DhcpOptions"]["DhcpOptionsId"]
ec2.describe_dhcp_options(DhcpOptionsIds=[dopt])["DhcpOptions"][0]["DhcpConfigurations"]

peer_vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
pcx = ec2.create_vpc_peering_connection(VpcId=vpc_id, PeerVpcId=peer_vpc)["VpcPeeringConnection"]["VpcPeeringConnectionId"]
ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
peering = ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx])["VpcPeeringConnections"][0]
peering["AccepterVpcInfo"]["CidrBlockSet"], peering["Tags"]

s3 = f"com.amazonaws.{REGION}.s3"
gw_endpoint = ec2.create_vpc_endpoint(VpcId=vpc_id, ServiceName=s3, RouteTableIds=[rtb])["VpcEndpoint"]["VpcEndpointId"]
gw = ec2.describe_vpc_endpoints(VpcEndpointIds=[gw_endpoint])["VpcEndpoints"][0]
assert gw["SubnetIds"] == [] and gw["Groups"] == [] and gw["NetworkInterfaceIds"] == [] and gw["DnsEntries"] == [] and gw["RouteTableIds"] == [rtb], gw
if_endpoint = ec2.create_vpc_endpoint(VpcId=vpc_id, VpcEndpointType="Interface", ServiceName=f"com.amazonaws.{REGION}.ec2",
                                      SubnetIds=[subnets[1]], SecurityGroupIds=[sg], PrivateDnsEnabled=False)["VpcEndpoint"]["VpcEndpointId"]
interface = ec2.describe_vpc_endpoints(VpcEndpointIds=[if_endpoint])["VpcEndpoints"][0]
assert interface["RouteTableIds"] == [] and interface["DnsEntries"] and interface["NetworkInterfaceIds"], interface

# Load balancers: an NLB behind an endpoint service, an ALB with a listener and a rule.
nlb = elb.create_load_balancer(Name="nlb", Type="network", Scheme="internal", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
service = ec2.create_vpc_endpoint_service_configuration(NetworkLoadBalancerArns=[nlb])["ServiceConfiguration"]
configs = ec2.describe_vpc_endpoint_service_configurations(ServiceIds=[service["ServiceId"]])["ServiceConfigurations"]
configs[0]["GatewayLoadBalancerArns"], configs[0]["Tags"], configs[0]["NetworkLoadBalancerArns"]
ec2.describe_vpc_endpoint_service_permissions(ServiceId=service["ServiceId"])["AllowedPrincipals"]

alb = elb.create_load_balancer(Name="alb", Type="application", Scheme="internal", Subnets=subnets,
                               SecurityGroups=[sg])["LoadBalancers"][0]["LoadBalancerArn"]
lbs = elb.describe_load_balancers(LoadBalancerArns=[alb])["LoadBalancers"]
lbs[0]["AvailabilityZones"], lbs[0]["SecurityGroups"]
elb.describe_load_balancer_attributes(LoadBalancerArn=alb)["Attributes"]
elb.describe_tags(ResourceArns=[alb])["TagDescriptions"][0]["Tags"]
tg = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc_id, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": instance}])
assert elb.describe_target_groups(TargetGroupArns=[tg])["TargetGroups"][0]["LoadBalancerArns"] == []
elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
listener = elb.create_listener(LoadBalancerArn=alb, Protocol="HTTP", Port=80,
                               DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])["Listeners"][0]["ListenerArn"]
elb.describe_listeners(LoadBalancerArn=alb)["Listeners"][0]["DefaultActions"]
elb.describe_listener_certificates(ListenerArn=listener)["Certificates"]
elb.describe_capacity_reservation(LoadBalancerArn=alb)["CapacityReservationState"]
rule = elb.create_rule(ListenerArn=listener, Priority=10,
                       Conditions=[{"Field": "path-pattern", "Values": ["/api/*"]}],
                       Actions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}])["Rules"][0]["RuleArn"]
rules = elb.describe_rules(ListenerArn=listener)["Rules"]
assert len(rules) == 2 and rules[0]["Conditions"] is not None and rules[1]["Conditions"] == [], rules

# Delete everything, in dependency order, and see it gone.
elb.delete_rule(RuleArn=rule)
elb.delete_listener(ListenerArn=listener)
elb.deregister_targets(TargetGroupArn=tg, Targets=[{"Id": instance}])
elb.delete_target_group(TargetGroupArn=tg)
elb.delete_load_balancer(LoadBalancerArn=alb)
ec2.delete_vpc_endpoint_service_configurations(ServiceIds=[service["ServiceId"]])["Unsuccessful"]
elb.delete_load_balancer(LoadBalancerArn=nlb)
assert elb.describe_load_balancers()["LoadBalancers"] == []
assert elb.describe_target_groups()["TargetGroups"] == []
ec2.delete_vpc_endpoints(VpcEndpointIds=[gw_endpoint, if_endpoint])["Unsuccessful"]
ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=pcx)
ec2.delete_dhcp_options(DhcpOptionsId=dopt)
ec2.delete_managed_prefix_list(PrefixListId=pl)
ec2.terminate_instances(InstanceIds=[instance])["TerminatingInstances"]
ec2.delete_network_interface(NetworkInterfaceId=eni)
ec2.delete_network_acl(NetworkAclId=acl)
ec2.delete_security_group(GroupId=sg)
ec2.delete_nat_gateway(NatGatewayId=nat)
ec2.release_address(AllocationId=alloc)
ec2.disassociate_route_table(AssociationId=assoc)
ec2.delete_route_table(RouteTableId=rtb)
ec2.delete_egress_only_internet_gateway(EgressOnlyInternetGatewayId=eigw)
ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
ec2.delete_internet_gateway(InternetGatewayId=igw)
for subnet in subnets:
    ec2.delete_subnet(SubnetId=subnet)
ec2.delete_vpc(VpcId=peer_vpc)
ec2.delete_vpc(VpcId=vpc_id)
assert ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["false"]}])["Vpcs"] == []
# Deleted endpoints stay visible a while, as on AWS.
assert all(e["State"] in ("deleting", "deleted") for e in ec2.describe_vpc_endpoints()["VpcEndpoints"])
print("ok")
