# An interface endpoint with private DNS whose subnets come and go, and a
# gateway endpoint beside it: var.subnets is how many of the two subnets
# the interface endpoint is in. The test applies 0, then 2, then 0 again
# and checks that each plan right after is empty and that the endpoint's
# DNS entries follow its network interfaces (none without subnets).

variable "subnets" {
  description = "how many subnets the interface endpoint is in (0-2)"
  type        = number
  default     = 0
}

data "aws_region" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.30.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "endpoints" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 1)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_endpoint" "kms" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.kms"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = slice(aws_subnet.endpoints[*].id, 0, var.subnets)
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.${data.aws_region.current.name}.s3"
  route_table_ids = [aws_route_table.private.id]
}

# Only ids: an output built from dns_entry or network_interface_ids would
# show a change in the plan after an apply that adds or removes subnets
# (the provider reads those attributes, computed-only, after the update,
# and Terraform keeps the planned value for outputs), on AWS as here. The
# test reads the endpoints' DNS entries through the API instead.
output "kms_id" {
  value = aws_vpc_endpoint.kms.id
}

output "s3_id" {
  value = aws_vpc_endpoint.s3.id
}
