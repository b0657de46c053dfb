# The provider side of PrivateLink: an internal Network Load Balancer in two
# subnets forwarding TCP to an IP target, and a Gateway Load Balancer
# forwarding to a GENEVE target group.

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"

  tags = {
    Name = "e2e-lb"
  }
}

resource "aws_subnet" "lb" {
  count = 2

  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

resource "aws_lb" "nlb" {
  name               = "e2e-nlb"
  internal           = true
  load_balancer_type = "network"
  subnets            = aws_subnet.lb[*].id

  tags = {
    Name = "e2e-nlb"
  }
}

resource "aws_lb" "gwlb" {
  name               = "e2e-gwlb"
  load_balancer_type = "gateway"
  subnets            = [aws_subnet.lb[0].id]
}

resource "aws_lb_target_group" "tcp" {
  name        = "e2e-tcp"
  port        = 80
  protocol    = "TCP"
  vpc_id      = aws_vpc.main.id
  target_type = "ip"

  tags = {
    Name = "e2e-tcp"
  }
}

resource "aws_lb_target_group" "geneve" {
  name     = "e2e-geneve"
  port     = 6081
  protocol = "GENEVE"
  vpc_id   = aws_vpc.main.id
}

resource "aws_lb_listener" "nlb" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 80
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tcp.arn
  }
}

resource "aws_lb_listener" "gwlb" {
  load_balancer_arn = aws_lb.gwlb.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.geneve.arn
  }
}

resource "aws_lb_target_group_attachment" "ip" {
  target_group_arn = aws_lb_target_group.tcp.arn
  target_id        = cidrhost(aws_subnet.lb[0].cidr_block, 10)
  port             = 80
}

output "nlb_arn" {
  value = aws_lb.nlb.arn
}

output "nlb_dns_name" {
  value = aws_lb.nlb.dns_name
}

output "nlb_zone_id" {
  value = aws_lb.nlb.zone_id
}

output "gwlb_arn" {
  value = aws_lb.gwlb.arn
}

output "tcp_target_group_arn" {
  value = aws_lb_target_group.tcp.arn
}

output "target_ip" {
  value = aws_lb_target_group_attachment.ip.target_id
}
