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
