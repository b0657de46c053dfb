# Two EC2 instances in a VPC: one with tags, security groups and a fixed
# private address (a burstable t3.micro), one with a public address and
# user data. vpcemu accepts any well-formed AMI id.

resource "aws_vpc" "main" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_hostnames = true

  tags = {
    Name = "e2e-instances"
  }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.40.1.0/24"

  tags = {
    Name = "e2e-instances-app"
  }
}

resource "aws_security_group" "app" {
  name        = "e2e-instances-app"
  description = "app servers"
  vpc_id      = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.40.0.0/16"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
  private_ip             = "10.40.1.10"

  tags = {
    Name = "e2e-app"
    Role = "app"
  }
}

resource "aws_instance" "web" {
  ami                         = "ami-12345678"
  instance_type               = "m5.large"
  subnet_id                   = aws_subnet.app.id
  associate_public_ip_address = true
  user_data                   = "#!/bin/sh\necho hello > /tmp/hello\n"

  depends_on = [aws_internet_gateway.main]
}

output "app" {
  value = {
    id         = aws_instance.app.id
    private_ip = aws_instance.app.private_ip
    volume_id  = aws_instance.app.root_block_device[0].volume_id
  }
}

output "web" {
  value = {
    id         = aws_instance.web.id
    private_ip = aws_instance.web.private_ip
    public_ip  = aws_instance.web.public_ip
  }
}
