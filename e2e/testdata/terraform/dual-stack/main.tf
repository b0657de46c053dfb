# A dual-stack VPC: an Amazon-provided IPv6 block, a dual-stack public
# subnet that gives every interface an IPv6 address, an IPv6-only private
# subnet with DNS64, IPv6 routes to an internet gateway and an egress-only
# internet gateway, security group and network ACL rules for IPv6, network
# interfaces with IPv6 addresses, and a dualstack interface endpoint and
# network load balancer.

resource "aws_vpc" "main" {
  cidr_block                       = "10.30.0.0/16"
  assign_generated_ipv6_cidr_block = true
  enable_dns_hostnames             = true

  tags = {
    Name = "e2e-dual-stack"
  }
}

resource "aws_subnet" "public" {
  vpc_id                          = aws_vpc.main.id
  cidr_block                      = "10.30.1.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation = true
  availability_zone               = "us-east-1a"

  tags = {
    Name = "e2e-dual-stack-public"
  }
}

resource "aws_subnet" "ipv6_only" {
  vpc_id                                         = aws_vpc.main.id
  ipv6_native                                    = true
  ipv6_cidr_block                                = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 2)
  assign_ipv6_address_on_creation                = true
  enable_dns64                                   = true
  enable_resource_name_dns_aaaa_record_on_launch = true
  availability_zone                              = "us-east-1b"

  tags = {
    Name = "e2e-ipv6-only"
  }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }

  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table" "ipv6_only" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "ipv6_only_out" {
  route_table_id              = aws_route_table.ipv6_only.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.eigw.id
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "ipv6_only" {
  subnet_id      = aws_subnet.ipv6_only.id
  route_table_id = aws_route_table.ipv6_only.id
}

resource "aws_security_group" "web" {
  name        = "e2e-dual-stack-web"
  description = "HTTPS from anywhere, both families"
  vpc_id      = aws_vpc.main.id

  ingress {
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_network_acl" "ipv6_only" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.ipv6_only.id]

  ingress {
    rule_no         = 100
    action          = "allow"
    protocol        = "tcp"
    ipv6_cidr_block = "::/0"
    from_port       = 1024
    to_port         = 65535
  }

  egress {
    rule_no         = 100
    action          = "allow"
    protocol        = "-1"
    ipv6_cidr_block = "::/0"
    from_port       = 0
    to_port         = 0
  }
}

# Two IPv6 addresses picked from the public subnet's block.
resource "aws_network_interface" "web" {
  subnet_id          = aws_subnet.public.id
  security_groups    = [aws_security_group.web.id]
  ipv6_address_count = 2
}

# An interface in the IPv6-only subnet: one IPv6 address, no IPv4.
resource "aws_network_interface" "ipv6_only" {
  subnet_id          = aws_subnet.ipv6_only.id
  security_groups    = [aws_security_group.web.id]
  ipv6_address_count = 1
}

resource "aws_vpc_endpoint" "monitoring" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.monitoring"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.public.id]
  security_group_ids  = [aws_security_group.web.id]
  private_dns_enabled = false
  ip_address_type     = "dualstack"

  dns_options {
    dns_record_ip_type = "dualstack"
  }
}

resource "aws_lb" "internal" {
  name               = "e2e-dual-stack"
  load_balancer_type = "network"
  internal           = true
  ip_address_type    = "dualstack"
  subnets            = [aws_subnet.public.id]
}

output "vpc_id" {
  value = aws_vpc.main.id
}

output "vpc_ipv6_cidr_block" {
  value = aws_vpc.main.ipv6_cidr_block
}

output "public_subnet_ipv6_cidr_block" {
  value = aws_subnet.public.ipv6_cidr_block
}

output "web_ipv6_addresses" {
  value = aws_network_interface.web.ipv6_addresses
}

output "ipv6_only_eni" {
  value = aws_network_interface.ipv6_only.id
}

output "endpoint_eni" {
  value = one(aws_vpc_endpoint.monitoring.network_interface_ids)
}
