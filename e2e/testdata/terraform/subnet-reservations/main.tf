# Subnet CIDR reservations: an explicit block kept for appliances the user
# addresses by hand, a prefix block, and an interface whose address AWS
# picks outside both.

resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"

  tags = {
    Name = "e2e-reservations"
  }
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.30.1.0/24"
}

resource "aws_ec2_subnet_cidr_reservation" "appliances" {
  subnet_id        = aws_subnet.app.id
  cidr_block       = "10.30.1.0/28"
  reservation_type = "explicit"
  description      = "firewall appliances"
}

resource "aws_ec2_subnet_cidr_reservation" "prefixes" {
  subnet_id        = aws_subnet.app.id
  cidr_block       = "10.30.1.16/28"
  reservation_type = "prefix"
}

resource "aws_network_interface" "app" {
  subnet_id = aws_subnet.app.id

  # The address is picked once the reservations exist.
  depends_on = [aws_ec2_subnet_cidr_reservation.appliances, aws_ec2_subnet_cidr_reservation.prefixes]
}

resource "aws_network_interface" "firewall" {
  subnet_id   = aws_subnet.app.id
  private_ips = ["10.30.1.10"]

  depends_on = [aws_ec2_subnet_cidr_reservation.appliances]
}

output "subnet_id" {
  value = aws_subnet.app.id
}

output "reservations" {
  value = {
    explicit = { id = aws_ec2_subnet_cidr_reservation.appliances.id, owner = aws_ec2_subnet_cidr_reservation.appliances.owner_id }
    prefix   = { id = aws_ec2_subnet_cidr_reservation.prefixes.id, owner = aws_ec2_subnet_cidr_reservation.prefixes.owner_id }
  }
}

output "app_ip" {
  value = aws_network_interface.app.private_ip
}

output "firewall_ip" {
  value = aws_network_interface.firewall.private_ip
}
