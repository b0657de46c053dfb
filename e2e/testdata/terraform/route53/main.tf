# Route 53: a private hosted zone for a VPC with an A record, a TXT record
# and an alias to the A record; a VPC of a second account joins the zone
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
