# m5.large ($70.08) and 50 GB gp3 ($4.00): $74.08/month, within $1,000.
resource "aws_instance" "api" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"

  root_block_device {
    volume_size = 50
    volume_type = "gp3"
  }
}
