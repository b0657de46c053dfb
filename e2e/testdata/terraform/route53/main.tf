# Route 53: a private hosted zone for a VPC with an A record, a TXT record,
# a CNAME and aliases to the A record, to a network load balancer and to an
# interface endpoint's DNS name; a VPC of a second account joins the zone
# through the owner's authorization; a public zone. The provider waits
# 10-30 s for every Route 53 change whatever the server answers, so the
# configuration stays lean.

resource "aws_vpc" "app" {
  cidr_block           = "10.60.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_route53_zone" "corp" {
  name    = "corp.internal"
  comment = "private zone"

  vpc {
    vpc_id = aws_vpc.app.id
  }

  tags = {
    env = "test"
  }

  # Associations made by aws_route53_zone_association show in the zone's
  # VPCs too: the provider's documented way to mix the two.
  lifecycle {
    ignore_changes = [vpc]
  }
}

resource "aws_route53_zone" "public" {
  name = "example.test"
}

resource "aws_vpc" "shared" {
  provider             = aws.shared
  cidr_block           = "10.61.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_route53_vpc_association_authorization" "shared" {
  zone_id = aws_route53_zone.corp.zone_id
  vpc_id  = aws_vpc.shared.id
}

resource "aws_route53_zone_association" "shared" {
  provider = aws.shared
  zone_id  = aws_route53_vpc_association_authorization.shared.zone_id
  vpc_id   = aws_route53_vpc_association_authorization.shared.vpc_id
}

resource "aws_route53_record" "db" {
  zone_id = aws_route53_zone.corp.zone_id
  name    = "db.corp.internal"
  type    = "A"
  ttl     = 60
  records = ["10.60.0.10"]
}

resource "aws_route53_record" "txt" {
  zone_id = aws_route53_zone.corp.zone_id
  name    = "corp.internal"
  type    = "TXT"
  ttl     = 300
  records = ["hello=world"]
}

resource "aws_route53_record" "api" {
  zone_id = aws_route53_zone.corp.zone_id
  name    = "api.corp.internal"
  type    = "A"

  alias {
    zone_id                = aws_route53_zone.corp.zone_id
    name                   = aws_route53_record.db.fqdn
    evaluate_target_health = false
  }
}

# Alias targets in the VPC: an internal network load balancer and an
# interface endpoint, whose DNS names and hosted zone ids the aliases name.
resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.app.id
  cidr_block        = "10.60.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_lb" "app" {
  name               = "e2e-r53-nlb"
  internal           = true
  load_balancer_type = "network"
  subnets            = [aws_subnet.app.id]
}

resource "aws_vpc_endpoint" "sqs" {
  vpc_id            = aws_vpc.app.id
  service_name      = "com.amazonaws.us-east-1.sqs"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.app.id]
}

resource "aws_route53_record" "nlb" {
  zone_id = aws_route53_zone.corp.zone_id
  name    = "nlb.corp.internal"
  type    = "A"

  alias {
    name                   = aws_lb.app.dns_name
    zone_id                = aws_lb.app.zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "sqs" {
  zone_id = aws_route53_zone.corp.zone_id
  name    = "sqs.corp.internal"
  type    = "A"

  alias {
    name                   = aws_vpc_endpoint.sqs.dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.sqs.dns_entry[0].hosted_zone_id
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.corp.zone_id
  name    = "www.corp.internal"
  type    = "CNAME"
  ttl     = 300
  records = [aws_route53_record.api.fqdn]
}

output "aliases" {
  value = {
    nlb = {
      dns_name = aws_lb.app.dns_name
      zone_id  = aws_lb.app.zone_id
    }
    endpoint = {
      dns_name = aws_vpc_endpoint.sqs.dns_entry[0].dns_name
      zone_id  = aws_vpc_endpoint.sqs.dns_entry[0].hosted_zone_id
    }
  }
}

output "zone" {
  value = {
    id           = aws_route53_zone.corp.zone_id
    arn          = aws_route53_zone.corp.arn
    name_servers = aws_route53_zone.corp.name_servers
  }
}

output "public_name_servers" {
  value = aws_route53_zone.public.name_servers
}

output "shared_vpc" {
  value = aws_vpc.shared.id
}
