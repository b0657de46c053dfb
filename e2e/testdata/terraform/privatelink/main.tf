# AWS PrivateLink across two accounts. The provider (account 111111111111)
# runs an internal Network Load Balancer and a Gateway Load Balancer and
# offers each as an endpoint service to the consumer (account 222222222222).
# The consumer reaches the NLB service through an interface endpoint that
# the provider accepts, sends its traffic through the GWLB service with a
# Gateway Load Balancer endpoint as a route target, reaches S3 through a
# gateway endpoint and Secrets Manager through an interface endpoint with
# private DNS, whose subnets, security groups and policy are managed as
# separate resources.

data "aws_caller_identity" "consumer" {
  provider = aws.consumer
}

# ---- Provider account ------------------------------------------------------

resource "aws_vpc" "provider" {
  cidr_block = "10.50.0.0/16"
  tags       = { Name = "privatelink-provider" }
}

resource "aws_subnet" "provider" {
  count             = 2
  vpc_id            = aws_vpc.provider.id
  cidr_block        = cidrsubnet(aws_vpc.provider.cidr_block, 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_lb" "service" {
  name               = "privatelink-nlb"
  load_balancer_type = "network"
  internal           = true
  subnets            = aws_subnet.provider[*].id
}

resource "aws_lb_target_group" "service" {
  name        = "privatelink-api"
  port        = 8443
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = aws_vpc.provider.id
}

resource "aws_lb_target_group_attachment" "service" {
  target_group_arn = aws_lb_target_group.service.arn
  target_id        = cidrhost(aws_subnet.provider[0].cidr_block, 10)
  port             = 8443
}

resource "aws_lb_listener" "service" {
  load_balancer_arn = aws_lb.service.arn
  port              = 443
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.service.arn
  }
}

resource "aws_lb" "inspection" {
  name               = "privatelink-gwlb"
  load_balancer_type = "gateway"
  subnets            = [aws_subnet.provider[0].id]
}

resource "aws_lb_target_group" "appliances" {
  name        = "privatelink-appliances"
  port        = 6081
  protocol    = "GENEVE"
  target_type = "ip"
  vpc_id      = aws_vpc.provider.id

  health_check {
    port     = 80
    protocol = "HTTP"
  }
}

resource "aws_lb_target_group_attachment" "appliance" {
  target_group_arn = aws_lb_target_group.appliances.arn
  target_id        = cidrhost(aws_subnet.provider[0].cidr_block, 20)
}

resource "aws_lb_listener" "inspection" {
  load_balancer_arn = aws_lb.inspection.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.appliances.arn
  }
}

resource "aws_vpc_endpoint_service" "api" {
  acceptance_required        = true
  network_load_balancer_arns = [aws_lb.service.arn]
  tags                       = { Name = "internal-api" }
}

resource "aws_vpc_endpoint_service_allowed_principal" "api" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.api.id
  principal_arn           = "arn:aws:iam::${data.aws_caller_identity.consumer.account_id}:root"
}

resource "aws_vpc_endpoint_connection_notification" "api" {
  vpc_endpoint_service_id     = aws_vpc_endpoint_service.api.id
  connection_notification_arn = "arn:aws:sns:us-east-1:111111111111:privatelink-events"
  connection_events           = ["Accept", "Reject"]
}

resource "aws_vpc_endpoint_service" "inspection" {
  acceptance_required        = false
  gateway_load_balancer_arns = [aws_lb.inspection.arn]
  allowed_principals         = ["arn:aws:iam::${data.aws_caller_identity.consumer.account_id}:root"]
}

resource "aws_vpc_endpoint_connection_accepter" "api" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.api.id
  vpc_endpoint_id         = aws_vpc_endpoint.api.id
}

# ---- Consumer account ------------------------------------------------------

resource "aws_vpc" "consumer" {
  provider             = aws.consumer
  cidr_block           = "10.60.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "privatelink-consumer" }
}

