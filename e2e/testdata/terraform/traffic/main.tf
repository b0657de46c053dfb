# Traffic through a Terraform-built PrivateLink service (vpcemu's data
# plane carries it). The provider (account 111111111111) runs an internal
# Network Load Balancer in front of the address 10.1.1.10 and offers it as
# an endpoint service; the consumer (account 222222222222) reaches it
# through an interface endpoint whose security group opens
# var.endpoint_port, and logs its VPC's flows to CloudWatch Logs. The instances are launched by the test into the
# subnets and group this configuration outputs, and played by processes
# with `vpcemu run`.

variable "endpoint_port" {
  description = "the port the consumer's endpoint security group opens (443 lets the service in)"
  type        = number
  default     = 443
}

data "aws_caller_identity" "consumer" {
  provider = aws.consumer
}

# ---- Provider account ------------------------------------------------------

resource "aws_vpc" "provider" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "provider" {
  vpc_id            = aws_vpc.provider.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_security_group" "api" {
  name        = "api"
  description = "the service port from the load balancer"
  vpc_id      = aws_vpc.provider.id

  ingress {
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.provider.cidr_block]
  }
}

resource "aws_lb" "api" {
  name               = "traffic-api"
  load_balancer_type = "network"
  internal           = true
  subnets            = [aws_subnet.provider.id]
}

resource "aws_lb_target_group" "api" {
  name        = "traffic-api"
  port        = 8443
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = aws_vpc.provider.id
}

resource "aws_lb_target_group_attachment" "api" {
  target_group_arn = aws_lb_target_group.api.arn
  target_id        = "10.1.1.10"
  port             = 8443
}

resource "aws_lb_listener" "api" {
  load_balancer_arn = aws_lb.api.arn
  port              = 443
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_vpc_endpoint_service" "api" {
  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.api.arn]
  allowed_principals         = ["arn:aws:iam::${data.aws_caller_identity.consumer.account_id}:root"]
}

# ---- Consumer account ------------------------------------------------------

resource "aws_vpc" "consumer" {
  provider             = aws.consumer
  cidr_block           = "10.2.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "consumer" {
  provider          = aws.consumer
  vpc_id            = aws_vpc.consumer.id
  cidr_block        = "10.2.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_security_group" "endpoint" {
  provider    = aws.consumer
  name        = "endpoint"
  description = "the service port from the VPC"
  vpc_id      = aws_vpc.consumer.id

  ingress {
    from_port   = var.endpoint_port
    to_port     = var.endpoint_port
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.consumer.cidr_block]
  }
}

resource "aws_vpc_endpoint" "api" {
  provider           = aws.consumer
  vpc_id             = aws_vpc.consumer.id
  service_name       = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.consumer.id]
  security_group_ids = [aws_security_group.endpoint.id]
}

# The consumer's flow logs, to CloudWatch Logs: one stream per interface.
resource "aws_cloudwatch_log_group" "flows" {
  provider          = aws.consumer
  name              = "/vpc/flow-logs"
  retention_in_days = 1
}

resource "aws_flow_log" "consumer" {
  provider                 = aws.consumer
  vpc_id                   = aws_vpc.consumer.id
  traffic_type             = "ALL"
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flows.arn
  iam_role_arn             = "arn:aws:iam::${data.aws_caller_identity.consumer.account_id}:role/flow-logs"
  max_aggregation_interval = 60
}

output "provider_subnet" {
  value = aws_subnet.provider.id
}

output "provider_security_group" {
  value = aws_security_group.api.id
}

output "consumer_subnet" {
  value = aws_subnet.consumer.id
}

output "endpoint_dns_name" {
  value = aws_vpc_endpoint.api.dns_entry[0].dns_name
}

output "endpoint_interface" {
  value = one(aws_vpc_endpoint.api.network_interface_ids)
}
