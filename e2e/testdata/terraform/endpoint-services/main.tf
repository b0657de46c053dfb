# The provider side of PrivateLink: an endpoint service on an internal
# Network Load Balancer, with a private DNS name, allowed principals (one
# of them a standalone resource) and a connection notification; another on
# a Gateway Load Balancer. The consumer account finds the first by name.

data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_caller_identity" "consumer" {
  provider = aws.consumer
}

resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "lb" {
  count = 2

  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

resource "aws_lb" "nlb" {
  name               = "e2e-svc-nlb"
  internal           = true
  load_balancer_type = "network"
  subnets            = aws_subnet.lb[*].id
}

resource "aws_lb" "gwlb" {
  name               = "e2e-svc-gwlb"
  load_balancer_type = "gateway"
  subnets            = [aws_subnet.lb[1].id]
}

resource "aws_vpc_endpoint_service" "nlb" {
  acceptance_required        = true
  network_load_balancer_arns = [aws_lb.nlb.arn]
  private_dns_name           = "api.e2e.example.com"
  allowed_principals         = ["arn:aws:iam::${data.aws_caller_identity.consumer.account_id}:root"]

  tags = {
    Name = "e2e-svc"
  }
}

resource "aws_vpc_endpoint_service_allowed_principal" "role" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.gwlb.id
  principal_arn           = "arn:aws:iam::${data.aws_caller_identity.consumer.account_id}:role/inspector"
}

resource "aws_vpc_endpoint_service" "gwlb" {
  acceptance_required        = false
  gateway_load_balancer_arns = [aws_lb.gwlb.arn]
}

resource "aws_vpc_endpoint_connection_notification" "nlb" {
  vpc_endpoint_service_id     = aws_vpc_endpoint_service.nlb.id
  connection_notification_arn = "arn:aws:sns:us-east-1:111111111111:e2e-vpce"
  connection_events           = ["Accept", "Reject"]
}

# The consumer sees the service once its account is allowed.
data "aws_vpc_endpoint_service" "seen" {
  provider     = aws.consumer
  service_name = aws_vpc_endpoint_service.nlb.service_name
}

output "nlb_service_id" {
  value = aws_vpc_endpoint_service.nlb.id
}

output "nlb_service_state" {
  value = aws_vpc_endpoint_service.nlb.state
}

output "dns_state" {
  value = aws_vpc_endpoint_service.nlb.private_dns_name_configuration[0].state
}

output "gwlb_service_type" {
  value = aws_vpc_endpoint_service.gwlb.service_type
}

output "seen_owner" {
  value = data.aws_vpc_endpoint_service.seen.owner
}

output "seen_zones" {
  value = data.aws_vpc_endpoint_service.seen.availability_zones
}

output "notification_id" {
  value = aws_vpc_endpoint_connection_notification.nlb.id
}
