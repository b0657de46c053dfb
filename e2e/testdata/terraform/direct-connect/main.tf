# Direct Connect: a dedicated connection, a LAG, a Direct Connect gateway
# and a private virtual interface on the connection, attached to the
# gateway, with a second (IPv6) BGP session. The provider waits at least
# 10 s per virtual interface and BGP peer change whatever the server does.

resource "aws_dx_connection" "primary" {
  name      = "dx-primary"
  location  = "EqDC2"
  bandwidth = "10Gbps"

  tags = {
    Name = "dx-primary"
  }
}

resource "aws_dx_lag" "bundle" {
  name                  = "dx-bundle"
  location              = "EqDC2"
  connections_bandwidth = "1Gbps"
  force_destroy         = true

  tags = {
    Name = "dx-bundle"
  }
}

resource "aws_dx_gateway" "corp" {
  name            = "corp"
  amazon_side_asn = "64600"
}

resource "aws_dx_private_virtual_interface" "corp" {
  connection_id  = aws_dx_connection.primary.id
  dx_gateway_id  = aws_dx_gateway.corp.id
  name           = "corp"
  vlan           = 101
  address_family = "ipv4"
  bgp_asn        = 65000

  tags = {
    Name = "corp"
  }
}

resource "aws_dx_bgp_peer" "corp_v6" {
  virtual_interface_id = aws_dx_private_virtual_interface.corp.id
  address_family       = "ipv6"
  bgp_asn              = 65000
}

output "connection" {
  value = {
    id     = aws_dx_connection.primary.id
    arn    = aws_dx_connection.primary.arn
    device = aws_dx_connection.primary.aws_device
  }
}

output "lag" {
  value = {
    id  = aws_dx_lag.bundle.id
    arn = aws_dx_lag.bundle.arn
  }
}

output "gateway_id" {
  value = aws_dx_gateway.corp.id
}

output "vif" {
  value = {
    id               = aws_dx_private_virtual_interface.corp.id
    arn              = aws_dx_private_virtual_interface.corp.arn
    amazon_address   = aws_dx_private_virtual_interface.corp.amazon_address
    customer_address = aws_dx_private_virtual_interface.corp.customer_address
    amazon_side_asn  = aws_dx_private_virtual_interface.corp.amazon_side_asn
  }
}

output "bgp_peer" {
  value = {
    id         = aws_dx_bgp_peer.corp_v6.bgp_peer_id
    bgp_status = aws_dx_bgp_peer.corp_v6.bgp_status
  }
}

# The VPC side: a virtual private gateway attached to a VPC, associated
# with the Direct Connect gateway; one allowed prefix covers the VPC.
resource "aws_vpc" "corp" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_vpn_gateway" "corp" {
  vpc_id          = aws_vpc.corp.id
  amazon_side_asn = "64700"

  tags = {
    Name = "corp"
  }
}

resource "aws_dx_gateway_association" "corp" {
  dx_gateway_id         = aws_dx_gateway.corp.id
  associated_gateway_id = aws_vpn_gateway.corp.id

  allowed_prefixes = ["10.30.0.0/16"]
}

output "association" {
  value = {
    id                  = aws_dx_gateway_association.corp.dx_gateway_association_id
    associated_type     = aws_dx_gateway_association.corp.associated_gateway_type
    associated_owner_id = aws_dx_gateway_association.corp.associated_gateway_owner_account_id
    vgw_id              = aws_vpn_gateway.corp.id
  }
}

# Route propagation: one table names the gateway in propagating_vgws,
# another through aws_vpn_gateway_route_propagation. The routes the
# gateway learns from on premises (the test advertises them after apply)
# are propagated routes, which neither resource manages: no drift.
resource "aws_route_table" "propagated" {
  vpc_id           = aws_vpc.corp.id
  propagating_vgws = [aws_vpn_gateway.corp.id]

  tags = {
    Name = "propagated"
  }
}

resource "aws_route_table" "apps" {
  vpc_id = aws_vpc.corp.id

  route {
    cidr_block = "172.16.0.0/12"
    gateway_id = aws_vpn_gateway.corp.id
  }

  tags = {
    Name = "apps"
  }
}

resource "aws_vpn_gateway_route_propagation" "apps" {
  vpn_gateway_id = aws_vpn_gateway.corp.id
  route_table_id = aws_route_table.apps.id
}

output "route_tables" {
  value = {
    propagated = aws_route_table.propagated.id
    apps       = aws_route_table.apps.id
  }
}

# Across accounts: the customer's VPC and virtual private gateway. The
# customer proposes its gateway to the Direct Connect gateway and the
# gateway's owner accepts the proposal; the connection's owner allocates a
# hosted private VIF to the customer, who accepts it on the same gateway.
data "aws_caller_identity" "customer" {
  provider = aws.customer
}

data "aws_caller_identity" "owner" {}

resource "aws_vpc" "customer" {
  provider   = aws.customer
  cidr_block = "10.31.0.0/16"
}

resource "aws_vpn_gateway" "customer" {
  provider = aws.customer
  vpc_id   = aws_vpc.customer.id
}

resource "aws_dx_gateway_association_proposal" "customer" {
  provider                    = aws.customer
  dx_gateway_id               = aws_dx_gateway.corp.id
  dx_gateway_owner_account_id = data.aws_caller_identity.owner.account_id
  associated_gateway_id       = aws_vpn_gateway.customer.id
  allowed_prefixes            = ["10.31.0.0/16"]
}

resource "aws_dx_gateway_association" "customer" {
  proposal_id                         = aws_dx_gateway_association_proposal.customer.id
  dx_gateway_id                       = aws_dx_gateway.corp.id
  associated_gateway_owner_account_id = data.aws_caller_identity.customer.account_id
}

resource "aws_dx_hosted_private_virtual_interface" "customer" {
  connection_id    = aws_dx_connection.primary.id
  owner_account_id = data.aws_caller_identity.customer.account_id
  name             = "customer"
  vlan             = 102
  address_family   = "ipv4"
  bgp_asn          = 65001

  # Addresses of its own: the corp VIF, created at the same time, takes
  # the first /30 vpcemu assigns.
  amazon_address   = "169.254.10.1/30"
  customer_address = "169.254.10.2/30"
}

resource "aws_dx_hosted_private_virtual_interface_accepter" "customer" {
  provider             = aws.customer
  virtual_interface_id = aws_dx_hosted_private_virtual_interface.customer.id
  vpn_gateway_id       = aws_vpn_gateway.customer.id

  tags = {
    Name = "customer"
  }
}

output "customer" {
  value = {
    account            = data.aws_caller_identity.customer.account_id
    vgw_id             = aws_vpn_gateway.customer.id
    proposal_id        = aws_dx_gateway_association_proposal.customer.id
    proposal_type      = aws_dx_gateway_association_proposal.customer.associated_gateway_type
    association_id     = aws_dx_gateway_association.customer.dx_gateway_association_id
    associated_gateway = aws_dx_gateway_association.customer.associated_gateway_id
    allowed_prefixes   = aws_dx_gateway_association.customer.allowed_prefixes
    hosted_vif_id      = aws_dx_hosted_private_virtual_interface.customer.id
    hosted_vif_arn     = aws_dx_hosted_private_virtual_interface.customer.arn
    accepter_arn       = aws_dx_hosted_private_virtual_interface_accepter.customer.arn
  }
}
