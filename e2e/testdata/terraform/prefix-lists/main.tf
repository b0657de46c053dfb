# A customer-managed prefix list referenced by security group rules and a
# route, next to the AWS-managed lists and endpoint services that gateway
# endpoint configurations look up.

data "aws_region" "current" {}

data "aws_prefix_list" "s3" {
  name = "com.amazonaws.${data.aws_region.current.name}.s3"
}

data "aws_ec2_managed_prefix_list" "dynamodb" {
  name = "com.amazonaws.${data.aws_region.current.name}.dynamodb"
}

data "aws_vpc_endpoint_service" "s3" {
  service      = "s3"
  service_type = "Gateway"
}

data "aws_vpc_endpoint_service" "ssm" {
  service = "ssm"
}

resource "aws_ec2_managed_prefix_list" "offices" {
  name           = "offices"
  address_family = "IPv4"
  max_entries    = 5

  entry {
    cidr        = "198.51.100.0/24"
    description = "Berlin"
  }

  entry {
    cidr        = "203.0.113.0/24"
    description = "Lisbon"
  }

  tags = {
    Name = "offices"
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "offices" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "offices" {
  route_table_id             = aws_route_table.offices.id
  destination_prefix_list_id = aws_ec2_managed_prefix_list.offices.id
  gateway_id                 = aws_internet_gateway.main.id
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "offices" {
  security_group_id = aws_security_group.app.id
  prefix_list_id    = aws_ec2_managed_prefix_list.offices.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "s3" {
  security_group_id = aws_security_group.app.id
  prefix_list_id    = data.aws_prefix_list.s3.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "dynamodb" {
  security_group_id = aws_security_group.app.id
  prefix_list_id    = data.aws_ec2_managed_prefix_list.dynamodb.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

output "s3_prefix_list" {
  value = { id = data.aws_prefix_list.s3.id, cidrs = data.aws_prefix_list.s3.cidr_blocks }
}

output "dynamodb_prefix_list" {
  value = { id = data.aws_ec2_managed_prefix_list.dynamodb.id, owner = data.aws_ec2_managed_prefix_list.dynamodb.owner_id }
}

output "s3_service" {
  value = { name = data.aws_vpc_endpoint_service.s3.service_name, type = data.aws_vpc_endpoint_service.s3.service_type }
}

output "ssm_private_dns_name" {
  value = data.aws_vpc_endpoint_service.ssm.private_dns_name
}

output "offices" {
  value = { id = aws_ec2_managed_prefix_list.offices.id, version = aws_ec2_managed_prefix_list.offices.version }
}
