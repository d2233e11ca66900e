resource "aws_instance" "big" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.24xlarge"
}
