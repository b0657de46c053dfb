# Reachability Analyzer: two network interfaces in one subnet, in a group
# that lets SSH in from the VPC. Paths from one to the other on port 22
# (allowed) and port 80 (blocked by the group), and from one to the S3
# gateway endpoint on the subnet's route table, each analysed with
# wait_for_completion.

resource "aws_vpc" "main" {
  cidr_block = "10.60.0.0/16"

  tags = {
    Name = "insights"
  }
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.60.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.app.id]
}

resource "aws_security_group" "ssh" {
  name        = "ssh"
  description = "SSH from the VPC"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.ssh.id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = aws_vpc.main.cidr_block
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.ssh.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_network_interface" "client" {
  subnet_id       = aws_subnet.app.id
  security_groups = [aws_security_group.ssh.id]
}

resource "aws_network_interface" "server" {
  subnet_id       = aws_subnet.app.id
  security_groups = [aws_security_group.ssh.id]
}

resource "aws_ec2_network_insights_path" "ssh" {
  source           = aws_network_interface.client.id
  destination      = aws_network_interface.server.id
  protocol         = "tcp"
  destination_port = 22

  tags = {
    Name = "ssh"
  }

  depends_on = [aws_vpc_security_group_ingress_rule.ssh, aws_vpc_security_group_egress_rule.all]
}

resource "aws_ec2_network_insights_path" "http" {
  source           = aws_network_interface.client.arn
  destination      = aws_network_interface.server.id
  protocol         = "tcp"
  destination_port = 80

  depends_on = [aws_vpc_security_group_ingress_rule.ssh, aws_vpc_security_group_egress_rule.all]
}

resource "aws_ec2_network_insights_path" "s3" {
  source           = aws_network_interface.client.id
  destination      = aws_vpc_endpoint.s3.id
  protocol         = "tcp"
  destination_port = 443

  depends_on = [aws_route_table_association.app, aws_vpc_security_group_egress_rule.all]
}

resource "aws_ec2_network_insights_analysis" "s3" {
  network_insights_path_id = aws_ec2_network_insights_path.s3.id
  wait_for_completion      = true
}

resource "aws_ec2_network_insights_analysis" "ssh" {
  network_insights_path_id = aws_ec2_network_insights_path.ssh.id
  wait_for_completion      = true

  tags = {
    Name = "ssh"
  }
}

resource "aws_ec2_network_insights_analysis" "http" {
  network_insights_path_id = aws_ec2_network_insights_path.http.id
  wait_for_completion      = true
}

output "ssh" {
  value = {
    path_found = aws_ec2_network_insights_analysis.ssh.path_found
    status     = aws_ec2_network_insights_analysis.ssh.status
    forward    = [for c in aws_ec2_network_insights_analysis.ssh.forward_path_components : c.component[0].id]
    source_arn = aws_ec2_network_insights_path.ssh.source_arn
    path_arn   = aws_ec2_network_insights_path.ssh.arn
  }
}

output "http" {
  value = {
    path_found   = aws_ec2_network_insights_analysis.http.path_found
    status       = aws_ec2_network_insights_analysis.http.status
    explanations = [for x in aws_ec2_network_insights_analysis.http.explanations : x.explanation_code]
    group        = aws_ec2_network_insights_analysis.http.explanations[0].security_groups[0].id
  }
}

output "s3" {
  value = {
    path_found = aws_ec2_network_insights_analysis.s3.path_found
    forward    = [for c in aws_ec2_network_insights_analysis.s3.forward_path_components : c.component[0].id]
    endpoint   = aws_vpc_endpoint.s3.id
  }
}

output "group_id" {
  value = aws_security_group.ssh.id
}

output "client_id" {
  value = aws_network_interface.client.id
}
