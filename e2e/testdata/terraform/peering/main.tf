# VPC peering across accounts and regions: a requester VPC in account
# 111111111111 (us-east-1) peers with a VPC of account 222222222222 in the
# same region (accepted by the peer, options set on both sides, routes both
# ways, a security group rule that references the peer's group) and with a
# VPC of the same peer account in us-west-2.

data "aws_caller_identity" "peer" {
  provider = aws.peer
}

resource "aws_vpc" "requester" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = "peering-requester"
  }
}

resource "aws_vpc" "accepter" {
  provider = aws.peer

  cidr_block           = "10.41.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = "peering-accepter"
  }
}

resource "aws_vpc" "west" {
  provider = aws.peer_west

  cidr_block = "10.42.0.0/16"

  tags = {
    Name = "peering-west"
  }
}

# Cross-account, same region.

resource "aws_vpc_peering_connection" "cross_account" {
  vpc_id        = aws_vpc.requester.id
  peer_vpc_id   = aws_vpc.accepter.id
  peer_owner_id = data.aws_caller_identity.peer.account_id

  tags = {
    Name = "requester-side"
    Side = "Requester"
  }
}

resource "aws_vpc_peering_connection_accepter" "cross_account" {
  provider = aws.peer

  vpc_peering_connection_id = aws_vpc_peering_connection.cross_account.id
  auto_accept               = true

  tags = {
    Name = "accepter-side"
    Side = "Accepter"
  }
}

resource "aws_vpc_peering_connection_options" "requester" {
  vpc_peering_connection_id = aws_vpc_peering_connection_accepter.cross_account.id

  requester {
    allow_remote_vpc_dns_resolution = true
  }
}

resource "aws_vpc_peering_connection_options" "accepter" {
  provider = aws.peer

  vpc_peering_connection_id = aws_vpc_peering_connection_accepter.cross_account.id

  accepter {
    allow_remote_vpc_dns_resolution = true
  }
}

resource "aws_route" "requester_to_accepter" {
  route_table_id            = aws_vpc.requester.main_route_table_id
  destination_cidr_block    = aws_vpc.accepter.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection_accepter.cross_account.id
}

resource "aws_route" "accepter_to_requester" {
  provider = aws.peer

  route_table_id            = aws_vpc.accepter.main_route_table_id
  destination_cidr_block    = aws_vpc.requester.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection_accepter.cross_account.id
}

resource "aws_security_group" "app" {
  name        = "app"
  description = "Application servers"
  vpc_id      = aws_vpc.requester.id
}

resource "aws_security_group" "db" {
  provider = aws.peer

  name        = "db"
  description = "Databases in the peer VPC"
  vpc_id      = aws_vpc.accepter.id
}

# A group of a peered VPC of another account is named account/group.
resource "aws_vpc_security_group_ingress_rule" "app_from_db" {
  security_group_id            = aws_security_group.app.id
  referenced_security_group_id = "${data.aws_caller_identity.peer.account_id}/${aws_security_group.db.id}"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443

  # A peer's group can be referenced only across an active connection.
  depends_on = [aws_vpc_peering_connection_accepter.cross_account]
}

# Inter-region, to the peer account's VPC in us-west-2.

resource "aws_vpc_peering_connection" "inter_region" {
  vpc_id        = aws_vpc.requester.id
  peer_vpc_id   = aws_vpc.west.id
  peer_owner_id = data.aws_caller_identity.peer.account_id
  peer_region   = "us-west-2"

  tags = {
    Name = "inter-region"
  }
}

resource "aws_vpc_peering_connection_accepter" "inter_region" {
  provider = aws.peer_west

  vpc_peering_connection_id = aws_vpc_peering_connection.inter_region.id
  auto_accept               = true
}

resource "aws_route" "requester_to_west" {
  route_table_id            = aws_vpc.requester.main_route_table_id
  destination_cidr_block    = aws_vpc.west.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection_accepter.inter_region.id
}

output "cross_account_id" {
  value = aws_vpc_peering_connection.cross_account.id
}

output "inter_region_id" {
  value = aws_vpc_peering_connection.inter_region.id
}

output "accept_status" {
  value = aws_vpc_peering_connection_accepter.cross_account.accept_status
}

output "app_group_id" {
  value = aws_security_group.app.id
}

output "db_group_id" {
  value = aws_security_group.db.id
}
