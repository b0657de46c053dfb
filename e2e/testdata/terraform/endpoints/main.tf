# VPC endpoints of every kind Terraform manages on the consumer side: an S3
# gateway endpoint on a private subnet's route table, a DynamoDB gateway
# endpoint whose route tables and policy are resources of their own, a
# Secrets Manager interface endpoint with private DNS, and an SNS
# interface endpoint whose subnet and extra security group are
# associations; with the data sources that look endpoints, endpoint
# services and prefix lists up.

data "aws_region" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = "endpoints"
  }
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 1)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table" "isolated" {
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "endpoints" {
  name   = "endpoints"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}

resource "aws_security_group" "extra" {
  name   = "extra"
  vpc_id = aws_vpc.main.id
}

data "aws_vpc_endpoint_service" "s3" {
  service      = "s3"
  service_type = "Gateway"
}

data "aws_vpc_endpoint_service" "secretsmanager" {
  service = "secretsmanager"
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = data.aws_vpc_endpoint_service.s3.service_name
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]

  tags = {
    Name = "s3"
  }
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.${data.aws_region.current.name}.dynamodb"
}

resource "aws_vpc_endpoint_route_table_association" "dynamodb" {
  for_each = {
    private  = aws_route_table.private.id
    isolated = aws_route_table.isolated.id
  }
  vpc_endpoint_id = aws_vpc_endpoint.dynamodb.id
  route_table_id  = each.value
}

resource "aws_vpc_endpoint_policy" "dynamodb" {
  vpc_endpoint_id = aws_vpc_endpoint.dynamodb.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["dynamodb:GetItem", "dynamodb:Query"]
      Resource  = "*"
    }]
  })
}

resource "aws_vpc_endpoint" "secretsmanager" {
  vpc_id              = aws_vpc.main.id
  service_name        = data.aws_vpc_endpoint_service.secretsmanager.service_name
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true

  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
    }]
  })

  tags = {
    Name = "secretsmanager"
  }
}

resource "aws_vpc_endpoint" "sns" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.sns"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc_endpoint_subnet_association" "sns" {
  vpc_endpoint_id = aws_vpc_endpoint.sns.id
  subnet_id       = aws_subnet.private[0].id
}

resource "aws_vpc_endpoint_security_group_association" "sns" {
  vpc_endpoint_id   = aws_vpc_endpoint.sns.id
  security_group_id = aws_security_group.extra.id
}

data "aws_vpc_endpoint" "secretsmanager" {
  id = aws_vpc_endpoint.secretsmanager.id
}

data "aws_prefix_list" "s3" {
  prefix_list_id = aws_vpc_endpoint.s3.prefix_list_id
}

output "s3_endpoint" {
  value = {
    id             = aws_vpc_endpoint.s3.id
    prefix_list_id = aws_vpc_endpoint.s3.prefix_list_id
    cidr_blocks    = aws_vpc_endpoint.s3.cidr_blocks
    state          = aws_vpc_endpoint.s3.state
  }
}

output "s3_prefix_list" {
  value = {
    id   = data.aws_prefix_list.s3.id
    name = data.aws_prefix_list.s3.name
  }
}

output "dynamodb_endpoint_id" {
  value = aws_vpc_endpoint.dynamodb.id
}

output "secretsmanager" {
  value = {
    id                  = data.aws_vpc_endpoint.secretsmanager.id
    state               = data.aws_vpc_endpoint.secretsmanager.state
    private_dns_enabled = data.aws_vpc_endpoint.secretsmanager.private_dns_enabled
    dns_names           = data.aws_vpc_endpoint.secretsmanager.dns_entry[*].dns_name
    interfaces          = data.aws_vpc_endpoint.secretsmanager.network_interface_ids
  }
}

output "sns_endpoint_id" {
  value = aws_vpc_endpoint.sns.id
}

output "private_route_table_id" {
  value = aws_route_table.private.id
}

output "isolated_route_table_id" {
  value = aws_route_table.isolated.id
}

output "extra_group_id" {
  value = aws_security_group.extra.id
}
