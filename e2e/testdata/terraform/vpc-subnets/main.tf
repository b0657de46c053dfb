# A VPC with DNS hostnames and two subnets in two availability zones, and
# the data sources most configurations start from.

data "aws_caller_identity" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_vpc" "default" {
  default = true
}

resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_hostnames = true

  tags = {
    Name        = "e2e-main"
    Environment = "test"
  }
}

resource "aws_subnet" "private" {
  count = 2

  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]

  tags = {
    Name = "e2e-private-${count.index}"
  }
}

output "account_id" {
  value = data.aws_caller_identity.current.account_id
}

output "caller_arn" {
  value = data.aws_caller_identity.current.arn
}

output "default_vpc_cidr" {
  value = data.aws_vpc.default.cidr_block
}

output "vpc_id" {
  value = aws_vpc.main.id
}

output "subnets" {
  value = { for s in aws_subnet.private : s.id => { az = s.availability_zone, cidr = s.cidr_block } }
}