resource "aws_subnet" "consumer" {
  provider          = aws.consumer
  count             = 2
  vpc_id            = aws_vpc.consumer.id
  cidr_block        = cidrsubnet(aws_vpc.consumer.cidr_block, 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_subnet" "inspection" {
  provider          = aws.consumer
  vpc_id            = aws_vpc.consumer.id
  cidr_block        = cidrsubnet(aws_vpc.consumer.cidr_block, 8, 10)
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "workloads" {
  provider = aws.consumer
  vpc_id   = aws_vpc.consumer.id
}

resource "aws_route_table_association" "workloads" {
  provider       = aws.consumer
  count          = 2
  subnet_id      = aws_subnet.consumer[count.index].id
  route_table_id = aws_route_table.workloads.id
}

resource "aws_security_group" "endpoints" {
  provider    = aws.consumer
  name        = "endpoints"
  description = "HTTPS from the VPC to the interface endpoints"
  vpc_id      = aws_vpc.consumer.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.consumer.cidr_block]
  }
}

resource "aws_security_group" "secrets" {
  provider    = aws.consumer
  name        = "secrets-endpoint"
  description = "Added to the Secrets Manager endpoint as an association"
  vpc_id      = aws_vpc.consumer.id
}

# The provider's internal API, accepted by the provider.
resource "aws_vpc_endpoint" "api" {
  provider           = aws.consumer
  vpc_id             = aws_vpc.consumer.id
  service_name       = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = aws_subnet.consumer[*].id
  security_group_ids = [aws_security_group.endpoints.id]
  depends_on         = [aws_vpc_endpoint_service_allowed_principal.api]
}

# Everything leaving the workload subnets goes through the provider's
# inspection appliances.
resource "aws_vpc_endpoint" "inspection" {
  provider          = aws.consumer
  vpc_id            = aws_vpc.consumer.id
  service_name      = aws_vpc_endpoint_service.inspection.service_name
  vpc_endpoint_type = "GatewayLoadBalancer"
  subnet_ids        = [aws_subnet.inspection.id]
}

resource "aws_route" "through_inspection" {
  provider               = aws.consumer
  route_table_id         = aws_route_table.workloads.id
  destination_cidr_block = "0.0.0.0/0"
  vpc_endpoint_id        = aws_vpc_endpoint.inspection.id
}

# S3 through a gateway endpoint on the workload route table.
resource "aws_vpc_endpoint" "s3" {
  provider     = aws.consumer
  vpc_id       = aws_vpc.consumer.id
  service_name = "com.amazonaws.us-east-1.s3"
}

resource "aws_vpc_endpoint_route_table_association" "s3" {
  provider        = aws.consumer
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  route_table_id  = aws_route_table.workloads.id
}

# Secrets Manager with private DNS; its subnet, security group and policy
# are attached as their own resources (so the endpoint itself names none:
# Terraform documents that the two styles must not be mixed).
resource "aws_vpc_endpoint" "secrets" {
  provider            = aws.consumer
  vpc_id              = aws_vpc.consumer.id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc_endpoint_subnet_association" "secrets" {
  provider        = aws.consumer
  vpc_endpoint_id = aws_vpc_endpoint.secrets.id
  subnet_id       = aws_subnet.consumer[0].id
}

resource "aws_vpc_endpoint_security_group_association" "secrets" {
  provider          = aws.consumer
  vpc_endpoint_id   = aws_vpc_endpoint.secrets.id
  security_group_id = aws_security_group.secrets.id
}

resource "aws_vpc_endpoint_policy" "secrets" {
  provider        = aws.consumer
  vpc_endpoint_id = aws_vpc_endpoint.secrets.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["secretsmanager:GetSecretValue"]
      Resource  = "*"
    }]
  })
}

data "aws_prefix_list" "s3" {
  provider       = aws.consumer
  prefix_list_id = aws_vpc_endpoint.s3.prefix_list_id
}

data "aws_vpc_endpoint_service" "secretsmanager" {
  provider = aws.consumer
  service  = "secretsmanager"
}

data "aws_vpc_endpoint" "api" {
  provider   = aws.consumer
  id         = aws_vpc_endpoint.api.id
  depends_on = [aws_vpc_endpoint_connection_accepter.api]
}

output "api_endpoint" {
  value = {
    id        = aws_vpc_endpoint.api.id
    state     = data.aws_vpc_endpoint.api.state
    dns_names = [for e in aws_vpc_endpoint.api.dns_entry : e.dns_name]
  }
}

output "s3_prefix_list" {
  value = { id = data.aws_prefix_list.s3.id, name = data.aws_prefix_list.s3.name }
}

output "secretsmanager_service" {
  value = {
    name             = data.aws_vpc_endpoint_service.secretsmanager.service_name
    private_dns_name = data.aws_vpc_endpoint_service.secretsmanager.private_dns_name
  }
}
