# VPC flow logs: one of a VPC to an S3 bucket (vpcemu writes it under its
# data directory: any bucket name works), one of a subnet to a CloudWatch
# Logs group named as a plain string, with a custom format.

resource "aws_vpc" "main" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.70.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_flow_log" "s3" {
  vpc_id                   = aws_vpc.main.id
  traffic_type             = "ALL"
  log_destination_type     = "s3"
  log_destination          = "arn:aws:s3:::vpcemu-flow-logs/vpc"
  max_aggregation_interval = 60

  tags = {
    Name = "to-s3"
  }
}

resource "aws_flow_log" "cwl" {
  subnet_id      = aws_subnet.app.id
  traffic_type   = "REJECT"
  log_group_name = "/vpc/flow-logs"
  iam_role_arn   = "arn:aws:iam::111111111111:role/flow-logs"
  log_format     = "$${version} $${interface-id} $${srcaddr} $${dstaddr} $${dstport} $${action} $${flow-direction}"
}

output "s3" {
  value = {
    id         = aws_flow_log.s3.id
    arn        = aws_flow_log.s3.arn
    log_format = aws_flow_log.s3.log_format
  }
}

output "cwl" {
  value = {
    id              = aws_flow_log.cwl.id
    log_destination = aws_flow_log.cwl.log_destination
  }
}
