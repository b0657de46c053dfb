# An internal Application Load Balancer routing by listener rules: a
# weighted forward with stickiness, a redirect and a fixed response, on
# several kinds of condition; and an HTTPS listener with a security policy
# and a second certificate. vpcemu serves no certificate manager: the
# certificates are literal ACM ARNs, which ELB takes on trust.

locals {
  default_certificate = "arn:aws:acm:us-east-1:111111111111:certificate/3dcb0a41-bd72-4774-9ad9-756919c40557"
  extra_certificate   = "arn:aws:acm:us-east-1:111111111111:certificate/5cc54884-f4a3-4072-80be-05b9ba72f705"
}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"

  tags = {
    Name = "e2e-rules"
  }
}

resource "aws_subnet" "alb" {
  count = 2

  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

resource "aws_security_group" "alb" {
  name        = "e2e-alb"
  description = "For the load balancer"
  vpc_id      = aws_vpc.main.id
}

resource "aws_lb" "alb" {
  name               = "e2e-alb"
  internal           = true
  load_balancer_type = "application"
  subnets            = aws_subnet.alb[*].id
  security_groups    = [aws_security_group.alb.id]
}

resource "aws_lb_target_group" "blue" {
  name        = "e2e-blue"
  port        = 80
  protocol    = "HTTP"
  vpc_id      = aws_vpc.main.id
  target_type = "ip"
}

resource "aws_lb_target_group" "green" {
  name        = "e2e-green"
  port        = 80
  protocol    = "HTTP"
  vpc_id      = aws_vpc.main.id
  target_type = "ip"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.alb.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "no route"
      status_code  = "404"
    }
  }
}

resource "aws_lb_listener_rule" "weighted" {
  listener_arn = aws_lb_listener.http.arn
  priority     = 10

  action {
    type = "forward"

    forward {
      target_group {
        arn    = aws_lb_target_group.blue.arn
        weight = 80
      }

      target_group {
        arn    = aws_lb_target_group.green.arn
        weight = 20
      }

      stickiness {
        enabled  = true
        duration = 600
      }
    }
  }

  condition {
    host_header {
      values = ["app.example.com"]
    }
  }

  condition {
    path_pattern {
      values = ["/api/*"]
    }
  }

  condition {
    http_header {
      http_header_name = "X-Canary"
      values           = ["on"]
    }
  }

  tags = {
    Name = "weighted"
  }
}

resource "aws_lb_listener_rule" "redirect" {
  listener_arn = aws_lb_listener.http.arn
  priority     = 20

  action {
    type = "redirect"

    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }

  condition {
    query_string {
      key   = "legacy"
      value = "1"
    }
  }

  condition {
    source_ip {
      values = ["192.0.2.0/24"]
    }
  }
}

resource "aws_lb_listener_rule" "health" {
  listener_arn = aws_lb_listener.http.arn
  priority     = 30

  action {
    type = "fixed-response"

    fixed_response {
      content_type = "application/json"
      message_body = "{\"ok\":true}"
      status_code  = "200"
    }
  }

  condition {
    http_request_method {
      values = ["GET", "HEAD"]
    }
  }

  condition {
    path_pattern {
      values = ["/health"]
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.alb.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = local.default_certificate

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.blue.arn
  }
}

resource "aws_lb_listener_certificate" "extra" {
  listener_arn    = aws_lb_listener.https.arn
  certificate_arn = local.extra_certificate
}

output "http_listener_arn" {
  value = aws_lb_listener.http.arn
}

output "https_listener_arn" {
  value = aws_lb_listener.https.arn
}

output "weighted_rule_arn" {
  value = aws_lb_listener_rule.weighted.arn
}

output "green_target_group_arn" {
  value = aws_lb_target_group.green.arn
}
