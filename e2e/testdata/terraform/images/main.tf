# Instances from images looked up by name, as configurations written for AWS
# do: data "aws_ami" finds the newest Amazon Linux 2023, Ubuntu 22.04 and an
# arm64 image among vpcemu's catalogue of public AMIs, and the instances
# size their root volumes and add EBS volumes (root_block_device,
# ebs_block_device), which needs the image's root device (DescribeImages).

data "aws_ami" "al2023" {
  most_recent = true
  owners      = ["amazon"]

  filter {
    name   = "name"
    values = ["al2023-ami-2023.*-x86_64"]
  }

  filter {
    name   = "architecture"
    values = ["x86_64"]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }

  filter {
    name   = "root-device-type"
    values = ["ebs"]
  }
}

data "aws_ami" "ubuntu" {
  most_recent = true
  owners      = ["099720109477"] # Canonical

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd*/ubuntu-jammy-22.04-amd64-server-*"]
  }
}

data "aws_ami" "arm" {
  most_recent      = true
  owners           = ["amazon"]
  executable_users = ["all"]

  filter {
    name   = "owner-alias"
    values = ["amazon"]
  }

  filter {
    name   = "architecture"
    values = ["arm64"]
  }

  filter {
    name   = "name"
    values = ["al2023-ami-*"]
  }

  filter {
    name   = "state"
    values = ["available"]
  }
}

data "aws_ami" "by_id" {
  owners = ["amazon"]

  filter {
    name   = "image-id"
    values = [data.aws_ami.al2023.id]
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.41.0.0/16"

  tags = {
    Name = "e2e-images"
  }
}

resource "aws_subnet" "main" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.41.1.0/24"
}

resource "aws_instance" "al2023" {
  ami           = data.aws_ami.al2023.id
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.main.id

  root_block_device {
    volume_size = 20
    volume_type = "gp3"
  }

  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 50
    volume_type = "gp3"
    iops        = 4000
    throughput  = 250
  }

  tags = {
    Name = "e2e-al2023"
  }
}

resource "aws_instance" "ubuntu" {
  ami           = data.aws_ami.ubuntu.id
  instance_type = "m5.large"
  subnet_id     = aws_subnet.main.id

  root_block_device {
    volume_size = 16
  }

  ebs_block_device {
    device_name = "/dev/sdg"
    volume_size = 10
  }
}

resource "aws_instance" "arm" {
  ami           = data.aws_ami.arm.id
  instance_type = "t4g.nano"
  subnet_id     = aws_subnet.main.id
}

output "images" {
  value = {
    al2023           = data.aws_ami.al2023.id
    al2023_name      = data.aws_ami.al2023.name
    al2023_root_snap = data.aws_ami.al2023.root_snapshot_id
    by_id            = data.aws_ami.by_id.name
    ubuntu           = data.aws_ami.ubuntu.id
    ubuntu_name      = data.aws_ami.ubuntu.name
    ubuntu_root      = data.aws_ami.ubuntu.root_device_name
    arm              = data.aws_ami.arm.id
    arm_name         = data.aws_ami.arm.name
  }
}

output "instances" {
  value = {
    al2023      = aws_instance.al2023.id
    al2023_root = aws_instance.al2023.root_block_device[0].volume_id
    ubuntu      = aws_instance.ubuntu.id
    ubuntu_root = aws_instance.ubuntu.root_block_device[0].volume_id
    arm         = aws_instance.arm.id
  }
}
